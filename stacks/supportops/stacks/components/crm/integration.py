"""CrmIntegration: contact events -> tickets in the configured CRM, the callback webhook, customer
context for Connect, and CRM contacts synced into Customer Profiles."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.crm.credential import (
    build_credential,
    build_signing_secret,
    schedule_rotation,
)
from supportops.stacks.components.crm.function import FunctionArgs, build_function, consume_queue
from supportops.stacks.components.crm.messaging import ContactEvents, build_contact_events
from supportops.stacks.components.crm.profiles import CustomerProfiles, build_customer_profiles
from supportops.stacks.components.crm.tables import (
    CONTEXT_KEY,
    CONTEXT_TTL_ATTRIBUTE,
    IDEMPOTENCY_KEY,
    IDEMPOTENCY_TTL_ATTRIBUTE,
    protected_table,
)
from supportops.stacks.components.crm.webhook import Webhook, build_webhook
from supportops.stacks.config import DataClassName, StackConfig
from supportops.stacks.config.model import WebhookAuth


@dataclass(frozen=True)
class CrmKeys:
    tickets: pulumi.Input[str]  # queues, event bus, idempotency table, secret, function environment
    customer_profiles: pulumi.Input[str]  # context table, profiles domain, AppFlow
    application_logs: pulumi.Input[str]


@dataclass(frozen=True)
class CrmIntegrationArgs:
    config: StackConfig
    keys: CrmKeys


class CrmIntegration(pulumi.ComponentResource):
    events: ContactEvents
    idempotency_table: aws.dynamodb.Table
    context_table: aws.dynamodb.Table
    secret: aws.secretsmanager.Secret
    signing_secret: aws.secretsmanager.Secret | None
    function: aws.lambda_.Function
    rotation_function: aws.lambda_.Function
    webhook: Webhook
    profiles: CustomerProfiles

    def __init__(
        self, name: str, args: CrmIntegrationArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:crm:CrmIntegration", name, None, opts)
        config, keys, crm = args.config, args.keys, args.config.crm
        log_days = config.data_class(DataClassName.APPLICATION_LOGS).retention_days
        profile_days = config.data_class(DataClassName.CUSTOMER_PROFILES).retention_days
        self.events = build_contact_events(name, keys.tickets, self)
        self.idempotency_table = protected_table(
            f"{name}-idempotency",
            IDEMPOTENCY_KEY,
            DataClassName.TICKETS,
            keys.tickets,
            self,
            ttl_attribute=IDEMPOTENCY_TTL_ATTRIBUTE,
        )
        self.context_table = protected_table(
            f"{name}-customer-context",
            CONTEXT_KEY,
            DataClassName.CUSTOMER_PROFILES,
            keys.customer_profiles,
            self,
            ttl_attribute=CONTEXT_TTL_ATTRIBUTE,
        )
        credential = build_credential(name, crm, keys.tickets, self)
        self.secret = credential.secret
        environment: dict[str, pulumi.Input[str]] = {
            "CRM_PROVIDER": crm.provider.value,
            "CRM_INSTANCE": crm.instance,
            "CRM_SECRET_ARN": self.secret.arn,
            "IDEMPOTENCY_TABLE": self.idempotency_table.name,
            "CONTEXT_TABLE": self.context_table.name,
            "DEFAULT_SUPPORT_TIER": config.sla_tiers[-1].name,
            "CONTEXT_RETENTION_DAYS": str(profile_days),
        }
        readable_secrets: list[pulumi.Output[str]] = [self.secret.arn]
        self.signing_secret = (
            build_signing_secret(name, keys.tickets, self) if crm.webhook.auth is WebhookAuth.HMAC else None
        )
        if self.signing_secret is not None:
            environment["WEBHOOK_SIGNING_SECRET_ARN"] = self.signing_secret.arn
            readable_secrets.append(self.signing_secret.arn)
        self.function = build_function(
            FunctionArgs(
                name=f"{name}-ticket-sync",
                handler="ticket_sync.handler.handle",
                reserved_concurrency=crm.sync_concurrency,
                dead_letter_arn=self.events.dead_letter_queue.arn,
                description="Contact events to CRM tickets; customer lookup for Connect; ticketing callbacks",
                environment=environment,
                env_key_arn=keys.tickets,
                log_key_arn=keys.application_logs,
                log_retention_days=log_days,
                statements=[
                    {
                        "Sid": "ReadCredential",
                        "Effect": "Allow",
                        "Action": "secretsmanager:GetSecretValue",
                        "Resource": readable_secrets,
                    },
                    {
                        "Sid": "Tables",
                        "Effect": "Allow",
                        "Action": [
                            "dynamodb:GetItem",
                            "dynamodb:PutItem",
                            "dynamodb:UpdateItem",
                            "dynamodb:DeleteItem",
                        ],
                        "Resource": [self.idempotency_table.arn, self.context_table.arn],
                    },
                    {
                        "Sid": "ConsumeQueue",
                        "Effect": "Allow",
                        "Action": [
                            "sqs:ReceiveMessage",
                            "sqs:DeleteMessage",
                            "sqs:GetQueueAttributes",
                            "sqs:ChangeMessageVisibility",
                        ],
                        "Resource": self.events.queue.arn,
                    },
                    {
                        "Sid": "ParkFailedInvocations",
                        "Effect": "Allow",
                        "Action": "sqs:SendMessage",
                        "Resource": self.events.dead_letter_queue.arn,
                    },
                    {
                        "Sid": "UseDataKeys",
                        "Effect": "Allow",
                        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                        "Resource": [keys.tickets, keys.customer_profiles],
                    },
                ],
            ),
            self,
        )
        consume_queue(f"{name}-ticket-sync", self.function, self.events.queue, self)
        self.rotation_function = build_function(
            FunctionArgs(
                name=f"{name}-crm-credential-rotation",
                handler="ticket_sync.rotation.handler",
                reserved_concurrency=1 if crm.sync_concurrency is not None else None,
                description="Tests and promotes a staged CRM credential",
                environment=environment,
                env_key_arn=keys.tickets,
                log_key_arn=keys.application_logs,
                log_retention_days=log_days,
                statements=[
                    {
                        "Sid": "RotateCredential",
                        "Effect": "Allow",
                        "Action": [
                            "secretsmanager:DescribeSecret",
                            "secretsmanager:GetSecretValue",
                            "secretsmanager:PutSecretValue",
                            "secretsmanager:UpdateSecretVersionStage",
                        ],
                        "Resource": self.secret.arn,
                    },
                    {
                        "Sid": "UseTicketsKey",
                        "Effect": "Allow",
                        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                        "Resource": keys.tickets,
                    },
                ],
            ),
            self,
        )
        permission = aws.lambda_.Permission(
            f"{name}-rotation-invoke",
            action="lambda:InvokeFunction",
            function=self.rotation_function.name,
            principal="secretsmanager.amazonaws.com",
            source_arn=self.secret.arn,
            opts=pulumi.ResourceOptions(parent=self),
        )
        schedule_rotation(
            name,
            self.secret,
            self.rotation_function.arn,
            crm.credential_rotation_days,
            self,
            depends_on=[permission],
        )
        self.webhook = build_webhook(
            name,
            crm.webhook,
            self.function,
            keys.application_logs,
            log_days,
            self,
            signature_authorizer=(
                build_function(
                    FunctionArgs(
                        name=f"{name}-webhook-authorizer",
                        handler="ticket_sync.webhook_auth.authorize",
                        description="Admits only freshly HMAC-signed ticketing callbacks",
                        environment={},
                        env_key_arn=keys.tickets,
                        log_key_arn=keys.application_logs,
                        log_retention_days=log_days,
                        statements=[],
                    ),
                    self,
                )
                if self.signing_secret is not None
                else None
            ),
        )
        self.profiles = build_customer_profiles(
            name,
            crm,
            credential.token,
            keys.customer_profiles,
            profile_days,
            self,
        )
        self.register_outputs(
            {
                "eventBusName": self.events.bus.name,
                "ticketSyncFunctionArn": self.function.arn,
                "idempotencyTableName": self.idempotency_table.name,
                "customerContextTableName": self.context_table.name,
                "customerProfilesDomain": self.profiles.domain.domain_name,
            }
        )
