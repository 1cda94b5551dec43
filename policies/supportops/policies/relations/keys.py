"""How a resource's KMS key reference resolves: customer-managed, AWS-managed, unknown."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from supportops.inventory.model import Resource


class KeyKind(StrEnum):
    CUSTOMER_MANAGED = "customer-managed"  # a planned aws:kms/key:Key
    EXTERNAL = "external"  # a key ARN/id/alias not planned in this stack (e.g. an earlier phase's)
    AWS_MANAGED = "aws-managed"  # alias/aws/..., or no key at all
    MISSING = "missing"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class KeyRef:
    kind: KeyKind
    value: Any
    key: Resource | None = None

    @property
    def customer_managed(self) -> bool:
        return self.kind in (KeyKind.CUSTOMER_MANAGED, KeyKind.EXTERNAL)

    def describe(self) -> str:
        if self.kind is KeyKind.CUSTOMER_MANAGED and self.key is not None:
            return f"customer-managed key {self.key.name}"
        if self.kind is KeyKind.EXTERNAL:
            return f"customer-managed key {self.value} (declared outside this stack)"
        if self.kind is KeyKind.AWS_MANAGED:
            return f"AWS-managed key {self.value}"
        if self.kind is KeyKind.UNKNOWN:
            return "a key unknown until apply"
        return "no customer-managed key"
