"""Kinesis streams keep records long enough for consumers to recover and replay."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="kinesis_stream_retention",
    title="Kinesis streams retain records for at least 7 days",
    severity=Severity.MEDIUM,
    category=Category.RESILIENCE,
    rationale=(
        "Contact trace records and agent events exist only on the stream until a consumer copies "
        "them; the 24-hour default loses them if the analytics consumer is down over a weekend. "
        "Seven days (168 hours) covers the RTO plus an unattended outage, then replay."
    ),
    remediation="aws.kinesis.Stream('ctr', ..., retention_period=168)",
    resource_types=(rel.KINESIS_STREAM,),
)

MIN_HOURS = 168
DEFAULT_HOURS = 24


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    floor = max(MIN_HOURS, -(-context.config.resilience.rto_minutes // 60))

    def check(stream: Resource) -> rel.Verdict:
        value = stream.prop("retentionPeriod", None)
        if rel.is_unknown(value):
            return rel.unknown("retentionPeriod")
        found = rel.whole_number(value, "retentionPeriod", minimum=0)
        hours = DEFAULT_HOURS if found is None else found  # 0 is a value, not "unset"
        evidence = rel.ev("retentionPeriod", hours, f">= {floor} hours")
        if hours < floor:
            return rel.failed(f"records are kept {hours:g} hours", evidence)
        return rel.passed(f"records are kept {hours:g} hours", evidence)

    return rel.each(context, META, check)
