"""EBS volumes are encrypted."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.policies.rules.ec2_instance_volumes_encrypted import account_default_encrypts

META = RuleMeta(
    profile=Profile.BASELINE,
    id="ebs_volume_encrypted",
    title="EBS volumes are encrypted",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale="An unencrypted volume and its snapshots hold their data in clear (GDPR Art. 32).",
    remediation="aws.ebs.Volume('data', availability_zone=zone, size=20, encrypted=True)",
    resource_types=("aws:ebs/volume:Volume",),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    by_default = account_default_encrypts(context)

    def check(volume: Resource) -> rel.Verdict:
        value = volume.prop("encrypted", None)
        if rel.is_unknown(value):
            return rel.unknown("encrypted")
        evidence = rel.ev("encrypted", value, "true")
        if rel.flag(value, "encrypted") is True:
            return rel.passed("the volume is encrypted", evidence)
        if by_default:  # the region's default encrypts every new volume, whatever the flag says
            return rel.passed("the program turns on EBS encryption by default", evidence)
        if value is None:
            return rel.failed(
                "encrypted is not set and the program does not turn on EBS encryption by default: the "
                "volume is unencrypted unless the account's default encrypts it",
                evidence,
            )
        return rel.failed("the volume is not encrypted (encrypted is false)", evidence)

    return rel.each(context, META, check)
