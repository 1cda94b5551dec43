"""Taggable resources carry owner, environment, phase and data-classification tags."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config.tag_keys import REQUIRED_TAG_KEYS

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="required_tags",
    title="Resources carry owner, environment, phase and data-classification tags",
    severity=Severity.LOW,
    category=Category.TAGGING,
    rationale=(
        "Access reviews, cost reports, backup selection and retention all find resources by tag; "
        "an untagged resource has no accountable owner (PCI DSS 12.5.1 inventory). Provider "
        "default tags count: they reach every resource the provider creates."
    ),
    remediation=(
        "aws.Provider('aws', region=config.region,\n"
        "    default_tags=aws.ProviderDefaultTagsArgs(tags=default_tags(config)))"
    ),
    resource_types=(
        "aws:s3/bucket:Bucket",
        "aws:kms/key:Key",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:cloudwatch/eventBus:EventBus",
        "aws:cloudwatch/eventRule:EventRule",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "aws:cloudtrail/trail:Trail",
        "aws:iam/role:Role",
        "aws:iam/policy:Policy",
        "aws:sqs/queue:Queue",
        "aws:sns/topic:Topic",
        "aws:dynamodb/table:Table",
        "aws:secretsmanager/secret:Secret",
        "aws:lambda/function:Function",
        "aws:kinesis/stream:Stream",
        "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
        "aws:athena/workgroup:Workgroup",
        "aws:glue/catalogDatabase:CatalogDatabase",
        "aws:backup/vault:Vault",
        "aws:backup/plan:Plan",
        "aws:connect/instance:Instance",
        "aws:connect/securityProfile:SecurityProfile",
        "aws:connect/contactFlow:ContactFlow",
        "aws:connect/contactFlowModule:ContactFlowModule",
        "aws:connect/queue:Queue",
        "aws:connect/routingProfile:RoutingProfile",
        "aws:connect/hoursOfOperation:HoursOfOperation",
        "aws:connect/user:User",
        "aws:connect/quickConnect:QuickConnect",
        "aws:apigatewayv2/api:Api",
        "aws:apigatewayv2/domainName:DomainName",
        "aws:apigatewayv2/stage:Stage",
        "aws:acm/certificate:Certificate",
        "aws:appflow/flow:Flow",
        "aws:customerprofiles/domain:Domain",
        "aws-native:wisdom:KnowledgeBase",
        "aws-native:wisdom:Assistant",
        "aws-native:appintegrations:DataIntegration",
    ),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict:
        own = rel.top(resource, "tags")
        if rel.is_unknown(own):
            return rel.unknown("tags")
        tags = index.tags(resource)
        missing = [key for key in REQUIRED_TAG_KEYS if not tags.get(key)]
        evidence = rel.ev("tags", {k: tags.get(k) for k in REQUIRED_TAG_KEYS}, ", ".join(REQUIRED_TAG_KEYS))
        if missing:
            return rel.failed(f"missing tags: {', '.join(missing)}", evidence)
        return rel.passed("all required tags are present", evidence)

    return rel.each(context, META, check)
