"""Amazon Q in Connect (Wisdom) knowledge bases, assistants and their data integrations use
customer-managed keys."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="wisdom_cmk_encryption",
    title="Knowledge bases, assistants and data integrations use customer-managed keys",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "The assistant sees the live contact transcript to suggest articles and keeps sessions; "
        "the knowledge base indexes internal support content. Both, and the AppIntegrations data "
        "integration feeding them, must be encrypted with a customer-managed key (GDPR Art. 32)."
    ),
    remediation=(
        "aws_native.wisdom.KnowledgeBase('kb', knowledge_base_type='EXTERNAL',\n"
        "    server_side_encryption_configuration={'kmsKeyId': key.arn}, source_configuration=...)"
    ),
    resource_types=(
        "aws-native:wisdom:KnowledgeBase",
        "aws-native:wisdom:Assistant",
        "aws-native:appintegrations:DataIntegration",
    ),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict:
        path = (
            "kmsKey"
            if resource.type == "aws-native:appintegrations:DataIntegration"
            else "serverSideEncryptionConfiguration.kmsKeyId"
        )
        return rel.key_verdict(index, path, resource.prop(path, None), "content")

    return rel.each(context, META, check)
