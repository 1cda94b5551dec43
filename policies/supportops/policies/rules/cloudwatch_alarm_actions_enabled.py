"""CloudWatch alarms notify someone when they fire."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="cloudwatch_alarm_actions_enabled",
    title="CloudWatch alarms have enabled alarm actions",
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    rationale=(
        "SLA and availability alarms (99.9 % uptime, Critical tier answered within 15 minutes) only "
        "help if they page someone: an alarm without alarm_actions, or with actions disabled, "
        "changes state silently (PCI DSS 10.7.2 failures of critical controls are detected and "
        "responded to)."
    ),
    remediation=(
        "aws.cloudwatch.MetricAlarm('sla-critical', ..., actions_enabled=True,\n"
        "    alarm_actions=[notifications.arn], ok_actions=[notifications.arn])"
    ),
    resource_types=("aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/compositeAlarm:CompositeAlarm"),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(alarm: Resource) -> rel.Verdict:
        enabled = alarm.prop("actionsEnabled", None)
        actions = alarm.prop("alarmActions", None)
        if rel.is_unknown(enabled) or rel.is_unknown(actions):
            return rel.unknown("alarmActions")
        targets = [a for a in rel.strings(actions, "alarmActions") if a]
        evidence = rel.ev("alarmActions", targets, "at least one action, actions enabled")
        if rel.flag(enabled, "actionsEnabled") is False:
            return rel.failed("alarm actions are disabled", evidence)
        if not targets:
            return rel.failed("the alarm notifies no one", evidence)
        return rel.passed(f"the alarm notifies {len(targets)} target(s)", evidence)

    return rel.each(context, META, check)
