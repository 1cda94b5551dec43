"""Data stores name the data class they hold in their data-classification tag."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config import DataClassName

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="data_store_classified",
    title="Data stores are tagged with a known data class",
    severity=Severity.MEDIUM,
    category=Category.TAGGING,
    rationale=(
        "Retention bounds, keys and erasure rules are chosen by data class; a store tagged only "
        "with the provider default ('internal') or an unknown class escapes the retention and "
        "privacy rules (GDPR Art. 30 records of processing)."
    ),
    remediation="aws.dynamodb.Table('context', ..., tags=classification(DataClassName.CUSTOMER_PROFILES))",
    resource_types=(
        "aws:s3/bucket:Bucket",
        "aws:dynamodb/table:Table",
        "aws:sqs/queue:Queue",
        "aws:kinesis/stream:Stream",
        "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:backup/vault:Vault",
        "aws:customerprofiles/domain:Domain",
    ),
)

KNOWN = ", ".join(name.tag_value for name in DataClassName)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(store: Resource) -> rel.Verdict:
        if rel.is_unknown(rel.top(store, "tags")):
            return rel.unknown("tags")
        value = index.tags(store).get(rel.DATA_CLASSIFICATION_TAG)
        data_class = rel.data_class_from_tag(value)
        evidence = rel.ev(f"tags.{rel.DATA_CLASSIFICATION_TAG}", value, f"one of {KNOWN}")
        if data_class is None:
            return rel.failed(f"data-classification is {value or 'missing'}, not a data class", evidence)
        return rel.passed(f"holds {data_class.tag_value}", evidence)

    return rel.each(context, META, check)
