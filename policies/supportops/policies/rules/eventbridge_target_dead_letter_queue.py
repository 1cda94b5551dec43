"""EventBridge targets keep undeliverable events in a dead-letter queue."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="eventbridge_target_dead_letter_queue",
    title="EventBridge targets have a dead-letter queue",
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    rationale=(
        "EventBridge retries a failing target for up to 24 hours, then drops the event: a contact "
        "event lost this way never reaches the CRM. A dead-letter queue keeps it for replay."
    ),
    remediation=(
        "aws.cloudwatch.EventTarget('to-sync', rule=rule.name, event_bus_name=bus.name, arn=queue.arn,\n"
        "    dead_letter_config={'arn': dlq.arn}, retry_policy={'maximumEventAgeInSeconds': 86400})"
    ),
    resource_types=("aws:cloudwatch/eventTarget:EventTarget",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(target: Resource) -> rel.Verdict:
        dlq = target.prop("deadLetterConfig.arn", None)
        if rel.is_unknown(dlq):
            return rel.unknown("deadLetterConfig.arn")
        evidence = rel.ev("deadLetterConfig.arn", dlq, "an SQS queue ARN")
        if dlq:
            return rel.passed(f"undeliverable events go to {dlq}", evidence)
        return rel.failed("undeliverable events are dropped after the retry window", evidence)

    return rel.each(context, META, check)
