"""What the security-baseline rules share: when they apply, the regions in scope, resources by
region, and whether one resource names another.

The baseline (GuardDuty, Security Hub, Inspector, AWS Config, Access Analyzer, findings routing) is
the foundation phase's: other phases answer NOT_APPLICABLE, and so does a stack that opted a service
out under ``securityBaseline.optOut`` -- with the reason it recorded. Each rule gives one verdict per
stack (the stack resource is its subject): "present and configured in every region in scope", with
one evidence line per region.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

from supportops.findings import Evidence, Finding
from supportops.inventory.model import STACK_TYPE, Resource, is_known, unwrap
from supportops.policies import relations as rel
from supportops.policies.rule import EvaluationContext, RuleMeta
from supportops.stacks.config import Phase
from supportops.stacks.config.security_baseline import BaselineService

OPT_OUT_KEY: Final = "supportops:securityBaseline.optOut"

RegionCheck = Callable[[str], tuple[bool, str]]  # region -> (configured?, what was found)


def premise(context: EvaluationContext, *services: BaselineService) -> rel.Verdict | None:
    """NOT_APPLICABLE (with the reason) when the stack is not the foundation or opted out of every
    named service; None when the rule applies."""
    phase = context.config.phase
    if phase is not Phase.FOUNDATION:
        return rel.not_applicable(
            "the security baseline is deployed by the foundation phase; "
            f"this stack is the {phase.value} phase"
        )
    settings = context.config.security_baseline
    reasons = [(s, settings.opt_out_reason(s)) for s in services]
    if reasons and all(reason is not None for _, reason in reasons):
        said = "; ".join(f"{s.label} opted out: {reason}" for s, reason in reasons)
        return rel.not_applicable(said, rel.ev(f"{OPT_OUT_KEY}.{services[0].value}", reasons[0][1]))
    return None


def regions(context: EvaluationContext) -> list[str]:
    return context.config.baseline_regions()


def by_region(
    context: EvaluationContext, index: rel.Relations, *types: str
) -> dict[str | None, list[Resource]]:
    """Resources of ``types`` by region (None: unknown until apply)."""
    found: dict[str | None, list[Resource]] = {}
    for resource in context.inventory.of_type(*types):
        found.setdefault(index.region(resource, context.config), []).append(resource)
    return found


def names(setting: Resource, path: str, target: Resource, *fields: str) -> bool:
    """True when ``setting``'s ``path`` names ``target`` (its id or one of ``fields``), or, while the
    value is unknown until apply, when ``setting`` depends on ``target``."""
    value = unwrap(setting.prop(path, None))
    if rel.is_unknown(value):
        return target.urn in setting.dependencies
    refs = {target.id, *(unwrap(target.prop(f, None)) for f in ("id", *fields))}
    return isinstance(value, str) and is_known(value) and value in refs


def flag_or_default(resource: Resource, path: str, default: bool) -> bool | None:
    """The flag's value (AWS's default when unset); None while unknown until apply."""
    value = resource.prop(path, None)
    if rel.is_unknown(value):
        return None
    if value is None:
        return default
    return rel.flag(value, path)


def region_verdict(
    context: EvaluationContext, what: str, check: RegionCheck, *, pending: bool = False
) -> rel.Verdict:
    """PASS when ``check`` holds in every region in scope, else FAIL naming the regions it does not
    (NOT_APPLICABLE instead while ``pending``: some resource's region is unknown until apply)."""
    evidence: list[Evidence] = []
    missing: list[str] = []
    details: list[str] = []
    for region in regions(context):
        ok, found = check(region)
        evidence.append(rel.ev(f"region {region}", found, what))
        if not ok:
            missing.append(region)
            details.append(f"{region} ({found})")
    if missing and pending:
        return rel.unknown("region")
    if missing:
        return rel.failed(f"{what}: not in {'; '.join(details)}", *evidence)
    return rel.passed(f"{what} in every region in scope ({', '.join(regions(context))})", *evidence)


def each_stack(
    context: EvaluationContext, meta: RuleMeta, decide: Callable[[], rel.Verdict]
) -> Iterator[Finding]:
    """One finding per stack resource (an inventory holds one)."""
    verdict: list[rel.Verdict] = []

    def check(_stack: Resource) -> rel.Verdict:
        if not verdict:
            verdict.append(decide())
        return verdict[0]

    return rel.each(context, meta, check, types=(STACK_TYPE,))


def strings_of(value: Any) -> list[str]:
    return [v for v in rel.as_list(unwrap(value)) if isinstance(v, str)]


def joined(items: Iterable[str]) -> str:
    return ", ".join(sorted(items)) or "none"
