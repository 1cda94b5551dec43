"""SlaAlarms: one CloudWatch alarm per SLA tier on its Connect queue's longest wait against the tier's
respond target, notifying a KMS-encrypted SNS topic (alarm and recovery)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.config import SlaTier

CONNECT_NAMESPACE = "AWS/Connect"
QUEUE_WAIT_METRIC = "LongestQueueWaitTime"  # seconds, per queue (MetricGroup=Queue)
PERIOD_SECONDS = 60


@dataclass(frozen=True)
class AlarmSpec:
    """What one tier's alarm watches: plain values, so the sizing is tested without a runtime."""

    tier: str
    queue_name: str
    threshold_seconds: int
    evaluation_periods: int


def alarm_specs(tiers: Sequence[SlaTier]) -> list[AlarmSpec]:
    """A contact waiting longer than the respond target breaches the tier: alarm at the first
    minute above it (one period), so on-call hears of it while the contact is still waiting.
    The foundation names each tier's Connect queue after the tier."""
    return [
        AlarmSpec(
            tier=tier.name,
            queue_name=tier.name,
            threshold_seconds=tier.respond_minutes * 60,
            evaluation_periods=1,
        )
        for tier in tiers
    ]


@dataclass(frozen=True)
class SlaAlarmsArgs:
    tiers: Sequence[SlaTier]
    connect_instance_id: pulumi.Input[str]
    topic_key_arn: pulumi.Input[str]


class SlaAlarms(pulumi.ComponentResource):
    topic: aws.sns.Topic
    alarms: dict[str, aws.cloudwatch.MetricAlarm]

    def __init__(self, name: str, args: SlaAlarmsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("supportops:analytics:SlaAlarms", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.topic = aws.sns.Topic(f"{name}-notifications", kms_master_key_id=args.topic_key_arn, opts=child)
        self.alarms = {}
        for spec in alarm_specs(args.tiers):
            self.alarms[spec.tier] = aws.cloudwatch.MetricAlarm(
                f"{name}-{spec.tier.lower()}-respond",
                alarm_description=(
                    f"{spec.tier} SLA: a contact in queue {spec.queue_name} has waited longer than the "
                    f"respond target ({spec.threshold_seconds // 60} min)"
                ),
                namespace=CONNECT_NAMESPACE,
                metric_name=QUEUE_WAIT_METRIC,
                dimensions={
                    "InstanceId": args.connect_instance_id,
                    "MetricGroup": "Queue",
                    "QueueName": spec.queue_name,
                },
                statistic="Maximum",
                period=PERIOD_SECONDS,
                evaluation_periods=spec.evaluation_periods,
                threshold=float(spec.threshold_seconds),
                comparison_operator="GreaterThanThreshold",
                treat_missing_data="notBreaching",  # no metric while the queue is empty
                alarm_actions=[self.topic.arn],
                ok_actions=[self.topic.arn],
                opts=child,
            )
        self.register_outputs({"topicArn": self.topic.arn})
