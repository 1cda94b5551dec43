"""AWS Backup plans take recovery points at least as often as the RPO."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, RuleMeta

META = RuleMeta(
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

_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_UNITS = {"minute": 1, "minutes": 1, "hour": 60, "hours": 60, "day": 1440, "days": 1440}


def _largest_gap(field: str, span: int) -> int:
    """The largest gap between two firings of a cron field over its span (a single value: span)."""
    if field in ("*", "?"):
        return 1
    if "/" in field:
        return int(field.split("/", 1)[1])
    if "-" in field and "," not in field:
        low, high = (int(v) for v in field.split("-", 1))
        return max(1, span - (high - low))
    values = sorted({int(v) for v in field.split(",")})
    if len(values) == 1:
        return span
    gaps = [b - a for a, b in itertools.pairwise(values)]
    return max(*gaps, span - values[-1] + values[0])


def interval_minutes(expression: str) -> int:
    """The longest time between two runs of an AWS Backup schedule (cron(...) or rate(...))."""
    expression = expression.strip()
    rate = _RATE.match(expression)
    if rate:
        return int(rate.group(1)) * _UNITS[rate.group(2)]
    if not (expression.startswith("cron(") and expression.endswith(")")):
        raise ValueError(f"not a schedule expression: {expression!r}")
    fields = expression[5:-1].split()
    if len(fields) < 5:
        raise ValueError(f"a cron expression needs 6 fields: {expression!r}")
    minute, hour, day_of_month, _month, day_of_week = fields[:5]
    interval = _largest_gap(minute, 60) if hour in ("*", "?") else _largest_gap(hour, 24) * 60
    if day_of_week not in ("*", "?"):
        # Some days of the week only: at least a day apart, a week for a single day.
        single = "," not in day_of_week and "-" not in day_of_week and "/" not in day_of_week
        interval = max(interval, 7 * 1440 if single else 1440)
    elif day_of_month not in ("*", "?"):
        interval = max(interval, 31 * 1440)
    return interval


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    rpo = context.config.resilience.rpo_minutes

    def check(plan: Resource) -> rel.Verdict:
        rules = plan.prop("rules", None)
        if rel.is_unknown(rules):
            return rel.unknown("rules")
        best: int | None = None
        for i, _ in enumerate(rel.as_list(rules)):
            continuous = plan.prop(f"rules.{i}.enableContinuousBackup", None)
            schedule = plan.prop(f"rules.{i}.schedule", None)
            if rel.is_unknown(continuous) or rel.is_unknown(schedule):
                return rel.unknown(f"rules.{i}")
            if rel.truthy(continuous) is True:
                return rel.passed(
                    f"rule {i} uses continuous backup (point-in-time, within the {rpo}-minute RPO)",
                    rel.ev(f"rules.{i}.enableContinuousBackup", True),
                )
            if isinstance(schedule, str):
                minutes = interval_minutes(schedule)
                best = minutes if best is None else min(best, minutes)
        evidence = rel.ev("rules[].schedule", best, f"<= {rpo} minutes or enableContinuousBackup")
        if best is None:
            return rel.failed("no rule has a schedule or continuous backup", evidence)
        if best > rpo:
            return rel.failed(f"recovery points every {best} minutes exceed the {rpo}-minute RPO", evidence)
        return rel.passed(f"recovery points every {best} minutes", evidence)

    return rel.each(context, META, check)
