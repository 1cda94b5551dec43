"""Contact events into the CRM: Connect's events (default bus) forwarded to a custom, KMS-encrypted
EventBridge bus, routed to a KMS-encrypted SQS queue with a dead-letter queue and redrive policy."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.config import DataClassName
from supportops.stacks.policy_documents import (
    assume_role_policy,
    document,
    service_principal,
)
from supportops.stacks.tags import classification

CONTACT_EVENT_PATTERN = json.dumps(
    {"source": ["aws.connect"], "detail-type": ["Amazon Connect Contact Event"]}, sort_keys=True
)
# Deliveries before a message is parked in the DLQ (each one a Lambda attempt with its own retries).
MAX_RECEIVE_COUNT = 5
DLQ_RETENTION_SECONDS = 14 * 24 * 3600  # the SQS maximum: time to investigate and redrive
# SQS visibility must cover the consumer's timeout with margin (AWS recommends 6x).
VISIBILITY_TIMEOUT_SECONDS = 180
# EventBridge retries a failing target for up to a day, then parks the event in the DLQ.
TARGET_RETRY = aws.cloudwatch.EventTargetRetryPolicyArgs(
    maximum_event_age_in_seconds=86400, maximum_retry_attempts=185
)


@dataclass(frozen=True)
class ContactEvents:
    bus: aws.cloudwatch.EventBus
    queue: aws.sqs.Queue
    dead_letter_queue: aws.sqs.Queue


def encrypted_queue(
    name: str,
    kms_key_arn: pulumi.Input[str],
    opts: pulumi.ResourceOptions,
    *,
    data_class: DataClassName,
    retention_seconds: int,
    visibility_timeout_seconds: int = 30,
    redrive_policy: pulumi.Input[str] | None = None,
) -> aws.sqs.Queue:
    return aws.sqs.Queue(
        name,
        name=name,
        kms_master_key_id=kms_key_arn,
        kms_data_key_reuse_period_seconds=300,
        message_retention_seconds=retention_seconds,
        visibility_timeout_seconds=visibility_timeout_seconds,
        redrive_policy=redrive_policy,
        tags=classification(data_class),
        opts=opts,
    )


def build_contact_events(name: str, kms_key_arn: pulumi.Input[str], parent: pulumi.Resource) -> ContactEvents:
    opts = pulumi.ResourceOptions(parent=parent)
    bus = aws.cloudwatch.EventBus(
        f"{name}-contact-events", name=f"{name}-contact-events", kms_key_identifier=kms_key_arn, opts=opts
    )
    dead_letters = encrypted_queue(
        f"{name}-ticket-sync-dlq",
        kms_key_arn,
        opts,
        data_class=DataClassName.TICKETS,
        retention_seconds=DLQ_RETENTION_SECONDS,
    )
    queue = encrypted_queue(
        f"{name}-ticket-sync",
        kms_key_arn,
        opts,
        data_class=DataClassName.TICKETS,
        visibility_timeout_seconds=VISIBILITY_TIMEOUT_SECONDS,
        retention_seconds=4 * 24 * 3600,
        redrive_policy=dead_letters.arn.apply(
            lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": MAX_RECEIVE_COUNT})
        ),
    )
    aws.sqs.RedriveAllowPolicy(
        f"{name}-ticket-sync-dlq-redrive-allow",
        queue_url=dead_letters.url,
        redrive_allow_policy=queue.arn.apply(
            lambda arn: json.dumps({"redrivePermission": "byQueue", "sourceQueueArns": [arn]})
        ),
        opts=opts,
    )

    # Connect publishes contact events on the account's default bus: forward them to ours.
    forward_role = aws.iam.Role(
        f"{name}-forward-contact-events",
        assume_role_policy=assume_role_policy("events"),
        opts=opts,
    )
    aws.iam.RolePolicy(
        f"{name}-forward-contact-events",
        role=forward_role.id,
        policy=document([{"Effect": "Allow", "Action": "events:PutEvents", "Resource": bus.arn}]),
        opts=opts,
    )
    forward = aws.cloudwatch.EventRule(
        f"{name}-forward-contact-events",
        description="Amazon Connect contact events to the contact-events bus",
        event_pattern=CONTACT_EVENT_PATTERN,
        opts=opts,
    )
    aws.cloudwatch.EventTarget(
        f"{name}-forward-contact-events",
        rule=forward.name,
        arn=bus.arn,
        role_arn=forward_role.arn,
        dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=dead_letters.arn),
        retry_policy=TARGET_RETRY,
        opts=opts,
    )

    to_queue = aws.cloudwatch.EventRule(
        f"{name}-contact-events-to-ticket-sync",
        event_bus_name=bus.name,
        description="Contact events to the ticket-sync queue",
        event_pattern=CONTACT_EVENT_PATTERN,
        opts=opts,
    )
    aws.cloudwatch.EventTarget(
        f"{name}-contact-events-to-ticket-sync",
        rule=to_queue.name,
        event_bus_name=bus.name,
        arn=queue.arn,
        dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=dead_letters.arn),
        retry_policy=TARGET_RETRY,
        opts=opts,
    )
    # The queue receives from its rule; the DLQ receives what either rule could not deliver.
    senders: tuple[tuple[aws.sqs.Queue, str, list[pulumi.Output[str]]], ...] = (
        (queue, "queue", [to_queue.arn]),
        (dead_letters, "dlq", [to_queue.arn, forward.arn]),
    )
    for target_queue, label, rules in senders:
        aws.sqs.QueuePolicy(
            f"{name}-ticket-sync-{label}-policy",
            queue_url=target_queue.url,
            policy=document(
                [
                    {
                        "Sid": "EventBridgeDelivers",
                        "Effect": "Allow",
                        "Principal": service_principal("events"),
                        "Action": "sqs:SendMessage",
                        "Resource": target_queue.arn,
                        "Condition": {"ArnEquals": {"aws:SourceArn": rules}},
                    },
                    {
                        "Sid": "DenyInsecureTransport",
                        "Effect": "Deny",
                        "Principal": "*",
                        "Action": "sqs:*",
                        "Resource": target_queue.arn,
                        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                    },
                ]
            ),
            opts=opts,
        )
    return ContactEvents(bus=bus, queue=queue, dead_letter_queue=dead_letters)
