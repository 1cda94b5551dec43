"""FindingsRouting: EventBridge rules sending GuardDuty, Inspector and Security Hub findings at the
configured severities to the KMS-encrypted security-alerts topic (undeliverable events kept in an
encrypted dead-letter queue).

With Security Hub on, the rules match Security Hub's imported findings by product in the home
region: the finding aggregator brings every linked region's findings there, with one severity scale
(``Severity.Label``). With Security Hub opted out, the rules match GuardDuty's and Inspector's own
events in the home region only."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.crm.messaging import DLQ_RETENTION_SECONDS, TARGET_RETRY, encrypted_queue
from supportops.stacks.config import DataClassName
from supportops.stacks.config.security_baseline import AlertSeverity
from supportops.stacks.policy_documents import document, service_principal
from supportops.stacks.tags import classification

# Security Hub's ProductName of each source.
PRODUCTS: dict[str, str] = {"guardduty": "GuardDuty", "inspector": "Inspector", "securityhub": "Security Hub"}
# GuardDuty's numeric severity bands (its documentation's LOW/MEDIUM/HIGH/CRITICAL ranges).
GUARDDUTY_BANDS: dict[AlertSeverity, tuple[float, float]] = {
    AlertSeverity.LOW: (1.0, 4.0),
    AlertSeverity.MEDIUM: (4.0, 7.0),
    AlertSeverity.HIGH: (7.0, 9.0),
    AlertSeverity.CRITICAL: (9.0, 10.1),
}


def _labels(severities: Sequence[AlertSeverity]) -> list[str]:
    return sorted(s.value for s in severities)


def security_hub_pattern(product: str, severities: Sequence[AlertSeverity]) -> str:
    """New, active findings of one product, as Security Hub imports them (all linked regions)."""
    return json.dumps(
        {
            "source": ["aws.securityhub"],
            "detail-type": ["Security Hub Findings - Imported"],
            "detail": {
                "findings": {
                    "ProductName": [product],
                    "Severity": {"Label": _labels(severities)},
                    "Workflow": {"Status": ["NEW"]},
                    "RecordState": ["ACTIVE"],
                }
            },
        },
        sort_keys=True,
    )


def guardduty_pattern(severities: Sequence[AlertSeverity]) -> str:
    bands: list[dict[str, Any]] = [
        {"numeric": [">=", low, "<", high]} for low, high in sorted(GUARDDUTY_BANDS[s] for s in severities)
    ]
    return json.dumps(
        {"source": ["aws.guardduty"], "detail-type": ["GuardDuty Finding"], "detail": {"severity": bands}},
        sort_keys=True,
    )


def inspector_pattern(severities: Sequence[AlertSeverity]) -> str:
    return json.dumps(
        {
            "source": ["aws.inspector2"],
            "detail-type": ["Inspector2 Finding"],
            "detail": {"severity": _labels(severities), "status": ["ACTIVE"]},
        },
        sort_keys=True,
    )


def routing_patterns(
    severities: Sequence[AlertSeverity], *, security_hub: bool, guardduty: bool, inspector: bool
) -> dict[str, str]:
    """Rule suffix -> event pattern, for the sources the stack deploys."""
    if security_hub:
        wanted = {"guardduty": guardduty, "inspector": inspector, "securityhub": True}
        return {
            source: security_hub_pattern(product, severities)
            for source, product in PRODUCTS.items()
            if wanted[source]
        }
    patterns: dict[str, str] = {}
    if guardduty:
        patterns["guardduty"] = guardduty_pattern(severities)
    if inspector:
        patterns["inspector"] = inspector_pattern(severities)
    return patterns


@dataclass(frozen=True)
class FindingsRoutingArgs:
    region: str  # the home region (where the aggregator delivers)
    kms_key_arn: pulumi.Input[str]
    patterns: dict[str, str]


class FindingsRouting(pulumi.ComponentResource):
    topic: aws.sns.Topic
    dead_letter_queue: aws.sqs.Queue
    rules: dict[str, aws.cloudwatch.EventRule]

    def __init__(
        self, name: str, args: FindingsRoutingArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:baseline:FindingsRouting", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.topic = aws.sns.Topic(
            f"{name}-alerts",
            kms_master_key_id=args.kms_key_arn,
            tags=classification(DataClassName.AUDIT_LOGS),
            region=args.region,
            opts=child,
        )
        self.dead_letter_queue = encrypted_queue(
            f"{name}-alerts-dlq",
            args.kms_key_arn,
            child,
            data_class=DataClassName.AUDIT_LOGS,
            retention_seconds=DLQ_RETENTION_SECONDS,
        )
        self.rules = {}
        for source, pattern in args.patterns.items():
            rule = aws.cloudwatch.EventRule(
                f"{name}-{source}",
                description=f"{PRODUCTS[source]} findings to the security-alerts topic",
                event_pattern=pattern,
                region=args.region,
                opts=child,
            )
            aws.cloudwatch.EventTarget(
                f"{name}-{source}",
                rule=rule.name,
                arn=self.topic.arn,
                dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(
                    arn=self.dead_letter_queue.arn
                ),
                retry_policy=TARGET_RETRY,
                region=args.region,
                opts=child,
            )
            self.rules[source] = rule
        rule_arns = [rule.arn for rule in self.rules.values()]
        aws.sns.TopicPolicy(
            f"{name}-alerts-policy",
            arn=self.topic.arn,
            policy=document(
                [
                    {
                        "Sid": "EventBridgePublishes",
                        "Effect": "Allow",
                        "Principal": service_principal("events"),
                        "Action": "sns:Publish",
                        "Resource": self.topic.arn,
                        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arns}},
                    },
                    _deny_insecure("sns:*", self.topic.arn),
                ]
            ),
            region=args.region,
            opts=child,
        )
        aws.sqs.QueuePolicy(
            f"{name}-alerts-dlq-policy",
            queue_url=self.dead_letter_queue.url,
            policy=document(
                [
                    {
                        "Sid": "EventBridgeParksUndelivered",
                        "Effect": "Allow",
                        "Principal": service_principal("events"),
                        "Action": "sqs:SendMessage",
                        "Resource": self.dead_letter_queue.arn,
                        "Condition": {"ArnEquals": {"aws:SourceArn": rule_arns}},
                    },
                    _deny_insecure("sqs:*", self.dead_letter_queue.arn),
                ]
            ),
            opts=child,
        )
        self.register_outputs({"topicArn": self.topic.arn})


def _deny_insecure(action: str, resource: pulumi.Input[str]) -> dict[str, Any]:
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": action,
        "Resource": resource,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
