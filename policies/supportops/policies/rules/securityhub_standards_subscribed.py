"""Security Hub is on with AWS Foundational Security Best Practices and PCI DSS v4.0.1 subscribed, in
every region in scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from supportops.findings import Finding, Severity
from supportops.inventory.model import STACK_TYPE, unwrap
from supportops.policies import relations as rel
from supportops.policies import security_baseline as sb
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config.security_baseline import BaselineService

ACCOUNT: Final = "aws:securityhub/account:Account"
SUBSCRIPTION: Final = "aws:securityhub/standardsSubscription:StandardsSubscription"
AGGREGATOR: Final = "aws:securityhub/findingAggregator:FindingAggregator"
# Standard -> the part of its ARN after "arn:<partition>:securityhub:<region>::".
REQUIRED_STANDARDS: Final = {
    "AWS Foundational Security Best Practices v1.0.0": (
        "standards/aws-foundational-security-best-practices/v/1.0.0"
    ),
    "PCI DSS v4.0.1": "standards/pci-dss/v/4.0.1",
}

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="securityhub_standards_subscribed",
    title="Security Hub runs AWS FSBP and PCI DSS v4.0.1 in every region in scope",
    severity=Severity.HIGH,
    category=Category.SECURITY_MONITORING,
    rationale=(
        "Security Hub's PCI DSS v4.0.1 and Foundational Security Best Practices standards check the "
        "deployed account continuously (change detection and automated log review: PCI DSS 11.5.2, "
        "10.4.1.1; HIPAA 164.308(a)(1)(ii)(D)) and collect GuardDuty and Inspector findings in one "
        "place. Standards are regional: each region in scope subscribes its own."
    ),
    remediation=(
        "hub = aws.securityhub.Account('hub', enable_default_standards=False, region=region)\n"
        "aws.securityhub.StandardsSubscription('pci', region=region,\n"
        "    standards_arn=f'arn:aws:securityhub:{region}::standards/pci-dss/v/4.0.1',\n"
        "    opts=ResourceOptions(depends_on=[hub]))"
    ),
    resource_types=(STACK_TYPE, ACCOUNT, SUBSCRIPTION, AGGREGATOR),
    needs_stack=True,
)


def _standard_of(arn: object, region: str) -> str | None:
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return None
    parts = arn.split(":", 5)
    if len(parts) < 6 or parts[2] != "securityhub" or parts[3] != region:
        return None
    path = parts[5].lstrip(":")
    return next((name for name, wanted in REQUIRED_STANDARDS.items() if path == wanted), None)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def decide() -> rel.Verdict:
        skipped = sb.premise(context, BaselineService.SECURITY_HUB)
        if skipped is not None:
            return skipped
        index = rel.relations(context.inventory)
        accounts = sb.by_region(context, index, ACCOUNT)
        subscriptions = sb.by_region(context, index, SUBSCRIPTION)

        def check(region: str) -> tuple[bool, str]:
            if not accounts.get(region):
                return False, "Security Hub not enabled"
            arns = [unwrap(s.prop("standardsArn", None)) for s in subscriptions.get(region, [])]
            if any(rel.is_unknown(arn) for arn in arns):
                raise rel.Unknown("standardsArn")
            subscribed = {name for arn in arns if (name := _standard_of(arn, region)) is not None}
            missing = set(REQUIRED_STANDARDS) - subscribed
            if missing:
                return False, f"Security Hub enabled; not subscribed: {sb.joined(missing)}"
            return True, f"Security Hub enabled; subscribed: {sb.joined(subscribed)}"

        what = f"Security Hub with {sb.joined(REQUIRED_STANDARDS)}"
        return sb.region_verdict(context, what, check, pending=None in accounts or None in subscriptions)

    return sb.each_stack(context, META, decide)
