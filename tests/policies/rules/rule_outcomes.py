"""Helpers of the rule tests: run one rule and name its subjects by status; build small inventories."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from supportops.inventory.model import Inventory, Resource, Source, SourceKind
from supportops.policies.rule import EvaluationContext, RuleModule
from supportops.reports.model import Finding, Status
from supportops.stacks.config import Phase, StackConfig

PROJECT = "handmade"
STACK = "t"


def outcomes(rule: RuleModule, context: EvaluationContext) -> dict[Status, set[str]]:
    """Resource names by status (every status present, possibly empty)."""
    by_status: dict[Status, set[str]] = {status: set() for status in Status}
    for finding in rule.evaluate(context):
        resource = context.inventory.by_urn(finding.subject)
        assert resource is not None, finding.subject
        assert finding.check_id == rule.META.id
        by_status[finding.status].add(resource.name)
    return by_status


def findings(rule: RuleModule, context: EvaluationContext) -> dict[str, Finding]:
    """Findings by resource name (one per resource)."""
    found: dict[str, Finding] = {}
    for finding in rule.evaluate(context):
        resource = context.inventory.by_urn(finding.subject)
        assert resource is not None
        assert resource.name not in found, f"two findings for {resource.name}"
        found[resource.name] = finding
    return found


def config(**overrides: Any) -> StackConfig:
    return StackConfig(environment="test", phase=Phase.FOUNDATION, **overrides)


def resource(type_token: str, name: str, inputs: Mapping[str, Any] | None = None, **fields: Any) -> Resource:
    return Resource(
        urn=f"urn:pulumi:{STACK}::{PROJECT}::{type_token}::{name}",
        type=type_token,
        name=name,
        inputs=dict(inputs or {}),
        **fields,
    )


def context(resources: Iterable[Resource], stack_config: StackConfig | None = None) -> EvaluationContext:
    inventory = Inventory(PROJECT, STACK, Source(SourceKind.STACK_EXPORT), list(resources))
    return EvaluationContext(inventory, stack_config or config())
