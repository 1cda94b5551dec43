"""The framework files: the one mapping of checks (rules, checkov ids, runbook checks) to requirements,
consistent with the rule catalog and the runbooks; the coverage view never passes a manual
requirement, and runbook evidence makes a requirement evidence-backed."""

from __future__ import annotations

from pathlib import Path

import pytest

from supportops.errors import BadInput
from supportops.findings import Automation, Finding, RequirementStatus, Severity, Status, Waiver
from supportops.policies.catalog import all_rules
from supportops.policies.frameworks.coverage import (
    automation_summary,
    control_matrix,
    coverage,
    tag_requirements,
)
from supportops.policies.frameworks.model import (
    Framework,
    builtin_framework_paths,
    builtin_frameworks,
    builtin_index,
    load_framework,
    select,
)
from supportops.policies.frameworks.runbook_checks import PRODUCERS, produced_checks

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
         "a manual requirement lists no checks"),
        (GOOD.replace("manualEvidence: signed review", "checkov: [CKV_AWS_18]"),
         "a manual requirement lists no checks"),
        (GOOD.replace("rules: [a_rule]}", "rules: [a_rule], checkov: [ckv_aws_18]}"),
         "requirements[0].checkov[0]"),
        (GOOD.replace("rules: [a_rule]}", "rules: [a_rule], checkov: [CKV_AWS_18, CKV_AWS_18]}"),
         "checkov check listed twice: CKV_AWS_18"),
        (GOOD.replace("rules: [a_rule]}", "runbookChecks: [ops:restart]}"),
         "requirements[0].runbookChecks[0]"),
        (GOOD.replace("rules: [a_rule]}", "runbookChecks: [access-review:no_such_check]}"),
         "access-review:no_such_check is not a check the access-review runbook reports"),
        (GOOD.replace("rules: [a_rule]}", "runbookChecks: [dr-drill:rto]}"),
         "an automated requirement needs manualEvidence"),  # shown until the drill's evidence is in
        (GOOD.replace("rules: [a_rule]}", "rules: []}"), "an automated requirement needs at least one check"),
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


def test_checkov_ids_and_globs_map_through_the_framework_file(tmp_path: Path) -> None:
    text = GOOD.replace("rules: [a_rule]}", "rules: [a_rule], checkov: [CKV_AWS_18, CKV_SECRET_*]}")
    framework = load_framework(_write(tmp_path, text))
    checkov = Finding("CKV_AWS_18", "t", Status.FAIL, Severity.HIGH, "urn:b", source="checkov")
    secret = Finding("CKV_SECRET_6", "t", Status.PASS, Severity.HIGH, "app.py:3", source="checkov")
    other = Finding("CKV_AWS_999", "t", Status.FAIL, Severity.HIGH, "urn:c", source="checkov")
    findings = [_finding("a_rule", Status.PASS), checkov, secret, other]
    tag_requirements(findings, [framework])
    assert [f.requirements for f in findings] == [["custom:r1"], ["custom:r1"], ["custom:r1"], []]
    r1 = coverage(framework, findings).requirements[0]
    assert (r1.status, r1.counts, r1.check_ids) == (
        RequirementStatus.FAIL, {"FAIL": 1, "PASS": 2}, ["a_rule", "CKV_AWS_18", "CKV_SECRET_6"]
    )


RUNBOOK = """
id: custom
title: Custom
version: "1"
requirements:
  - {id: review, title: Access reviewed, automation: partial, manualEvidence: the access review,
     runbookChecks: [access-review:iam_role_unused, access-review:iam_principal_without_owner]}
  - {id: drill, title: Restores tested, automation: partial, rules: [a_rule], manualEvidence: a DR drill,
     runbookChecks: [dr-drill:rto, dr-drill:rpo]}
  - {id: retain, title: Retention, automation: automated, rules: [a_rule],
     runbookChecks: [privacy:retention_bounded]}
  - {id: erase, title: Erasure, automation: automated, manualEvidence: an executed erasure,
     runbookChecks: [privacy:erasure_verified]}
"""


def _runbook_statuses(tmp_path: Path, findings: list[Finding]) -> dict[str, RequirementStatus]:
    framework = load_framework(_write(tmp_path, RUNBOOK))
    (result,) = control_matrix(findings, [framework])
    return {r.requirement_id: r.status for r in result.requirements}


