"""What a rule is: one module under ``policies/rules/`` with a ``META`` and an ``evaluate`` function.

Rules are pure: they read the inventory (and the stack config for bounds such as retention) and
return findings; they never call AWS. A value unknown at preview time gives NOT_APPLICABLE, a value
that cannot be interpreted gives ERROR; neither is a PASS or a FAIL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from supportops.findings import Evidence, Finding, Severity, Status
from supportops.inventory.model import Inventory, Resource
from supportops.stacks.config import StackConfig


class Category(StrEnum):
    ENCRYPTION_AT_REST = "encryption-at-rest"
    ENCRYPTION_IN_TRANSIT = "encryption-in-transit"
    KEY_MANAGEMENT = "key-management"
    ACCESS_CONTROL = "access-control"
    RETENTION = "retention"
    AUDIT_LOGGING = "audit-logging"
    DATA_RESIDENCY = "data-residency"
    PRIVACY = "privacy"
    CARD_DATA = "card-data"
    RESILIENCE = "resilience"
    TAGGING = "tagging"


@dataclass(frozen=True)
class RuleMeta:
    id: str  # equals the rule's module name, e.g. "s3_bucket_cmk_encryption"
    title: str
    severity: Severity
    category: Category
    rationale: str
    remediation: str  # a Pulumi Python snippet that fixes it
    resource_types: tuple[str, ...]  # Pulumi type tokens the rule evaluates


@dataclass
class EvaluationContext:
    """What a rule may read: the inventory and the stack config (defaults when the source has none)."""

    inventory: Inventory
    config: StackConfig

    def finding(
        self,
        meta: RuleMeta,
        resource: Resource,
        status: Status,
        message: str,
        evidence: Iterable[Evidence] = (),
    ) -> Finding:
        return Finding(
            check_id=meta.id,
            title=meta.title,
            status=status,
            severity=meta.severity,
            subject=resource.urn,
            subject_type=resource.type,
            message=message,
            evidence=list(evidence),
            source="supportops",
            category=meta.category.value,
            remediation=meta.remediation,
        )


class RuleModule(Protocol):
    """The shape of a rule module (checked by the catalog tests)."""

    META: RuleMeta

    def evaluate(self, context: EvaluationContext) -> Iterable[Finding]: ...

