"""A customer-managed KMS key for one data class: rotation on, 30-day deletion window, a key policy
that names principals (the account root and the AWS services that write this class), never ``*``."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.config import DataClassName
from supportops.stacks.policy_documents import document
from supportops.stacks.tags import classification

MIN_DELETION_WINDOW_DAYS = 30


@dataclass(frozen=True)
class DataKeyArgs:
    data_class: DataClassName
    account_root_arn: pulumi.Input[str]
    region: str
    # AWS services allowed to use the key on the account's behalf (logs, cloudtrail, connect ...).
    service_principals: tuple[str, ...] = ()
    deletion_window_days: int = MIN_DELETION_WINDOW_DAYS

    def __post_init__(self) -> None:
        if self.deletion_window_days < MIN_DELETION_WINDOW_DAYS:
            raise ValueError(f"deletion window must be at least {MIN_DELETION_WINDOW_DAYS} days")


class DataKey(pulumi.ComponentResource):
    key: aws.kms.Key
    alias: aws.kms.Alias
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: DataKeyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("supportops:security:DataKey", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        statements: list[dict[str, object]] = [
            {
                "Sid": "AccountAdministers",
                "Effect": "Allow",
                "Principal": {"AWS": args.account_root_arn},
                "Action": "kms:*",
                "Resource": "*",
            }
        ]
        for service in args.service_principals:
            statements.append(
                {
                    "Sid": f"Allow{service.split('.')[0].title().replace('-', '')}",
                    "Effect": "Allow",
                    "Principal": {"Service": service},
                    "Action": [
                        "kms:Encrypt*",
                        "kms:Decrypt*",
                        "kms:ReEncrypt*",
                        "kms:GenerateDataKey*",
                        "kms:DescribeKey",
                    ],
                    "Resource": "*",
                }
            )
        self.key = aws.kms.Key(
            name,
            description=f"supportops {args.data_class.value} data key",
            enable_key_rotation=True,
            rotation_period_in_days=365,
            deletion_window_in_days=args.deletion_window_days,
            key_usage="ENCRYPT_DECRYPT",
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            policy=document(statements),
            tags=classification(args.data_class),
            region=args.region,
            opts=child,
        )
        self.alias = aws.kms.Alias(
            f"{name}-alias",
            name=f"alias/{name}",
            target_key_id=self.key.key_id,
            region=args.region,
            opts=child,
        )
        self.arn = self.key.arn
        self.register_outputs({"arn": self.arn, "alias": self.alias.name})
