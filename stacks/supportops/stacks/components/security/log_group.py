"""A CloudWatch log group encrypted with its data class's key, retained for the class's period."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.config import DataClassName
from supportops.stacks.tags import classification

# CloudWatch Logs accepts only these retention values (days).
ALLOWED_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


def supported_retention(days: int) -> int:
    """The smallest retention CloudWatch supports that keeps logs at least ``days``."""
    for allowed in ALLOWED_RETENTION_DAYS:
        if allowed >= days:
            return allowed
    return ALLOWED_RETENTION_DAYS[-1]


@dataclass(frozen=True)
class SecureLogGroupArgs:
    data_class: DataClassName
    retention_days: int
    kms_key_arn: pulumi.Input[str]
    log_group_name: str | None = None  # fixed names for services that require them (e.g. /aws/...)


class SecureLogGroup(pulumi.ComponentResource):
    log_group: aws.cloudwatch.LogGroup
    arn: pulumi.Output[str]
    name: pulumi.Output[str]

    def __init__(
        self, name: str, args: SecureLogGroupArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:security:SecureLogGroup", name, None, opts)
        self.log_group = aws.cloudwatch.LogGroup(
            name,
            name=args.log_group_name,
            kms_key_id=args.kms_key_arn,
            retention_in_days=supported_retention(args.retention_days),
            tags=classification(args.data_class),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.arn = self.log_group.arn
        self.name = self.log_group.name
        self.register_outputs({"arn": self.arn, "name": self.name})