def test_runbook_evidence_makes_requirements_evidence_backed(tmp_path: Path) -> None:
    rule = _finding("a_rule", Status.PASS)
    # without any runbook's evidence: what the runbook would show is still manual
    assert _runbook_statuses(tmp_path, [rule]) == {
        "review": RequirementStatus.MANUAL, "drill": RequirementStatus.MANUAL,
        "retain": RequirementStatus.PASS, "erase": RequirementStatus.MANUAL,
    }
    evidence = [
        rule,
        _finding("access-review:iam_role_unused", Status.PASS, "arn:aws:iam::1:role/a"),
        _finding("dr-drill:rto", Status.PASS, "restore"),
        _finding("dr-drill:rpo", Status.PASS, "restore"),
        _finding("privacy:retention_bounded", Status.PASS, "store:x/backups"),
        _finding("privacy:erasure_verified", Status.PASS, "store:x"),
    ]
    assert _runbook_statuses(tmp_path, evidence) == {
        "review": RequirementStatus.PASS, "drill": RequirementStatus.PASS,
        "retain": RequirementStatus.PASS, "erase": RequirementStatus.PASS,
    }


def test_runbook_failures_fail_and_a_dry_run_proves_nothing(tmp_path: Path) -> None:
    findings = [
        _finding("a_rule", Status.PASS),
        _finding("access-review:iam_role_unused", Status.PASS, "arn:aws:iam::1:role/a"),
        _finding("access-review:iam_principal_without_owner", Status.FAIL, "arn:aws:iam::1:user/b"),
        _finding("dr-drill:rto", Status.ERROR, "restore"),
        _finding("privacy:retention_bounded", Status.FAIL, "store:x/backups"),
        _finding("privacy:erasure_verified", Status.NOT_APPLICABLE, "store:x"),  # a dry run
    ]
    assert _runbook_statuses(tmp_path, findings) == {
        "review": RequirementStatus.FAIL, "drill": RequirementStatus.ERROR,
        "retain": RequirementStatus.FAIL, "erase": RequirementStatus.MANUAL,
    }


def test_a_waived_runbook_failure_is_not_evidence(tmp_path: Path) -> None:
    findings = [_finding("access-review:iam_role_unused", Status.FAIL, "arn:aws:iam::1:role/a", waived=True)]
    assert _runbook_statuses(tmp_path, findings)["review"] is RequirementStatus.MANUAL


def test_every_runbook_kind_declares_the_checks_it_reports() -> None:
    from supportops.runbooks.access_review.apply import CHECK_ID
    from supportops.runbooks.access_review.checks import CHECKS, COLLECTION_CHECK_ID
    from supportops.runbooks.dr.steps.registry import STEP_TYPES
    from supportops.runbooks.privacy.checks import CHECK_IDS, ERASURE_CHECK, RETENTION_CHECK

    reported = {f"access-review:{c}" for c in (*CHECKS, COLLECTION_CHECK_ID)}
    assert produced_checks("access-review") == reported | {CHECK_ID}
    assert produced_checks("dr-drill") == {f"dr-drill:{c.id}" for t in STEP_TYPES for c in t.checks}
    assert produced_checks("privacy") == CHECK_IDS >= {ERASURE_CHECK, RETENTION_CHECK}
    assert set(PRODUCERS) == {"access-review", "dr-drill", "privacy", "vulnerability-scan"}
    from supportops.runbooks.vulnerability_scan import checks as vulnerability_scan

    assert produced_checks("vulnerability-scan") == vulnerability_scan.CHECK_IDS


def test_the_procedural_requirements_runbooks_evidence_are_mapped() -> None:
    index = builtin_index()
    assert "pci-dss-4.0:7.2.4" in index.requirements("access-review:iam_role_unused")
    assert "hipaa-164.312:164.312(a)(2)(i)" in index.requirements("access-review:iam_principal_without_owner")
    assert index.requirements("dr-drill:rto") == ["gdpr:art32-1-c", "pci-dss-4.0:12.10.1"]
    assert index.requirements("privacy:erasure_verified") == ["gdpr:art17"]
    assert index.requirements("privacy:retention_bounded") == ["gdpr:art5-1-e"]
    # no requirement that lists checks is manual, and none is left without one
    for framework in FRAMEWORKS:
        for requirement in framework.requirements:
            assert (requirement.automation is Automation.MANUAL) == (not requirement.checks), requirement.id


def test_unknown_framework_is_bad_input() -> None:
    with pytest.raises(BadInput, match="unknown framework"):
        select(FRAMEWORKS, "sox")
    assert [f.id for f in select(FRAMEWORKS, "gdpr")] == ["gdpr"]
