"""ContactCenter: the Amazon Connect instance with its storage, routing, RBAC security profiles,
optional users and the generated contact flows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from supportops.errors import BadInput
from supportops.stacks.components.replication.sizing import ReplicationArgs
from supportops.stacks.components.telephony.flows import (
    InboundFlowInputs,
    PaymentModuleInputs,
    inbound_flow,
    payment_module,
    queue_transfer_flow,
)
from supportops.stacks.components.telephony.permissions import ROLE_DESCRIPTIONS, permissions_for
from supportops.stacks.components.telephony.routing import Routing, build_routing
from supportops.stacks.components.telephony.storage import (
    ContactStorage,
    StorageKeys,
    attach_storage,
    build_contact_storage,
)
from supportops.stacks.config import DataClassName, StackConfig
from supportops.stacks.config.model import SecurityRole, SupportLevel

# Regions where Amazon Connect is offered (AWS regional services list).
CONNECT_REGIONS = frozenset(
    {
        "us-east-1",
        "us-west-2",
        "ca-central-1",
        "eu-central-1",
        "eu-west-2",
        "af-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "us-gov-west-1",
    }
)


@dataclass(frozen=True)
class ContactCenterArgs:
    config: StackConfig
    keys: StorageKeys
    access_log_bucket: pulumi.Input[str]
    # The Lambda flows call to look up customer context (the CRM integration's function).
    lookup_function_arn: pulumi.Input[str]
    lookup_function_name: pulumi.Input[str]
    account_id: pulumi.Input[str]
    # Cross-region replica of the contact-data buckets (None: not replicated).
    replication: ReplicationArgs | None = None


def check_region(config: StackConfig) -> None:
    source = f"Pulumi.{config.stack_name}.yaml"
    if config.region not in config.allowed_regions:
        raise BadInput.at(source, "aws:region", f"{config.region} is not in allowedRegions")
    if config.region not in CONNECT_REGIONS:
        raise BadInput.at(source, "aws:region", f"Amazon Connect is not offered in {config.region}")


class ContactCenter(pulumi.ComponentResource):
    instance: aws.connect.Instance
    storage: ContactStorage
    routing: Routing
    security_profiles: dict[SecurityRole, aws.connect.SecurityProfile]
    inbound_flow: aws.connect.ContactFlow
    transfer_flow: aws.connect.ContactFlow
    payment_module: aws.connect.ContactFlowModule | None

    def __init__(
        self, name: str, args: ContactCenterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:telephony:ContactCenter", name, None, opts)
        config = args.config
        settings = config.contact_center
        check_region(config)
        child = pulumi.ResourceOptions(parent=self)
        self.instance = aws.connect.Instance(
            name,
            instance_alias=settings.instance_alias or f"{config.environment}-supportops",
            identity_management_type=config.identity_mode.value,
            inbound_calls_enabled=True,
            outbound_calls_enabled=True,
            contact_flow_logs_enabled=True,
            contact_lens_enabled=True,
            opts=child,
        )
        instance_id = self.instance.id
        retention = {c: config.data_class(c).retention_days for c in DataClassName}
        self.storage = build_contact_storage(
            name, args.keys, retention, args.access_log_bucket, self, replication=args.replication
        )
        attach_storage(name, self.instance, self.storage, args.keys, self)

        self.transfer_flow = aws.connect.ContactFlow(
            f"{name}-escalation-transfer",
            name="Escalation transfer",
            instance_id=instance_id,
            type="QUEUE_TRANSFER",
            description="Transfer to an escalation queue, keeping redacted-only analytics",
            content=queue_transfer_flow(settings.language).render(),
            opts=child,
        )
        self.routing = build_routing(
            name, instance_id, config.sla_tiers, settings, self.transfer_flow.contact_flow_id, self
        )
        self.security_profiles = {
            role: aws.connect.SecurityProfile(
                f"{name}-role-{role.value}",
                name=f"supportops-{role.value}",
                instance_id=instance_id,
                description=ROLE_DESCRIPTIONS[role],
                permissions=permissions_for(role),
                tags={"rbac-role": role.value},
                opts=child,
            )
            for role in SecurityRole
        }
        for user in settings.users:
            aws.connect.User(
                f"{name}-user-{user.username}",
                name=user.username,
                instance_id=instance_id,
                routing_profile_id=self.routing.routing_profiles[user.level].routing_profile_id,
                security_profile_ids=[self.security_profiles[user.role].security_profile_id],
                phone_config=aws.connect.UserPhoneConfigArgs(phone_type="SOFT_PHONE"),
                identity_info=aws.connect.UserIdentityInfoArgs(
                    first_name=user.first_name, last_name=user.last_name, email=user.email
                ),
                tags={"rbac-role": user.role.value, "support-level": user.level.value},
                opts=child,
            )

        # Connect may invoke the lookup function, and flows may reference it.
        aws.lambda_.Permission(
            f"{name}-invoke-lookup",
            action="lambda:InvokeFunction",
            function=args.lookup_function_name,
            principal="connect.amazonaws.com",
            source_arn=self.instance.arn,
            source_account=args.account_id,
            opts=child,
        )
        association = aws.connect.LambdaFunctionAssociation(
            f"{name}-lookup",
            instance_id=instance_id,
            function_arn=args.lookup_function_arn,
            opts=child,
        )
        self.inbound_flow = aws.connect.ContactFlow(
            f"{name}-inbound",
            name="Inbound",
            instance_id=instance_id,
            type="CONTACT_FLOW",
            description="Inbound: redacted Contact Lens, CRM lookup, SLA-tier routing, L2 escalation",
            content=self._inbound_content(config, args.lookup_function_arn),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[association]),
        )
        encryption = settings.payment_input_encryption
        self.payment_module = (
            aws.connect.ContactFlowModule(
                f"{name}-card-payment",
                name="Card payment",
                instance_id=instance_id,
                description="Pauses recording and stores the card number encrypted",
                content=payment_module(
                    PaymentModuleInputs(encryption.key_id, encryption.certificate_pem, settings.language)
                ).render(),
                opts=child,
            )
            if encryption is not None
            else None
        )
        self.register_outputs(
            {
                "instanceArn": self.instance.arn,
                "instanceId": self.instance.id,
                "ctrStreamArn": self.storage.ctr_stream.arn,
                "agentEventsStreamArn": self.storage.agent_events_stream.arn,
            }
        )

    def _inbound_content(
        self, config: StackConfig, lookup_function_arn: pulumi.Input[str]
    ) -> pulumi.Output[str]:
        tiers = [tier.name for tier in config.sla_tiers]
        queue_arns = {tier: self.routing.tier_queues[tier].arn for tier in tiers}
        escalation = self.routing.escalation_queues[SupportLevel.L2].arn
        language = config.contact_center.language

        def render(values: dict[str, Any]) -> str:
            return inbound_flow(
                InboundFlowInputs(
                    tiers=tiers,
                    queue_arns={tier: values[f"queue:{tier}"] for tier in tiers},
                    escalation_queue_arn=values["escalation"],
                    lookup_function_arn=values["lookup"],
                    language=language,
                )
            ).render()

        return pulumi.Output.all(
            lookup=lookup_function_arn,
            escalation=escalation,
            **{f"queue:{tier}": arn for tier, arn in queue_arns.items()},
        ).apply(render)
