"""The framework files: consistent with the rule catalog, and the coverage view never passes a manual
requirement."""

from __future__ import annotations

from pathlib import Path

import pytest

from supportops.errors import BadInput
from supportops.findings import Automation, Finding, RequirementStatus, Severity, Status, Waiver
from supportops.policies.catalog import all_rules
from supportops.policies.frameworks.coverage import automation_summary, coverage, tag_requirements
from supportops.policies.frameworks.model import (
    Framework,
    builtin_framework_paths,
    builtin_frameworks,
    load_framework,
    select,
)

CATALOG = {rule.META.id for rule in all_rules()}
FRAMEWORKS = builtin_frameworks()


def test_the_three_frameworks_are_shipped() -> None:
    assert {f.id for f in FRAMEWORKS} == {"pci-dss-4.0", "gdpr", "hipaa-164.312"}
    assert all(path.stem == load_framework(path).id for path in builtin_framework_paths())


@pytest.mark.parametrize("framework", FRAMEWORKS, ids=lambda f: f.id)
def test_every_referenced_rule_exists(framework: Framework) -> None:
    referenced = framework.mapped_rules() | set(framework.unmapped)
    assert sorted(referenced - CATALOG) == []


@pytest.mark.parametrize("framework", FRAMEWORKS, ids=lambda f: f.id)
def test_every_rule_is_mapped_or_unmapped_on_purpose(framework: Framework) -> None:
    assert sorted(CATALOG - framework.mapped_rules() - set(framework.unmapped)) == []


@pytest.mark.parametrize("framework", FRAMEWORKS, ids=lambda f: f.id)
def test_each_framework_has_automated_and_manual_requirements(framework: Framework) -> None:
    summary = automation_summary(framework)
    assert summary[Automation.AUTOMATED.value] > 0 and summary[Automation.MANUAL.value] > 0
    assert sum(summary.values()) == len(framework.requirements)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "custom.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
id: custom
title: Custom
version: "1"
requirements:
  - {id: r1, title: Encrypt, automation: automated, rules: [a_rule]}
  - {id: r2, title: Review, automation: manual, manualEvidence: signed review}
  - {id: r3, title: Retain, automation: partial, rules: [b_rule], manualEvidence: disposal log}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + "  - {id: r1, title: Again, automation: manual, manualEvidence: x}\n",
         "duplicate requirement ids: r1"),
        (GOOD.replace("rules: [a_rule]", "rules: [a_rule, a_rule]"), "rule listed twice: a_rule"),
        (GOOD.replace("manualEvidence: signed review", "rules: [a_rule]"),
         "a manual requirement lists no rules"),
        (GOOD.replace(", manualEvidence: disposal log", ""), "a partial requirement needs manualEvidence"),
        (GOOD.replace("automation: automated", "automation: sometimes"), "requirements[0].automation"),
        (GOOD + "unmapped: {a_rule: not relevant}\n", "rules both mapped and unmapped: a_rule"),
        (GOOD + "colour: blue\n", "colour: unknown key"),
        ("id: [unclosed\n", "not valid YAML"),
    ],
)
def test_framework_file_problems(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(BadInput, match=expected.replace("[", r"\[").replace("(", r"\(")):
        load_framework(_write(tmp_path, text))


def _finding(check_id: str, status: Status, subject: str = "urn:x", waived: bool = False) -> Finding:
    waiver = Waiver("owner", "accepted risk", "2099-01-01", "W1") if waived else None
    return Finding(check_id, "t", status, Severity.HIGH, subject, waiver=waiver)


def _statuses(tmp_path: Path, findings: list[Finding]) -> dict[str, RequirementStatus]:
    framework = load_framework(_write(tmp_path, GOOD))
    tag_requirements(findings, [framework])
    return {r.requirement_id: r.status for r in coverage(framework, findings).requirements}


def test_requirement_statuses(tmp_path: Path) -> None:
    assert _statuses(tmp_path, []) == {"r1": RequirementStatus.NOT_APPLICABLE, "r2": RequirementStatus.MANUAL,
                                       "r3": RequirementStatus.MANUAL}
    passing = [_finding("a_rule", Status.PASS), _finding("b_rule", Status.PASS)]
    # a partial requirement whose rules pass still needs its manual evidence: never PASS
    assert _statuses(tmp_path, passing) == {"r1": RequirementStatus.PASS, "r2": RequirementStatus.MANUAL,
                                            "r3": RequirementStatus.MANUAL}
    failing = [_finding("a_rule", Status.PASS), _finding("a_rule", Status.FAIL, "urn:y"),
               _finding("b_rule", Status.ERROR)]
    assert _statuses(tmp_path, failing) == {"r1": RequirementStatus.FAIL, "r2": RequirementStatus.MANUAL,
                                            "r3": RequirementStatus.ERROR}


def test_waived_failures_do_not_fail_a_requirement_but_are_counted(tmp_path: Path) -> None:
    framework = load_framework(_write(tmp_path, GOOD))
    findings = [_finding("a_rule", Status.FAIL, waived=True), _finding("a_rule", Status.PASS)]
    tag_requirements(findings, [framework])
    result = coverage(framework, findings)
    r1 = result.requirements[0]
    assert (r1.status, r1.counts) == (RequirementStatus.PASS, {"PASS": 1, "WAIVED": 1})


def test_findings_are_tagged_with_their_requirements(tmp_path: Path) -> None:
    framework = load_framework(_write(tmp_path, GOOD))
    findings = [_finding("a_rule", Status.PASS), _finding("other", Status.PASS)]
    tag_requirements(findings, [framework])
    assert [f.requirements for f in findings] == [["custom:r1"], []]


def test_checkov_findings_count_toward_the_requirements_they_carry(tmp_path: Path) -> None:
    framework = load_framework(_write(tmp_path, GOOD))
    checkov = Finding("CKV_AWS_18", "t", Status.FAIL, Severity.HIGH, "urn:b", source="checkov",
                      requirements=["custom:r1"])
    findings = [_finding("a_rule", Status.PASS), checkov]
    tag_requirements(findings, [framework])
    assert checkov.requirements == ["custom:r1"]  # kept: checkov ids are not in the framework file
    r1 = coverage(framework, findings).requirements[0]
    assert (r1.status, r1.counts, r1.check_ids) == (
        RequirementStatus.FAIL, {"FAIL": 1, "PASS": 1}, ["a_rule", "CKV_AWS_18"]
    )


def test_unknown_framework_is_bad_input() -> None:
    with pytest.raises(BadInput, match="unknown framework"):
        select(FRAMEWORKS, "sox")
    assert [f.id for f in select(FRAMEWORKS, "gdpr")] == ["gdpr"]
