"""Profiles: every rule states one; platform rules are NOT_APPLICABLE (with the reason) on stacks
without the platform's config; the compliance report says which profiles applied and why."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from supportops.findings import Status
from supportops.inventory.model import Inventory, Resource, Source, SourceKind
from supportops.policies import catalog
from supportops.policies.catalog import all_rules, rule_by_id
from supportops.policies.compliance import ComplianceRequest, run_compliance
from supportops.policies.engine import evaluate
from supportops.policies.profiles import NO_PLATFORM_CONFIG, premise_of
from supportops.policies.rule import Premise, Profile
from supportops.policies.stack_config import DEFAULT_CONFIG, ConfigChoice, ConfigOrigin

RULES_DIR = Path(catalog.__file__).resolve().parent / "rules"
QUEUE = "aws:sqs/queue:Queue"


def _inventory(config: dict[str, object] | None = None) -> Inventory:
    queue = Resource(urn=f"urn:pulumi:dev::shop::{QUEUE}::orders", type=QUEUE, name="orders")
    source = Source(SourceKind.STACK_EXPORT, "state.json")
    return Inventory("shop", "dev", source, [queue], config=config or {})


@pytest.mark.parametrize("rule_id", [rule.META.id for rule in all_rules()])
def test_every_rule_states_its_profile(rule_id: str) -> None:
    """Explicitly in its META (the dataclass default serves ad-hoc test rules only)."""
    tree = ast.parse((RULES_DIR / f"{rule_id}.py").read_text(encoding="utf-8"))
    stated = {
        keyword.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "RuleMeta"
        for keyword in node.keywords
    }
    assert "profile" in stated


def test_both_profiles_are_populated() -> None:
    profiles = {rule.META.profile for rule in all_rules()}
    assert profiles == set(Profile)
    platform = {r.META.id for r in all_rules() if r.META.profile is Profile.PLATFORM}
    assert {"required_tags", "resource_region_allowed", "s3_bucket_cmk_encryption"} <= platform


def test_platform_rules_are_not_applicable_without_platform_config() -> None:
    """sqs_queue_cmk_encryption would FAIL the bare queue; without the premise it is N/A, with why."""
    rules = [rule_by_id("sqs_queue_cmk_encryption"), rule_by_id("required_tags")]
    premise = premise_of(ConfigChoice(DEFAULT_CONFIG, ConfigOrigin.DEFAULTS))
    assert premise == Premise(platform=False, reason=NO_PLATFORM_CONFIG)
    result = evaluate(_inventory(), DEFAULT_CONFIG, rules, premise=premise)
    assert {(f.check_id, f.status) for f in result.findings} == {
        ("sqs_queue_cmk_encryption", Status.NOT_APPLICABLE),
        ("required_tags", Status.NOT_APPLICABLE),
    }
    assert all(NO_PLATFORM_CONFIG in f.message for f in result.findings)
    applied = evaluate(_inventory(), DEFAULT_CONFIG, rules)  # the premise holds by default
    assert {f.status for f in applied.findings} == {Status.FAIL}


def test_the_premise_follows_the_config_origin() -> None:
    assert premise_of(ConfigChoice(DEFAULT_CONFIG, ConfigOrigin.INVENTORY, "x")).platform
    assert premise_of(ConfigChoice(DEFAULT_CONFIG, ConfigOrigin.FILE, "Pulumi.demo.yaml")).platform


def test_the_report_states_the_profiles() -> None:
    report = run_compliance(ComplianceRequest(_inventory({"aws:region": "us-east-1"}), checkov=False))
    assert report.details["profiles"] == {"active": ["baseline"], "premise": NO_PLATFORM_CONFIG}
    assert all(f.status is not Status.FAIL for f in report.findings)
    platform = {r.META.id for r in all_rules() if r.META.profile is Profile.PLATFORM}
    assert {f.check_id for f in report.findings if f.status is Status.NOT_APPLICABLE} & platform
    with_config = _inventory({"supportops:environment": "dev", "supportops:phase": "foundation"})
    report = run_compliance(ComplianceRequest(with_config, checkov=False))
    assert report.details["profiles"]["active"] == ["baseline", "platform"]
    assert any(f.status is Status.FAIL and f.check_id == "sqs_queue_cmk_encryption" for f in report.findings)
