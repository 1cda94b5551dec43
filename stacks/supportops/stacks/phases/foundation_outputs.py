"""The foundation stack's outputs as later phases read them (one StackReference per phase).

Outputs another engineer has not exported yet, or that a mock plan lacks, resolve to None rather
than failing the program; a real `pulumi up` then reports the missing input on the resource."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from supportops.stacks.config import DataClassName, Phase
from supportops.stacks.context import PlatformContext


@dataclass(frozen=True)
class FoundationOutputs:
    reference: pulumi.StackReference

    @classmethod
    def of(cls, context: PlatformContext) -> FoundationOutputs:
        return cls(context.upstream(Phase.FOUNDATION))

    def output(self, name: str) -> pulumi.Output[Any]:
        return self.reference.get_output(name)

    def key_arn(self, data_class: DataClassName) -> pulumi.Output[str]:
        """The foundation's customer-managed key of a data class (``kmsKeyArns`` output)."""
        return self.output("kmsKeyArns").apply(
            lambda keys: keys.get(data_class.value) if isinstance(keys, dict) else None
        )

    def mapping(self, name: str) -> pulumi.Output[dict[str, str]]:
        return self.output(name).apply(lambda value: dict(value) if isinstance(value, dict) else {})

    @property
    def connect_instance_arn(self) -> pulumi.Output[str]:
        return self.output("connectInstanceArn")

    @property
    def connect_instance_id(self) -> pulumi.Output[str]:
        return self.output("connectInstanceId")

    @property
    def ctr_stream_arn(self) -> pulumi.Output[str]:
        return self.output("ctrStreamArn")

    @property
    def access_log_bucket(self) -> pulumi.Output[str]:
        return self.output("accessLogBucket")
