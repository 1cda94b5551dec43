"""Hours of operation, one queue per SLA tier (its targets on the queue), escalation queues for
support levels L2 and L3, quick connects L1 -> L2 -> L3 and one routing profile per level."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.config import SlaTier
from supportops.stacks.config.model import ContactCenterConfig, SupportLevel

WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
WORKDAYS = WEEK[:5]
CHANNELS = ("VOICE", "CHAT")


def sla_tags(tier: SlaTier) -> dict[str, str]:
    return {
        "sla-tier": tier.name,
        "sla-respond-minutes": str(tier.respond_minutes),
        "sla-resolve-minutes": str(tier.resolve_minutes),
    }


def sla_description(tier: SlaTier) -> str:
    hours = "business hours" if tier.business_hours_only else "24x7"
    return (
        f"SLA tier {tier.name}: respond within {tier.respond_minutes} min, "
        f"resolve within {tier.resolve_minutes} min ({hours})"
    )


@dataclass(frozen=True)
class Routing:
    always_open: aws.connect.HoursOfOperation
    business_hours: aws.connect.HoursOfOperation
    tier_queues: dict[str, aws.connect.Queue]
    escalation_queues: dict[SupportLevel, aws.connect.Queue]  # L2, L3
    quick_connects: dict[SupportLevel, aws.connect.QuickConnect]  # escalate *to* L2, L3
    routing_profiles: dict[SupportLevel, aws.connect.RoutingProfile]


def _hours(
    name: str,
    instance_id: pulumi.Input[str],
    time_zone: str,
    days: Sequence[str],
    start: int,
    end: int,
    description: str,
    opts: pulumi.ResourceOptions,
) -> aws.connect.HoursOfOperation:
    end_hours, end_minutes = (23, 59) if end >= 24 else (end, 0)
    return aws.connect.HoursOfOperation(
        name,
        name=name,
        instance_id=instance_id,
        time_zone=time_zone,
        description=description,
        configs=[
            aws.connect.HoursOfOperationConfigArgs(
                day=day,
                start_time=aws.connect.HoursOfOperationConfigStartTimeArgs(hours=start, minutes=0),
                end_time=aws.connect.HoursOfOperationConfigEndTimeArgs(hours=end_hours, minutes=end_minutes),
            )
            for day in days
        ],
        opts=opts,
    )


def _queue_configs(queues: Sequence[aws.connect.Queue]) -> list[aws.connect.RoutingProfileQueueConfigArgs]:
    return [
        aws.connect.RoutingProfileQueueConfigArgs(
            channel=channel, delay=0, priority=priority, queue_id=queue.queue_id
        )
        for priority, queue in enumerate(queues, start=1)
        for channel in CHANNELS
    ]


def build_routing(
    name: str,
    instance_id: pulumi.Input[str],
    tiers: Sequence[SlaTier],
    settings: ContactCenterConfig,
    transfer_flow_id: pulumi.Input[str],
    parent: pulumi.Resource,
) -> Routing:
    opts = pulumi.ResourceOptions(parent=parent)
    always_open = _hours(
        f"{name}-always-open", instance_id, settings.time_zone, WEEK, 0, 24, "Open 24x7", opts
    )
    business = _hours(
        f"{name}-business-hours",
        instance_id,
        settings.time_zone,
        WORKDAYS,
        settings.business_hours_start,
        settings.business_hours_end,
        "Business hours",
        opts,
    )

    def escalation_queue(
        level: SupportLevel, quick_connect_ids: list[pulumi.Output[str]]
    ) -> aws.connect.Queue:
        return aws.connect.Queue(
            f"{name}-escalation-{level.value.lower()}",
            name=f"Escalation-{level.value}",
            instance_id=instance_id,
            hours_of_operation_id=always_open.hours_of_operation_id,
            description=f"Contacts escalated to support level {level.value}",
            quick_connect_ids=quick_connect_ids,
            tags={"support-level": level.value},
            opts=opts,
        )

    def escalate_to(level: SupportLevel, queue: aws.connect.Queue) -> aws.connect.QuickConnect:
        return aws.connect.QuickConnect(
            f"{name}-escalate-to-{level.value.lower()}",
            name=f"Escalate to {level.value}",
            instance_id=instance_id,
            description=f"Transfer the contact to the {level.value} escalation queue",
            quick_connect_config=aws.connect.QuickConnectQuickConnectConfigArgs(
                quick_connect_type="QUEUE",
                queue_configs=[
                    aws.connect.QuickConnectQuickConnectConfigQueueConfigArgs(
                        contact_flow_id=transfer_flow_id, queue_id=queue.queue_id
                    )
                ],
            ),
            opts=opts,
        )

    l3_queue = escalation_queue(SupportLevel.L3, [])
    to_l3 = escalate_to(SupportLevel.L3, l3_queue)
    l2_queue = escalation_queue(SupportLevel.L2, [to_l3.quick_connect_id])
    to_l2 = escalate_to(SupportLevel.L2, l2_queue)
    tier_queues = {
        tier.name: aws.connect.Queue(
            f"{name}-queue-{tier.name.lower()}",
            name=tier.name,
            instance_id=instance_id,
            hours_of_operation_id=(
                business if tier.business_hours_only else always_open
            ).hours_of_operation_id,
            description=sla_description(tier),
            quick_connect_ids=[to_l2.quick_connect_id],
            tags=sla_tags(tier),
            opts=opts,
        )
        for tier in tiers
    }
    ordered = [tier_queues[tier.name] for tier in tiers]

    def profile(
        level: SupportLevel, queues: Sequence[aws.connect.Queue], what: str
    ) -> aws.connect.RoutingProfile:
        return aws.connect.RoutingProfile(
            f"{name}-routing-{level.value.lower()}",
            name=f"Support {level.value}",
            instance_id=instance_id,
            description=what,
            default_outbound_queue_id=queues[0].queue_id,
            media_concurrencies=[
                aws.connect.RoutingProfileMediaConcurrencyArgs(channel="VOICE", concurrency=1),
                aws.connect.RoutingProfileMediaConcurrencyArgs(channel="CHAT", concurrency=2),
            ],
            queue_configs=_queue_configs(queues),
            opts=opts,
        )

    profiles = {
        SupportLevel.L1: profile(SupportLevel.L1, ordered, "First line: every SLA tier, most urgent first"),
        SupportLevel.L2: profile(
            SupportLevel.L2, [l2_queue, ordered[0]], "Second line: L2 escalations, then the most urgent tier"
        ),
        SupportLevel.L3: profile(SupportLevel.L3, [l3_queue], "Third line: L3 escalations"),
    }
    return Routing(
        always_open=always_open,
        business_hours=business,
        tier_queues=tier_queues,
        escalation_queues={SupportLevel.L2: l2_queue, SupportLevel.L3: l3_queue},
        quick_connects={SupportLevel.L2: to_l2, SupportLevel.L3: to_l3},
        routing_profiles=profiles,
    )
