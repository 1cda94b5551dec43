"""AWS Config records every supported resource type, is switched on, and delivers to a KMS-encrypted
bucket, in every region in scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from supportops.findings import Finding, Severity
from supportops.inventory.model import STACK_TYPE, Resource, unwrap
from supportops.policies import relations as rel
from supportops.policies import security_baseline as sb
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config.security_baseline import BaselineService

RECORDER: Final = "aws:cfg/recorder:Recorder"
STATUS: Final = "aws:cfg/recorderStatus:RecorderStatus"
CHANNEL: Final = "aws:cfg/deliveryChannel:DeliveryChannel"

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="config_recorder_all_resources",
    title="AWS Config records all resource types into a KMS-encrypted bucket in every region in scope",
    severity=Severity.HIGH,
    category=Category.SECURITY_MONITORING,
    rationale=(
        "A change-detection mechanism must see every configuration change (PCI DSS 11.5.2) and keep "
        "its history as audit evidence (HIPAA 164.312(b)): a recorder of all supported types "
        "(global ones included), switched on, delivering under a customer-managed key."
    ),
    remediation=(
        "rec = aws.cfg.Recorder('rec', role_arn=role.arn, region=region, recording_group={\n"
        "    'all_supported': True, 'include_global_resource_types': True})\n"
        "ch = aws.cfg.DeliveryChannel('ch', s3_bucket_name=audit.bucket, s3_kms_key_arn=key.arn,\n"
        "    region=region)\n"
        "aws.cfg.RecorderStatus('on', name=rec.name, is_enabled=True, opts=ResourceOptions(depends_on=[ch]))"
    ),
    resource_types=(STACK_TYPE, RECORDER, STATUS, CHANNEL),
    needs_stack=True,
)


def _records_everything(recorder: Resource) -> str | None:
    """None when the recorder records every supported type (global ones too), else what it lacks."""
    everything = sb.flag_or_default(recorder, "recordingGroup.allSupported", True)
    globals_too = sb.flag_or_default(recorder, "recordingGroup.includeGlobalResourceTypes", False)
    if everything is None or globals_too is None:
        raise rel.Unknown("recordingGroup")
    if not everything:
        return "records a chosen list of types"
    if not globals_too:
        return "leaves out global resource types (IAM)"
    return None


def _encrypted_delivery(index: rel.Relations, channel: Resource) -> str | None:
    """None when the channel delivers under a customer-managed key into a KMS-encrypted bucket."""
    key = index.key(channel.prop("s3KmsKeyArn", None))
    if key.kind is rel.KeyKind.UNKNOWN:
        raise rel.Unknown("s3KmsKeyArn")
    if not key.customer_managed:
        return "delivers without a customer-managed key (s3KmsKeyArn)"
    bucket = index.bucket_named(unwrap(channel.prop("s3BucketName", None)))
    if bucket is None:
        return None  # a bucket of another stack: the key on the channel is what we can see
    algorithms = [unwrap(setting.prop("rules", None)) for setting in index.bucket_settings(bucket).encryption]
    encrypted = any(
        isinstance(rule, dict)
        and rule.get("applyServerSideEncryptionByDefault", {}).get("sseAlgorithm")
        in ("aws:kms", "aws:kms:dsse")
        for rules in algorithms
        for rule in rel.as_list(rules)
    )
    return None if encrypted else f"bucket {bucket.name} is not KMS-encrypted"


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def decide() -> rel.Verdict:
        skipped = sb.premise(context, BaselineService.CONFIG_RECORDER)
        if skipped is not None:
            return skipped
        index = rel.relations(context.inventory)
        recorders = sb.by_region(context, index, RECORDER)
        statuses = sb.by_region(context, index, STATUS)
        channels = sb.by_region(context, index, CHANNEL)

        def check(region: str) -> tuple[bool, str]:
            problems: list[str] = []
            for recorder in recorders.get(region, []):
                lacking = _records_everything(recorder)
                on = [
                    s
                    for s in statuses.get(region, [])
                    if sb.names(s, "name", recorder, "name") and sb.flag_or_default(s, "isEnabled", False)
                ]
                if lacking is None and not on:
                    lacking = "is not switched on (no enabled recorder status)"
                if lacking is not None:
                    problems.append(f"recorder {recorder.name} {lacking}")
                    continue
                delivery = [_encrypted_delivery(index, ch) for ch in channels.get(region, [])]
                if None in delivery:
                    return True, f"recorder {recorder.name} records all types, on, encrypted delivery"
                if not delivery:
                    problems.append("no delivery channel")
                problems.extend(d for d in delivery if d)
            return False, "; ".join(problems) or "no recorder"

        what = "an enabled AWS Config recorder of all types with encrypted delivery"
        pending = None in recorders or None in statuses or None in channels
        return sb.region_verdict(context, what, check, pending=pending)

    return sb.each_stack(context, META, decide)
