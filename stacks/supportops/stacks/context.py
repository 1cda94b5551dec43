"""What every component needs from the stack: typed config, the tagged provider, the account.

Built once in :mod:`supportops.stacks.program` and passed down explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.config import DataClassName, Phase, StackConfig
from supportops.stacks.tags import default_tags


@dataclass(frozen=True)
class PlatformContext:
    config: StackConfig
    provider: aws.Provider
    account_id: pulumi.Output[str]
    partition: str = "aws"

    @classmethod
    def create(cls, config: StackConfig) -> PlatformContext:
        provider = aws.Provider(
            f"aws-{config.environment}",
            region=config.region,
            allowed_account_ids=None,
            default_tags=aws.ProviderDefaultTagsArgs(tags=default_tags(config)),
        )
        identity = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(provider=provider))
        return cls(config=config, provider=provider, account_id=identity.account_id)

    @property
    def region(self) -> str:
        return self.config.region

    def name(self, *parts: str) -> str:
        """A logical/physical name prefix: ``<env>-<part>-<part>``."""
        return "-".join((self.config.environment, *parts))

    def retention_days(self, data_class: DataClassName) -> int:
        return self.config.data_class(data_class).retention_days

    def root_principal(self) -> pulumi.Output[str]:
        return self.account_id.apply(lambda account: f"arn:{self.partition}:iam::{account}:root")

    def component_opts(self) -> pulumi.ResourceOptions:
        """Options for top-level components: the tagged provider flows to every child."""
        return pulumi.ResourceOptions(providers=[self.provider])

    def upstream(self, phase: Phase) -> pulumi.StackReference:
        """Outputs of an earlier phase's stack (each phase is its own `pulumi up`)."""
        name = self.config.stack_name_for(phase)
        return pulumi.StackReference(f"upstream-{phase.value}", stack_name=name)
