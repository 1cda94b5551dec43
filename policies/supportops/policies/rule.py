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
    # Detection, vulnerability scanning and change recording (GuardDuty, Inspector, Config ...).
    SECURITY_MONITORING = "security-monitoring"
    TAGGING = "tagging"


class Profile(StrEnum):
    """Whose policy a rule states (docs/rules.md, "Profiles").

    BASELINE rules are true of any AWS program (encryption at rest with any key, TLS 1.2+, no public
    exposure, no wildcard principals, logging, IMDSv2, no plaintext secrets). PLATFORM rules state this
    platform's own policy (CMKs per data class, tags, retention bounds, region allow-list, Connect
    controls) and apply only where the stack carries the platform's config (``supportops:*`` keys).
    """

    BASELINE = "baseline"
    PLATFORM = "platform"


@dataclass(frozen=True)
class Premise:
    """Whether the platform profile applies to the evaluated stack, and why (the reason is the message
    of every NOT_APPLICABLE finding a platform rule gets when it does not)."""

    platform: bool
    reason: str


PLATFORM_APPLIES = Premise(True, "the stack carries the platform's config")


@dataclass(frozen=True)
class RuleMeta:
    id: str  # equals the rule's module name, e.g. "s3_bucket_cmk_encryption"
    title: str
    severity: Severity
    category: Category
    rationale: str
    remediation: str  # a Pulumi Python snippet that fixes it
    resource_types: tuple[str, ...]  # Pulumi type tokens the rule evaluates
    # Every catalog rule states its profile (a test checks); the default serves ad-hoc rules (tests).
    profile: Profile = Profile.BASELINE
    # True when a verdict depends on other resources (a bucket's split settings, a key found by its
    # ARN, tags from the provider): CrossGuard runs such a rule as a stack policy, every other rule as
    # a resource policy. tests/policies/test_rule_scope.py checks the declaration against the verdicts.
    needs_stack: bool = False


@dataclass
class EvaluationContext:
    """What a rule may read: the inventory and the stack config (defaults when the source has none)."""

    inventory: Inventory
    config: StackConfig
    premise: Premise = PLATFORM_APPLIES

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

