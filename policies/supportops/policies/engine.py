"""Evaluate every catalog rule over an inventory.

A rule that raises (or returns something that is not a Finding) gives ERROR findings for the
resources it covers, never a crash and never a PASS or FAIL. Results are sorted deterministically.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from supportops.findings import Finding, Status
from supportops.inventory.model import STACK_TYPE, Inventory
from supportops.inventory.sources.gc_pause import gc_paused
from supportops.policies.catalog import all_rules
from supportops.policies.rule import PLATFORM_APPLIES, EvaluationContext, Premise, Profile, RuleModule
from supportops.stacks.config import StackConfig


@dataclass
class Evaluation:
    findings: list[Finding]
    rules: int
    seconds: float
    # One line per rule that could not be evaluated (its findings are ERROR).
    problems: list[str] = field(default_factory=list)


# check id, subject, status, message: a total, deterministic order (attrgetter keeps the sort in C).
finding_order = attrgetter("check_id", "subject", "status", "message")


def evaluate(
    inventory: Inventory,
    config: StackConfig,
    rules: Sequence[RuleModule] | None = None,
    premise: Premise = PLATFORM_APPLIES,
) -> Evaluation:
    context = EvaluationContext(inventory=inventory, config=config, premise=premise)
    catalog = all_rules() if rules is None else rules
    findings: list[Finding] = []
    problems: list[str] = []
    started = time.perf_counter()
    with gc_paused():
        for rule in catalog:
            findings.extend(_run(rule, context, problems))
        _say_what_was_invented(findings, inventory)
        findings.sort(key=finding_order)
    seconds = time.perf_counter() - started
    return Evaluation(findings=findings, rules=len(catalog), seconds=seconds, problems=problems)


def _run(rule: RuleModule, context: EvaluationContext, problems: list[str]) -> list[Finding]:
    if rule.META.profile is Profile.PLATFORM and not context.premise.platform:
        return _not_applicable(rule, context)
    produced: list[Finding] = []
    try:
        for finding in rule.evaluate(context):
            if not isinstance(finding, Finding):
                raise TypeError(f"returned {type(finding).__name__}, not a Finding")
            produced.append(finding)
    except Exception as exc:  # a broken rule must not take the run down
        reason = f"{type(exc).__name__}: {exc}"
        problems.append(f"rule {rule.META.id} could not be evaluated ({reason}); its findings are ERROR")
        produced.extend(_errors_for(rule, context, produced, reason))
    return produced


def _say_what_was_invented(findings: list[Finding], inventory: Inventory) -> None:
    """A verdict that read a value the offline planner made up (a data source's answer, a computed
    output) says so: it holds for the planned shape, not necessarily for what AWS will return."""
    for finding in findings:
        resource = inventory.by_urn(finding.subject)
        if resource is None or not resource.invented:
            continue
        made_up = {_root(path.split(".", 1)[1]) for path in resource.invented if "." in path}
        read = sorted({e.path for e in finding.evidence if _root(e.path) in made_up})
        if read:
            finding.message += f" (reads {', '.join(read)}: a value the offline planner invented)"


def _root(path: str) -> str:
    """``rules[0].schedule`` -> ``rules``: the top-level property a path starts at."""
    return path.split(".", 1)[0].split("[", 1)[0]


def _not_applicable(rule: RuleModule, context: EvaluationContext) -> list[Finding]:
    """A platform rule on a stack without the platform's config: NOT_APPLICABLE, with the reason, for
    every resource of its types (the report shows what was not judged, rather than a silent skip)."""
    message = f"platform profile rule: {context.premise.reason}"
    targets = context.inventory.of_type(*rule.META.resource_types)
    return [context.finding(rule.META, r, Status.NOT_APPLICABLE, message) for r in targets]


def _errors_for(
    rule: RuleModule, context: EvaluationContext, produced: list[Finding], reason: str
) -> list[Finding]:
    """ERROR for every resource the rule covers that did not already get a finding before it broke."""
    done = {f.subject for f in produced}
    message = f"the rule could not be evaluated: {reason}"
    targets = [r for r in context.inventory.of_type(*rule.META.resource_types) if r.urn not in done]
    if targets:
        return [context.finding(rule.META, r, Status.ERROR, message) for r in targets]
    if produced:
        return []
    stacks = context.inventory.of_type(STACK_TYPE)
    if stacks:
        return [context.finding(rule.META, stacks[0], Status.ERROR, message)]
    meta = rule.META
    return [Finding(check_id=meta.id, title=meta.title, status=Status.ERROR, severity=meta.severity,
                    subject=f"stack:{context.inventory.stack}", message=message, source="supportops",
                    category=meta.category.value, remediation=meta.remediation)]
