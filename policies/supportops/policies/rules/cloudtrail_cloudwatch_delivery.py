"""CloudTrail trails deliver events to CloudWatch Logs."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="cloudtrail_cloudwatch_delivery",
    title="CloudTrail trails deliver to CloudWatch Logs",
    severity=Severity.MEDIUM,
    category=Category.AUDIT_LOGGING,
    rationale=(
        "Metric filters and alarms on API activity (root use, key deletion, policy changes) need "
        "the trail's events in CloudWatch Logs (PCI DSS 10.4.1, 10.7)."
    ),
    remediation=(
        "aws.cloudtrail.Trail('audit', ...,\n"
        "    cloud_watch_logs_group_arn=pulumi.Output.concat(group.arn, ':*'),\n"
        "    cloud_watch_logs_role_arn=delivery_role.arn)"
    ),
    resource_types=("aws:cloudtrail/trail:Trail",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(resource: Resource) -> rel.Verdict:
        value = resource.prop("cloudWatchLogsGroupArn", None)
        if rel.is_unknown(value):
            return rel.unknown("cloudWatchLogsGroupArn")
        evidence = rel.ev("cloudWatchLogsGroupArn", value, "a log group ARN")
        if bool(value):
            return rel.passed("events are delivered to CloudWatch Logs", evidence)
        return rel.failed("events are not delivered to CloudWatch Logs", evidence)

    return rel.each(context, META, check)
