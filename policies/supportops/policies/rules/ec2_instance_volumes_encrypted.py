"""EC2 instances encrypt their root and EBS block devices."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="ec2_instance_volumes_encrypted",
    title="EC2 instance root and EBS block devices are encrypted",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Unencrypted volumes and their snapshots hold the instance's data in clear; an account-wide "
        "EBS encryption default (aws.ebs.EncryptionByDefault) or per-device encryption prevents it."
    ),
    remediation="aws.ec2.Instance('vm', ..., root_block_device={'encrypted': True})",
    resource_types=("aws:ec2/instance:Instance",),
    needs_stack=True,
)

ENCRYPTION_BY_DEFAULT = "aws:ebs/encryptionByDefault:EncryptionByDefault"


def account_default_encrypts(context: EvaluationContext) -> bool:
    """The program turns on EBS encryption by default (the region's new volumes are all encrypted)."""
    settings = context.inventory.of_type(ENCRYPTION_BY_DEFAULT)
    for setting in settings:
        try:
            if rel.flag(setting.prop("enabled", None), f"{setting.name}.enabled") is not False:
                return True
        except rel.Unknown:
            continue  # unknown until apply: each volume stands on its own flag
    return False


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    by_default = account_default_encrypts(context)

    def check(instance: Resource) -> rel.Verdict:
        if by_default:
            return rel.passed("the program turns on EBS encryption by default")
        devices = [("rootBlockDevice", instance.prop("rootBlockDevice", None))]
        devices += [
            (f"ebsBlockDevices.{i}", device)
            for i, device in enumerate(rel.as_list(instance.prop("ebsBlockDevices", None)))
        ]
        for path, device in devices:
            value = device.get("encrypted") if isinstance(device, dict) else None
            if rel.is_unknown(value) or rel.is_unknown(device):
                return rel.unknown(f"{path}.encrypted")
            if rel.flag(value, f"{path}.encrypted") is not True:
                source = "the AMI's snapshot or " if path == "rootBlockDevice" else ""
                return rel.failed(
                    f"{path}.encrypted is not true and the program does not turn on EBS encryption by "
                    f"default: the volume is unencrypted unless {source}the account's default encrypts it",
                    rel.ev(f"{path}.encrypted", value, "true"),
                )
        return rel.passed("every block device is encrypted")

    return rel.each(context, META, check)
