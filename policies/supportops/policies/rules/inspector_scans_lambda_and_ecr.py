"""Amazon Inspector scans Lambda functions and ECR images in every region in scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from supportops.findings import Finding, Severity
from supportops.inventory.model import STACK_TYPE
from supportops.policies import relations as rel
from supportops.policies import security_baseline as sb
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config.security_baseline import REQUIRED_INSPECTOR_SCANS, BaselineService

ENABLER: Final = "aws:inspector2/enabler:Enabler"
REQUIRED: Final = frozenset(scan.value for scan in REQUIRED_INSPECTOR_SCANS)

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="inspector_scans_lambda_and_ecr",
    title="Inspector scans Lambda functions and ECR images in every region in scope",
    severity=Severity.HIGH,
    category=Category.SECURITY_MONITORING,
    rationale=(
        "PCI DSS 11.3.1 asks for internal vulnerability scans at least quarterly and after significant "
        "change; Inspector rescans functions and images continuously when a package or a CVE changes, "
        "and `supportops evidence collect vulnerability-scan` files its findings and coverage."
    ),
    remediation=(
        "aws.inspector2.Enabler('inspector', account_ids=[account_id],\n"
        "    resource_types=['ECR', 'LAMBDA', 'LAMBDA_CODE'], region=region)"
    ),
    resource_types=(STACK_TYPE, ENABLER),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def decide() -> rel.Verdict:
        skipped = sb.premise(context, BaselineService.INSPECTOR)
        if skipped is not None:
            return skipped
        index = rel.relations(context.inventory)
        enablers = sb.by_region(context, index, ENABLER)

        def check(region: str) -> tuple[bool, str]:
            scanned: set[str] = set()
            for enabler in enablers.get(region, []):
                value = enabler.prop("resourceTypes", None)
                if rel.is_unknown(value):
                    raise rel.Unknown("resourceTypes")
                scanned.update(rel.strings(value, "resourceTypes"))
            if not enablers.get(region):
                return False, "Inspector not enabled"
            missing = REQUIRED - scanned
            if missing:
                return False, f"scans {sb.joined(scanned)}; not {sb.joined(missing)}"
            return True, f"scans {sb.joined(scanned)}"

        what = f"Inspector scanning {sb.joined(REQUIRED)}"
        return sb.region_verdict(context, what, check, pending=None in enablers)

    return sb.each_stack(context, META, decide)
