"""The catalog as a whole: one module per rule, ids equal module names, complete metadata, every rule
tripped by the non-compliant fixture, no ERROR there, previews never invent a FAIL, docs up to date."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rule_outcomes import CORPUS_RULES, outcomes

from supportops.findings import Severity, Status
from supportops.inventory.model import Inventory
from supportops.policies import catalog
from supportops.policies.catalog import all_rules, markdown_table, rule_by_id
from supportops.policies.rule import Category, EvaluationContext
from supportops.stacks.config import config_from_mapping

RULES_DIR = Path(catalog.__file__).resolve().parent / "rules"
REPO = Path(__file__).resolve().parents[3]
IDS = [rule.META.id for rule in all_rules()]


def test_ids_are_module_names_and_unique() -> None:
    assert len(IDS) == len(set(IDS))
    for rule in all_rules():
        assert rule.__name__ == f"supportops.policies.rules.{rule.META.id}"


def test_every_rule_module_is_in_the_catalog() -> None:
    modules = {p.stem for p in RULES_DIR.glob("*.py") if p.stem != "__init__"}
    assert modules == set(IDS)


def test_about_fifty_rules_over_every_category() -> None:
    assert len(IDS) >= 50
    assert {rule.META.category for rule in all_rules()} == set(Category)


@pytest.mark.parametrize("rule_id", IDS)
def test_metadata_is_complete(rule_id: str) -> None:
    meta = rule_by_id(rule_id).META
    assert meta.id.isidentifier() and meta.id == meta.id.lower()
    assert isinstance(meta.severity, Severity) and isinstance(meta.category, Category)
    assert meta.title and not meta.title.endswith(".")
    assert len(meta.rationale) > 60
    assert "(" in meta.remediation  # a Pulumi call or config snippet
    assert meta.resource_types and all(":" in t for t in meta.resource_types)


def test_rule_by_id_rejects_unknown_ids() -> None:
    with pytest.raises(KeyError):
        rule_by_id("no_such_rule")


@pytest.mark.parametrize("rule_id", [i for i in IDS if i not in CORPUS_RULES])
def test_every_rule_fails_a_fixture_resource(rule_id: str, bad: EvaluationContext) -> None:
    result = outcomes(rule_by_id(rule_id), bad)
    assert result[Status.FAIL], f"{rule_id} trips nothing in tests/fixtures/noncompliant"
    assert result[Status.ERROR] == set()


def test_every_corpus_rule_has_a_labelled_failure() -> None:
    """The rules judged on the labelled corpus each FAIL some corpus resource (exactly asserted by
    tests/policies/profiles), and are catalog rules."""
    failing: set[str] = set()
    for path in (REPO / "tests" / "fixtures" / "programs").glob("rules-*/expected.yaml"):
        labels = yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]
        failing.update(rule_id for rule_id, label in labels.items() if label.get("fail"))
    assert failing >= CORPUS_RULES
    assert set(IDS) >= CORPUS_RULES


def test_preview_gives_no_error_and_no_fail_the_plan_does_not(
    noncompliant_preview: Inventory, bad: EvaluationContext
) -> None:
    preview = EvaluationContext(
        noncompliant_preview, config_from_mapping(noncompliant_preview.config, source="preview")
    )
    unknown_seen = 0
    for rule in all_rules():
        planned = outcomes(rule, bad)
        previewed = outcomes(rule, preview)
        assert previewed[Status.ERROR] == set(), rule.META.id
        assert previewed[Status.FAIL] <= planned[Status.FAIL], rule.META.id
        unknown_seen += len(previewed[Status.NOT_APPLICABLE] - planned[Status.NOT_APPLICABLE])
    assert unknown_seen > 20  # values unknown at preview became NOT_APPLICABLE, not PASS or FAIL


def test_findings_carry_rule_metadata(bad: EvaluationContext) -> None:
    rule = rule_by_id("kms_key_rotation_enabled")
    finding = next(f for f in rule.evaluate(bad) if f.status is Status.FAIL)
    assert finding.severity is rule.META.severity
    assert finding.category == rule.META.category.value
    assert finding.remediation == rule.META.remediation
    assert finding.subject.startswith("urn:pulumi:bad::noncompliant::aws:kms/key:Key::")
    assert finding.evidence and finding.evidence[0].path == "enableKeyRotation"


def test_docs_rules_md_is_up_to_date() -> None:
    written = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert written == markdown_table(), "regenerate: python -m supportops.policies.catalog > docs/rules.md"
