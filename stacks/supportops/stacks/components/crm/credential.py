"""The CRM API credential in Secrets Manager: customer-managed key, rotation on a schedule.

The value comes from the Pulumi secret config key (``crmApiToken`` by default) and stays a secret
Output all the way (never plain in state)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.config import CrmConfig, DataClassName
from supportops.stacks.config.loader import CONFIG_NAMESPACE
from supportops.stacks.tags import classification

RECOVERY_WINDOW_DAYS = 30


def read_credential(crm: CrmConfig) -> pulumi.Output[str]:
    return pulumi.Config(CONFIG_NAMESPACE).require_secret(crm.credential_secret_key)


@dataclass(frozen=True)
class CrmCredential:
    secret: aws.secretsmanager.Secret
    token: pulumi.Output[str]


def build_credential(
    name: str, crm: CrmConfig, kms_key_arn: pulumi.Input[str], parent: pulumi.Resource
) -> CrmCredential:
    opts = pulumi.ResourceOptions(parent=parent)
    token = read_credential(crm)
    secret = aws.secretsmanager.Secret(
        f"{name}-crm-credential",
        name=f"{name}/crm/{crm.provider.value}",
        description=f"API credential for {crm.provider.value} ({crm.instance})",
        kms_key_id=kms_key_arn,
        recovery_window_in_days=RECOVERY_WINDOW_DAYS,
        tags=classification(DataClassName.TICKETS),
        opts=opts,
    )
    aws.secretsmanager.SecretVersion(
        f"{name}-crm-credential",
        secret_id=secret.id,
        # Derived from a secret Output, so it stays secret in state.
        secret_string=token.apply(lambda value: json.dumps({"user": crm.api_user, "token": value})),
        opts=opts,
    )
    return CrmCredential(secret=secret, token=token)


WEBHOOK_SIGNING_KEY = "crmWebhookSigningKey"


def build_signing_secret(
    name: str, kms_key_arn: pulumi.Input[str], parent: pulumi.Resource
) -> aws.secretsmanager.Secret:
    """The HMAC key ticketing callbacks are signed with (secret config key ``crmWebhookSigningKey``)."""
    opts = pulumi.ResourceOptions(parent=parent)
    secret = aws.secretsmanager.Secret(
        f"{name}-webhook-signing-key",
        name=f"{name}/crm/webhook-signing-key",
        description="HMAC key of ticketing-system callbacks",
        kms_key_id=kms_key_arn,
        recovery_window_in_days=RECOVERY_WINDOW_DAYS,
        tags=classification(DataClassName.TICKETS),
        opts=opts,
    )
    aws.secretsmanager.SecretVersion(
        f"{name}-webhook-signing-key",
        secret_id=secret.id,
        secret_string=pulumi.Config(CONFIG_NAMESPACE).require_secret(WEBHOOK_SIGNING_KEY),
        opts=opts,
    )
    return secret


def schedule_rotation(
    name: str,
    secret: aws.secretsmanager.Secret,
    rotation_function_arn: pulumi.Input[str],
    days: int,
    parent: pulumi.Resource,
    depends_on: list[pulumi.Resource],
) -> aws.secretsmanager.SecretRotation:
    return aws.secretsmanager.SecretRotation(
        f"{name}-crm-credential-rotation",
        secret_id=secret.id,
        rotation_lambda_arn=rotation_function_arn,
        rotation_rules=aws.secretsmanager.SecretRotationRotationRulesArgs(automatically_after_days=days),
        # Secrets Manager invokes the function at once: its permission must exist first.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=depends_on),
    )
