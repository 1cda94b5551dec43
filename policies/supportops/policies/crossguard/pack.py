"""The catalog rules as CrossGuard policies.

Rules that follow relations between resources (a bucket and its encryption resource, a key ARN and
its key) become stack policies, which see every resource; a rule that reads only the resource in
hand becomes a resource policy. Critical and high rules are mandatory, the rest advisory. FAIL and
ERROR findings are violations (a rule that cannot decide never lets a deployment through silently).
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Sequence
from typing import Any, Final

import pulumi.runtime
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy import Severity as PolicySeverity

from supportops.findings import Finding, Severity, Status
from supportops.inventory.model import Inventory, Resource
from supportops.inventory.sources.config_values import config_from_strings
from supportops.policies import relations
from supportops.policies.catalog import all_rules
from supportops.policies.crossguard.adapt import inventory_of, to_resource
from supportops.policies.engine import evaluate
from supportops.policies.rule import RuleModule
from supportops.policies.stack_config import DEFAULT_CONFIG
from supportops.stacks.config import CONFIG_NAMESPACE, SECRET_KEYS, StackConfig, config_from_mapping

PACK_NAME: Final = "supportops-compliance"
MANDATORY: Final = frozenset({Severity.CRITICAL, Severity.HIGH})
_SEVERITIES: Final = {
    Severity.INFO: PolicySeverity.LOW, Severity.LOW: PolicySeverity.LOW,
    Severity.MEDIUM: PolicySeverity.MEDIUM, Severity.HIGH: PolicySeverity.HIGH,
    Severity.CRITICAL: PolicySeverity.CRITICAL,
}
ConfigSource = Callable[[], StackConfig]


def needs_relations(rule: RuleModule) -> bool:
    """True when the rule's module uses the shared relations index (anything from policies.relations)."""
    for value in vars(rule).values() if isinstance(rule, types.ModuleType) else ():
        if value is relations or str(getattr(value, "__module__", "")).startswith(relations.__name__):
            return True
        if inspect.ismodule(value) and value.__name__.startswith(relations.__name__):
            return True
    return False


def enforcement_for(severity: Severity) -> EnforcementLevel:
    return EnforcementLevel.MANDATORY if severity in MANDATORY else EnforcementLevel.ADVISORY


def config_from_runtime() -> StackConfig:
    """The stack's config as the engine passes it to the pack (``PULUMI_CONFIG``); defaults when the
    stack has no supportops keys."""
    raw = config_from_strings(pulumi.runtime.get_config_env(), secret_keys=SECRET_KEYS)
    if not any(str(key).startswith(f"{CONFIG_NAMESPACE}:") for key in raw):
        return DEFAULT_CONFIG
    return config_from_mapping(raw, source="stack config")


def _violations(findings: Sequence[Finding], report_violation: ReportViolation, only: str | None) -> None:
    for finding in findings:
        if only is not None and finding.subject != only:
            continue
        if finding.status is Status.FAIL:
            report_violation(finding.message, finding.subject)
        elif finding.status is Status.ERROR:
            report_violation(f"could not be evaluated: {finding.message}", finding.subject)


class _StackInventory:
    """The stack's inventory, shared by the stack policies of one pack.

    The engine hands every stack policy its own freshly deserialized copy of the same resources; an
    equal resource list reuses the last inventory, and with it the relations index, so the index is
    built once per stack rather than once per policy.
    """

    def __init__(self) -> None:
        self._resources: list[Resource] | None = None
        self._inventory: Inventory | None = None

    def __call__(self, args: StackValidationArgs) -> Inventory:
        resources = [
            to_resource(r, r.parent.urn if r.parent is not None else None, [d.urn for d in r.dependencies])
            for r in args.resources
        ]
        if self._inventory is None or resources != self._resources:
            self._resources, self._inventory = resources, inventory_of(resources)
        return self._inventory


def _stack_validator(
    rule: RuleModule, config: ConfigSource, stack: _StackInventory
) -> Callable[[StackValidationArgs, ReportViolation], None]:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        result = evaluate(stack(args), config(), [rule])
        _violations(result.findings, report_violation, None)

    return validate


def _resource_validator(
    rule: RuleModule, config: ConfigSource
) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in rule.META.resource_types:
            return
        parent = args.opts.parent if args.opts is not None else None
        resource = to_resource(args, parent)
        result = evaluate(inventory_of([resource]), config(), [rule])
        _violations(result.findings, report_violation, args.urn)

    return validate


def build_policies(
    rules: Sequence[RuleModule] | None = None, config: ConfigSource = config_from_runtime
) -> list[Policy]:
    policies: list[Policy] = []
    stack = _StackInventory()
    for rule in all_rules() if rules is None else rules:
        meta = rule.META
        common: dict[str, Any] = {
            "name": meta.id,
            "description": meta.title,
            "enforcement_level": enforcement_for(meta.severity),
            "severity": _SEVERITIES[meta.severity],
            "tags": [meta.category.value],
            "remediation_steps": meta.remediation,
        }
        if needs_relations(rule):
            policies.append(StackValidationPolicy(validate=_stack_validator(rule, config, stack), **common))
        else:
            policies.append(ResourceValidationPolicy(validate=_resource_validator(rule, config), **common))
    return policies
