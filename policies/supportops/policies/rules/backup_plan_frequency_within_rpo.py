"""AWS Backup plans take recovery points at least as often as the RPO."""

from __future__ import annotations

import math
from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.loading import bounded
from supportops.policies import relations as rel
from supportops.policies.backup_schedules import ScheduleError, largest_gap_minutes
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="backup_plan_frequency_within_rpo",
    title="Backup plans back up at least as often as the RPO (schedule or continuous)",
    severity=Severity.HIGH,
    category=Category.RESILIENCE,
    rationale=(
        "The recovery point objective (resilience.rpoMinutes, 15 minutes by default) bounds how much "
        "data a restore may lose: a plan's schedule interval must not exceed it, or the rule must "
        "use continuous backup (point-in-time restore)."
    ),
    remediation=(
        "aws.backup.Plan('plan', rules=[{'ruleName': 'rpo', 'targetVaultName': vault.name,\n"
        "    'schedule': 'cron(0 * * * ? *)', 'enableContinuousBackup': True,\n"
        "    'lifecycle': {'deleteAfter': 35}}])"
    ),
    resource_types=("aws:backup/plan:Plan",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    rpo = context.config.resilience.rpo_minutes

    def check(plan: Resource) -> rel.Verdict:
        rules = plan.prop("rules", None)
        if rel.is_unknown(rules):
            return rel.unknown("rules")
        expressions: list[str] = []
        for i, _ in enumerate(rel.records(rules, "rules")):
            continuous = plan.prop(f"rules.{i}.enableContinuousBackup", None)
            schedule = plan.prop(f"rules.{i}.schedule", None)
            if rel.is_unknown(continuous) or rel.is_unknown(schedule):
                return rel.unknown(f"rules.{i}")
            if rel.flag(continuous, f"rules.{i}.enableContinuousBackup") is True:
                return rel.passed(
                    f"rule {i} uses continuous backup (point-in-time, within the {rpo}-minute RPO)",
                    rel.ev(f"rules.{i}.enableContinuousBackup", True),
                )
            expression = rel.text(schedule, f"rules.{i}.schedule")
            if expression is not None:
                expressions.append(expression)
        expected = f"<= {rpo} minutes or enableContinuousBackup"
        if not expressions:
            return rel.failed(
                "no rule has a schedule or continuous backup", rel.ev("rules[].schedule", None, expected)
            )
        try:
            gap = largest_gap_minutes(expressions)
        except ScheduleError as exc:
            return rel.errored(
                f"schedule cannot be evaluated: {exc}",
                rel.ev("rules[].schedule", bounded(expressions), expected),
            )
        evidence = rel.ev("rules[].schedule", expressions, expected)
        if math.isinf(gap):
            return rel.failed("the schedules stop firing (a year field ends them)", evidence)
        if gap > rpo:
            return rel.failed(
                f"up to {_minutes(gap)} between recovery points exceeds the {rpo}-minute RPO", evidence
            )
        return rel.passed(f"at most {_minutes(gap)} between recovery points", evidence)

    return rel.each(context, META, check)


def _minutes(gap: float) -> str:
    """``90 minutes``, ``3 days`` (the larger unit when it is exact)."""
    minutes = int(gap)
    for unit, size in (("day", 1440), ("hour", 60)):
        if minutes >= size and minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
