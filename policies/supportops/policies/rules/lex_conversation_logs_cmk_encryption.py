"""Lex V2 conversation logs (audio in S3, text in CloudWatch) are encrypted with customer-managed
keys."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="lex_conversation_logs_cmk_encryption",
    title="Lex bot conversation logs are encrypted with customer-managed keys",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Self-service conversations capture what callers say, including personal data; audio logs "
        "need a kms_key_arn on their S3 destination and text logs a log group encrypted with a "
        "customer-managed key (GDPR Art. 32, PCI DSS 3.5.1)."
    ),
    remediation=(
        "aws_native.lex.BotAlias('live', ..., conversation_log_settings={\n"
        "    'audioLogSettings': [{'enabled': True, 'destination': {'s3Bucket': {\n"
        "        's3BucketArn': bucket.arn, 'logPrefix': 'audio/', 'kmsKeyArn': key.arn}}}],\n"
        "    'textLogSettings': [{'enabled': True, 'destination': {'cloudWatch': {\n"
        "        'cloudWatchLogGroupArn': encrypted_group.arn, 'logPrefix': 'text/'}}}]})"
    ),
    resource_types=("aws-native:lex:BotAlias",),
    needs_stack=True,
)

SETTINGS = "conversationLogSettings"


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(alias: Resource) -> rel.Verdict:
        settings = alias.prop(SETTINGS, None)
        if rel.is_unknown(settings):
            return rel.unknown(SETTINGS)
        verdicts: list[rel.Verdict] = []
        audi_path = f"{SETTINGS}.audioLogSettings"
        for i, _ in enumerate(rel.items(alias.prop(audi_path, None), audi_path)):
            base = f"{SETTINGS}.audioLogSettings.{i}"
            if rel.flag(alias.prop(f"{base}.enabled", None), f"{base}.enabled") is False:
                continue
            path = f"{base}.destination.s3Bucket.kmsKeyArn"
            verdicts.append(rel.key_verdict(index, path, alias.prop(path, None), "audio logs"))
        text_path = f"{SETTINGS}.textLogSettings"
        for i, _ in enumerate(rel.items(alias.prop(text_path, None), text_path)):
            base = f"{SETTINGS}.textLogSettings.{i}"
            if rel.flag(alias.prop(f"{base}.enabled", None), f"{base}.enabled") is False:
                continue
            path = f"{base}.destination.cloudWatch.cloudWatchLogGroupArn"
            arn = alias.prop(path, None)
            if rel.is_unknown(arn):
                verdicts.append(rel.unknown(path))
                continue
            group = index.log_group(arn)
            if group is None:
                verdicts.append(
                    rel.not_applicable(f"log group {arn} is declared outside this stack", rel.ev(path, arn))
                )
                continue
            verdicts.append(
                rel.key_verdict(
                    index,
                    f"{group.name}.kmsKeyId",
                    group.prop("kmsKeyId", None),
                    f"text logs in {group.name}",
                )
            )
        return rel.combine(verdicts) or rel.not_applicable("conversation logs are not enabled")

    return rel.each(context, META, check)
