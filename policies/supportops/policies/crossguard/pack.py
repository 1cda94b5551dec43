"""The catalog rules as CrossGuard policies.

A rule whose metadata says ``needs_stack`` (its verdict follows relations: a bucket and its
encryption resource, a key found by its ARN) becomes a stack policy, which sees every resource;
every other rule becomes a resource policy. Critical and high rules are mandatory, the rest
advisory. Unwaived FAIL and ERROR findings are violations (a rule that cannot decide never lets a
deployment through silently). Waivers are the same records as `comply --waivers`, handed to each
policy through the pack's policy config (``supportops crossguard config --waivers FILE`` writes it).
The platform profile applies only when the stack's config carries ``supportops:*`` keys, as in
`comply`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import pulumi.runtime
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
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
from supportops.policies.catalog import all_rules
from supportops.policies.crossguard.adapt import inventory_of, to_resource
from supportops.policies.engine import evaluate
from supportops.policies.profiles import NO_PLATFORM_CONFIG
from supportops.policies.rule import PLATFORM_APPLIES, Premise, RuleModule
from supportops.policies.stack_config import DEFAULT_CONFIG
from supportops.policies.waivers import apply_waivers, waivers_from_config
from supportops.stacks.config import CONFIG_NAMESPACE, SECRET_KEYS, StackConfig, config_from_mapping

PACK_NAME: Final = "supportops-compliance"
MANDATORY: Final = frozenset({Severity.CRITICAL, Severity.HIGH})
_SEVERITIES: Final = {
    Severity.INFO: PolicySeverity.LOW,
    Severity.LOW: PolicySeverity.LOW,
    Severity.MEDIUM: PolicySeverity.MEDIUM,
    Severity.HIGH: PolicySeverity.HIGH,
    Severity.CRITICAL: PolicySeverity.CRITICAL,
}
ConfigSource = Callable[[], StackConfig]
#: Each policy accepts the waivers of its rule (same fields as a waivers file's entries).
WAIVERS_SCHEMA: Final = PolicyConfigSchema(
    properties={"waivers": {"type": "array", "items": {"type": "object"}}}
)


def enforcement_for(severity: Severity) -> EnforcementLevel:
    return EnforcementLevel.MANDATORY if severity in MANDATORY else EnforcementLevel.ADVISORY


def config_from_runtime() -> StackConfig:
    """The stack's config as the engine passes it to the pack (``PULUMI_CONFIG``); defaults when the
    stack has no supportops keys. Every policy asks for every resource: validated once per config."""
    return _config_of(tuple(sorted(pulumi.runtime.get_config_env().items())))


@functools.lru_cache(maxsize=4)
def _config_of(env: tuple[tuple[str, Any], ...]) -> StackConfig:
    raw = config_from_strings(dict(env), secret_keys=SECRET_KEYS)
    if not _has_platform_config(raw):
        return DEFAULT_CONFIG
    return config_from_mapping(raw, source="stack config")


def premise_from_runtime() -> Premise:
    """The platform profile applies when the stack's config carries supportops keys (as in comply)."""
    raw = pulumi.runtime.get_config_env()
    return (
        PLATFORM_APPLIES if _has_platform_config(raw) else Premise(platform=False, reason=NO_PLATFORM_CONFIG)
    )


def _has_platform_config(raw: Mapping[str, Any]) -> bool:
    return any(str(key).startswith(f"{CONFIG_NAMESPACE}:") for key in raw)


def _violations(
    findings: Sequence[Finding],
    report_violation: ReportViolation,
    only: str | None,
    policy_config: Mapping[str, Any],
    inventory: Inventory,
) -> None:
    try:
        waivers = waivers_from_config(policy_config)
    except ValueError as exc:  # a malformed policy config blocks rather than silently waiving nothing
        report_violation(f"the pack's policy config is invalid: {exc}", None)
        return
    apply_waivers(findings, waivers, inventory)
    for finding in findings:
        if only is not None and finding.subject != only:
            continue
        if finding.waiver is not None:
            continue  # waived, with an owner and an expiry, exactly as in comply
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


PremiseSource = Callable[[], Premise]


def _stack_validator(
    rule: RuleModule, config: ConfigSource, premise: PremiseSource, stack: _StackInventory
) -> Callable[[StackValidationArgs, ReportViolation], None]:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        inventory = stack(args)
        result = evaluate(inventory, config(), [rule], premise())
        _violations(result.findings, report_violation, None, args.get_config(), inventory)

    return validate


def _resource_validator(
    rule: RuleModule, config: ConfigSource, premise: PremiseSource
) -> Callable[[ResourceValidationArgs, ReportViolation], None]:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in rule.META.resource_types:
            return
        parent = args.opts.parent if args.opts is not None else None
        inventory = inventory_of([to_resource(args, parent)])
        result = evaluate(inventory, config(), [rule], premise())
        _violations(result.findings, report_violation, args.urn, args.get_config(), inventory)

    return validate


def build_policies(
    rules: Sequence[RuleModule] | None = None,
    config: ConfigSource = config_from_runtime,
    premise: PremiseSource = premise_from_runtime,
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
            "config_schema": WAIVERS_SCHEMA,
        }
        if meta.needs_stack:
            validator = _stack_validator(rule, config, premise, stack)
            policies.append(StackValidationPolicy(validate=validator, **common))
        else:
            policies.append(
                ResourceValidationPolicy(validate=_resource_validator(rule, config, premise), **common)
            )
    return policies
