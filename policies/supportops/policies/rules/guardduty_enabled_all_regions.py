"""GuardDuty is on, with the platform's protection plans, in every region in scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from supportops.findings import Finding, Severity
from supportops.inventory.model import STACK_TYPE
from supportops.policies import relations as rel
from supportops.policies import security_baseline as sb
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config.security_baseline import BaselineService

DETECTOR: Final = "aws:guardduty/detector:Detector"
FEATURE: Final = "aws:guardduty/detectorFeature:DetectorFeature"
ORGANIZATION: Final = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
ORGANIZATION_FEATURE: Final = (
    "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
)

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="guardduty_enabled_all_regions",
    title="GuardDuty is enabled with the platform's protection plans in every region in scope",
    severity=Severity.HIGH,
    category=Category.SECURITY_MONITORING,
    rationale=(
        "Intrusion detection must watch every region the platform may use, an attacker's favourite "
        "being the one nobody looks at (PCI DSS 11.5.1, 10.4.1.1; HIPAA 164.308(a)(1)(ii)(D)). "
        "GuardDuty reads CloudTrail, VPC flow and DNS logs; its S3 and Lambda protection plans watch "
        "the recordings buckets and the CRM functions. Opt out only with the reason recorded."
    ),
    remediation=(
        "# Pulumi.<stack>.yaml: remove securityBaseline.optOut.guardDuty, or give its reason\n"
        "aws.guardduty.Detector('gd', enable=True, region=region)\n"
        "aws.guardduty.DetectorFeature('gd-s3', detector_id=gd.id, name='S3_DATA_EVENTS', status='ENABLED')"
    ),
    resource_types=(STACK_TYPE, DETECTOR, FEATURE, ORGANIZATION, ORGANIZATION_FEATURE),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def decide() -> rel.Verdict:
        skipped = sb.premise(context, BaselineService.GUARDDUTY)
        if skipped is not None:
            return skipped
        index = rel.relations(context.inventory)
        detectors = sb.by_region(context, index, DETECTOR)
        features = context.inventory.of_type(FEATURE)
        wanted = {f.value for f in context.config.security_baseline.guard_duty_features}

        def check(region: str) -> tuple[bool, str]:
            found: list[str] = []
            for detector in detectors.get(region, []):
                enabled = sb.flag_or_default(detector, "enable", True)
                if enabled is None:
                    raise rel.Unknown("enable")
                plans = {
                    str(f.prop("name", ""))
                    for f in features
                    if sb.names(f, "detectorId", detector) and f.prop("status", None) == "ENABLED"
                }
                if enabled and wanted <= plans:
                    return True, f"detector {detector.name} enabled with {sb.joined(wanted)}"
                state = "enabled" if enabled else "disabled"
                found.append(f"detector {detector.name} {state}, plans missing: {sb.joined(wanted - plans)}")
            return False, "; ".join(found) or "no detector"

        what = f"an enabled GuardDuty detector with {sb.joined(wanted)}"
        return sb.region_verdict(context, what, check, pending=None in detectors)

    return sb.each_stack(context, META, decide)
