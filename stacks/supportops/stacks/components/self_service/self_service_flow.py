"""SelfServiceEntry: the Lex bot associated with the Connect instance and the self-service IVR flow
that uses it, escalating to the tier queue chosen by :func:`ivr_flow.escalation_tier`; the bot pilot's
traffic share and precision floor come from ``StackConfig.bot_pilot``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_aws_native as aws_native

from supportops.stacks.components.self_service.intents import IntentDefinition
from supportops.stacks.components.self_service.ivr_flow import (
    SelfServiceFlowInputs,
    escalation_tier,
    self_service_flow,
)
from supportops.stacks.config import SlaTier
from supportops.stacks.config.model import BotPilotConfig


@dataclass(frozen=True)
class SelfServiceEntryArgs:
    connect_instance_id: pulumi.Input[str]
    connect_instance_arn: pulumi.Input[str]
    bot_alias_arn: pulumi.Input[str]
    intents: tuple[IntentDefinition, ...]
    tiers: Sequence[SlaTier]
    language: str
    pilot: BotPilotConfig


class SelfServiceEntry(pulumi.ComponentResource):
    flow: aws.connect.ContactFlow

    def __init__(
        self, name: str, args: SelfServiceEntryArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:self_service:SelfServiceEntry", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        association = aws_native.connect.IntegrationAssociation(
            f"{name}-bot",
            instance_id=args.connect_instance_arn,
            integration_type=aws_native.connect.IntegrationAssociationIntegrationType.LEX_BOT,
            integration_arn=args.bot_alias_arn,
            opts=child,
        )
        queue = aws.connect.get_queue_output(
            instance_id=args.connect_instance_id,
            name=escalation_tier(args.tiers).name,
            opts=pulumi.InvokeOutputOptions(parent=self),
        )
        content = pulumi.Output.all(args.bot_alias_arn, queue.arn).apply(
            lambda values: self_service_flow(
                SelfServiceFlowInputs(
                    bot_alias_arn=str(values[0]),
                    escalation_queue_arn=str(values[1]),
                    language=args.language,
                    intents=args.intents,
                    bot_traffic_percent=args.pilot.traffic_percent,
                    precision_floor=args.pilot.precision_floor,
                )
            ).render()
        )
        self.flow = aws.connect.ContactFlow(
            name,
            name="Self service",
            description="Lex bot for tier-1 requests with escalation to an agent",
            instance_id=args.connect_instance_id,
            type="CONTACT_FLOW",
            content=content,
            # Connect rejects a flow naming a bot the instance is not associated with.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[association]),
        )
        self.register_outputs({"flowArn": self.flow.arn})
