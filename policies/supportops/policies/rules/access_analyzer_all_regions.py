"""IAM Access Analyzer watches resource policies in every region in scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from supportops.findings import Finding, Severity
from supportops.inventory.model import STACK_TYPE, unwrap
from supportops.policies import relations as rel
from supportops.policies import security_baseline as sb
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config.security_baseline import BaselineService

ANALYZER: Final = "aws:accessanalyzer/analyzer:Analyzer"
EXTERNAL_ACCESS: Final = frozenset({"ACCOUNT", "ORGANIZATION"})

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="access_analyzer_all_regions",
    title="IAM Access Analyzer (external access) runs in every region in scope",
    severity=Severity.MEDIUM,
    category=Category.SECURITY_MONITORING,
    rationale=(
        "A bucket, key, queue or role opened outside the account (or organization) is found by an "
        "external-access analyzer in the resource's region; analyzers are regional, so every region "
        "in scope needs one (PCI DSS 10.4.1.1 automated review; HIPAA 164.308(a)(1)(ii)(D))."
    ),
    remediation=(
        "aws.accessanalyzer.Analyzer('external', analyzer_name='external', type='ACCOUNT',\n"
        "    region=region)"
    ),
    resource_types=(STACK_TYPE, ANALYZER),
    needs_stack=True,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def decide() -> rel.Verdict:
        skipped = sb.premise(context, BaselineService.ACCESS_ANALYZER)
        if skipped is not None:
            return skipped
        index = rel.relations(context.inventory)
        analyzers = sb.by_region(context, index, ANALYZER)

        def check(region: str) -> tuple[bool, str]:
            kinds = []
            for analyzer in analyzers.get(region, []):
                kind = unwrap(analyzer.prop("type", None))
                if rel.is_unknown(kind):
                    raise rel.Unknown("type")
                kinds.append("ACCOUNT" if kind is None else str(kind))  # AWS's default type
            external = [k for k in kinds if k in EXTERNAL_ACCESS]
            if external:
                return True, f"{external[0].lower()} analyzer"
            return False, f"analyzers: {sb.joined(kinds)} (no external-access analyzer)"

        return sb.region_verdict(context, "an external-access analyzer", check, pending=None in analyzers)

    return sb.each_stack(context, META, decide)
