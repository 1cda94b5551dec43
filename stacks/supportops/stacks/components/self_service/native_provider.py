"""The pulumi-aws-native provider for the stack's region, with the same default tags as the AWS
provider (Lex V2 aliases, Connect integration associations and Amazon Q in Connect need it)."""

from __future__ import annotations

import pulumi_aws_native as aws_native

from supportops.stacks.config import StackConfig
from supportops.stacks.tags import default_tags


def native_provider(config: StackConfig) -> aws_native.Provider:
    return aws_native.Provider(
        f"aws-native-{config.environment}",
        region=config.region,
        default_tags=aws_native.ProviderDefaultTagsArgs(tags=default_tags(config)),
    )
