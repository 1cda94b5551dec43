"""Helpers of the rule tests: run one rule and name its subjects by status; build small inventories."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from supportops.findings import Finding, Status
from supportops.inventory.model import Inventory, Resource, Source, SourceKind
from supportops.policies.catalog import all_rules, rule_by_id
from supportops.policies.rule import Category, EvaluationContext, RuleModule
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


# rule id -> (FAIL, PASS, NOT_APPLICABLE) resource names on the non-compliant fixture
Expected = dict[str, tuple[set[str], set[str], set[str]]]


# Baseline rules judged on the labelled corpus of small programs (tests/fixtures/programs/rules-*,
# exact sets asserted by tests/policies/profiles) rather than on the non-compliant fixture.
CORPUS_RULES = frozenset(
    {
        "appsync_graphql_api_logging",
        "data_store_encrypted_at_rest",
        "ebs_volume_encrypted",
        "ec2_imdsv2_required",
        "ec2_instance_volumes_encrypted",
        "ecr_repository_immutable_tags",
        "ecr_repository_policy_no_public_write",
        "ecr_repository_scan_on_push",
        "lb_listener_https_tls12",
        "rds_backup_retention_enabled",
        "rds_deletion_protection",
        "rds_not_publicly_accessible",
        "rds_storage_encrypted",
        "redshift_cluster_encrypted_private",
        "secrets_not_in_plaintext",
        "security_group_no_open_admin_ports",
        "sfn_state_machine_logging",
    }
)


def rule_ids_of(categories: Iterable[Category]) -> set[str]:
    """The ids of the catalog rules in these categories (a category table must name them all, except
    the rules judged on the labelled corpus)."""
    wanted = set(categories)
    return {r.META.id for r in all_rules() if r.META.category in wanted and r.META.id not in CORPUS_RULES}


def assert_fixture_outcomes(rule_id: str, expected: Expected, context: EvaluationContext) -> None:
    """The rule names exactly the table's resources per status on the fixture, and none is ERROR."""
    failing, passing, not_applicable = expected[rule_id]
    result = outcomes(rule_by_id(rule_id), context)
    assert result[Status.FAIL] == failing
    assert result[Status.PASS] == passing
    assert result[Status.NOT_APPLICABLE] == not_applicable
    assert result[Status.ERROR] == set()


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
