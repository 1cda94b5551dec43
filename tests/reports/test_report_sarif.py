"""SARIF 2.1.0 output: valid against the official OASIS schema (vendored under schemas/) and
accepted by GitHub code scanning (one test per rule GitHub enforces, see github_sarif_rules.py), on
report factories and on real runs: the demo stack, the non-compliant fixture and a state file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from github_sarif_rules import RULES
from report_factories import sample_report, synthetic_report
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.findings import Report
from supportops.inventory.offline_plan.runner import PlanRequest, plan_program
from supportops.reports.formats import write_report

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SCHEMA = HERE / "schemas" / "sarif-schema-2.1.0.json"
NONCOMPLIANT = REPO / "tests" / "fixtures" / "noncompliant"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _sarif(report: Report, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "report.sarif.json"
    write_report(report, "sarif", path)
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def _comply(*args: str | Path) -> dict[str, Any]:
    """`supportops comply ... -f sarif` as a user runs it (checkov included when installed)."""
    result = CliRunner().invoke(create_app(), ["comply", *map(str, args), "-f", "sarif"])
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


@pytest.fixture(scope="module")
def demo_sarif() -> dict[str, Any]:
    """The demo's SARIF: the foundation phase, rules and checkov (scripts/demo.sh)."""
    return _comply("--stack", "demo-foundation", "--project", REPO)


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The non-compliant fixture planned once: its inventory JSON and a stack export of it."""
    from pulumi_files import export_document

    inventory = plan_program(PlanRequest(NONCOMPLIANT, "bad", use_project_virtualenv=False))
    folder = tmp_path_factory.mktemp("noncompliant")
    (folder / "inventory.json").write_text(json.dumps(inventory.to_json()), encoding="utf-8")
    export = export_document(inventory)
    urns = {r["urn"] for r in export["deployment"]["resources"]}
    for resource in export["deployment"]["resources"]:  # default providers the plan does not hold
        if resource.get("provider", "").rsplit("::", 1)[0] not in urns:
            resource.pop("provider", None)
    (folder / "state.json").write_text(json.dumps(export, indent=2), encoding="utf-8")
    return {"inventory": folder / "inventory.json", "state": folder / "state.json"}


@pytest.fixture(scope="module")
def fixture_sarif(fixture_files: dict[str, Path]) -> dict[str, Any]:
    """Hundreds of failing results, with program lines (from the inventory JSON `plan` writes)."""
    return _comply("--inventory", fixture_files["inventory"], "--no-checkov")


@pytest.fixture(scope="module")
def state_sarif(fixture_files: dict[str, Path]) -> dict[str, Any]:
    """A `pulumi stack export` input: no program lines, the state file's own lines instead."""
    return _comply("--state", fixture_files["state"], "--no-checkov")


DOCUMENTS = ["sample", "synthetic", "demo", "fixture", "state"]


@pytest.fixture
def document(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    name = request.param
    if name == "sample":
        return _sarif(sample_report(), tmp_path)
    if name == "synthetic":
        return _sarif(synthetic_report(200), tmp_path)
    fixture: dict[str, Any] = request.getfixturevalue(f"{name}_sarif")
    return fixture


@pytest.mark.parametrize("document", DOCUMENTS, indirect=True)
def test_valid_against_the_official_schema(
    document: dict[str, Any], validator: jsonschema.Draft4Validator
) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]


@pytest.mark.parametrize("document", DOCUMENTS, indirect=True)
@pytest.mark.parametrize("rule", sorted(RULES))
def test_github_accepts_it(document: dict[str, Any], rule: str) -> None:
    assert RULES[rule](document) == []


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_github_rule_catches_what_it_names(rule: str, tmp_path: Path) -> None:
    """Every rule rejects a document broken in its own way (the checks above are not vacuous)."""
    document = _sarif(sample_report(), tmp_path)
    run = document["runs"][0]
    result, first_rule = run["results"][0], run["tool"]["driver"]["rules"][0]
    physical = result["locations"][0]["physicalLocation"]
    breakers = {
        "version 2.1.0 and runs": lambda: document.update(version="2.0.0"),
        "at most 20 runs per file": lambda: document.update(runs=[run] * 21),
        "tool.driver.name required": lambda: run["tool"]["driver"].update(name=" "),
        "at most 25,000 results per run": lambda: run.update(results=[result] * 25_001),
        "every result shown (at most 5,000)": lambda: run.update(results=[result] * 5_001),
        "at most 25,000 rules per run": lambda: run["tool"]["driver"].update(rules=[first_rule] * 25_001),
        "at most 100 tool extensions per run": lambda: run["tool"].update(extensions=[{"name": "x"}] * 101),
        "ruleId declared in tool.driver.rules": lambda: result.update(ruleId="NOT-A-RULE"),
        "rule ids unique": lambda: run["tool"]["driver"]["rules"].append(first_rule),
        "message.text required": lambda: result.update(message={"text": ""}),
        "a location with physicalLocation (at most 1,000)": lambda: result.update(locations=[]),
        "artifactLocation.uri repository-relative": lambda: physical["artifactLocation"].update(
            uri="/abs/x.py"
        ),
        "region.startLine >= 1": lambda: physical["region"].update(startLine=0),
        "levels error/warning/note(/none)": lambda: result.update(level="critical"),
        "results are alerts (no pass, no notApplicable)": lambda: result.update(kind="pass"),
        "rules have short/full description, help and helpUri": lambda: first_rule.pop("help"),
        "security-severity between 0.0 and 10.0": lambda: first_rule["properties"].update(
            {"security-severity": "11"}
        ),
        "at most 10 tags per rule (20 hard)": lambda: first_rule["properties"].update(tags=["t"] * 11),
        "partialFingerprints strings, unique per run": lambda: run.update(results=[result, result]),
        "at most 10 MB gzip-compressed": lambda: result.update(
            message={"text": __import__("os").urandom(11 * 1024 * 1024).hex()}
        ),  # incompressible
    }
    assert RULES[rule](document) == []
    breakers[rule]()
    assert RULES[rule](document) != []


def test_results_are_what_needs_attention_and_passes_are_counted(tmp_path: Path) -> None:
    run = _sarif(sample_report(), tmp_path)["runs"][0]
    results = {(r["ruleId"], r["kind"], r.get("level")) for r in run["results"]}
    assert results == {
        ("SO-S3-001", "fail", "error"),
        ("DR-RTO-001", "review", None),  # ERROR: could not evaluate, never pass/fail
        ("AR-STALE-001", "fail", "error"),
        ("CKV_AWS_18", "fail", "note"),  # waived: shown with an accepted suppression
        ("SO-HOSTILE", "fail", "note"),
    }
    (waived,) = [r for r in run["results"] if r.get("suppressions")]
    assert waived["ruleId"] == "CKV_AWS_18"
    assert waived["suppressions"][0]["status"] == "accepted"
    assert waived["suppressions"][0]["properties"]["owner"] == "alice@example.com"
    assert run["properties"]["summary"]["PASS"] == 1 and run["properties"]["summary"]["NOT_APPLICABLE"] == 1
    # Rules of passing checks are still declared: the dashboard knows what ran.
    assert {"SO-TLS-001", "SO-KMS-002"} <= {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    s3 = next(r for r in run["results"] if r["ruleId"] == "SO-S3-001")
    assert s3["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].endswith("::recordings")
    assert s3["properties"]["evidence"][0]["observed"] == "AES256"


def test_problems_are_tool_notifications(tmp_path: Path) -> None:
    invocation = _sarif(sample_report(), tmp_path)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    messages = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert messages[0].startswith("checkov unavailable")
    clean = sample_report()
    clean.problems = []
    assert _sarif(clean, tmp_path)["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_offline_plan_results_point_at_the_program_line_that_declared_the_resource(
    fixture_sarif: dict[str, Any],
) -> None:
    run = fixture_sarif["runs"][0]
    program = (NONCOMPLIANT / "__main__.py").read_text(encoding="utf-8").splitlines()
    by_name: dict[str, set[int]] = {}
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "tests/fixtures/noncompliant/__main__.py"
        assert result["properties"]["locationKind"] == "program"
        logical = result["locations"][0]["logicalLocations"][0]
        if logical["decoratedName"] == "pulumi:pulumi:Stack":
            continue  # the runner creates it: it points at the program file's first line
        region = result["locations"][0]["physicalLocation"]["region"]
        by_name.setdefault(logical["name"], set()).add(region["startLine"])
        # The region is the constructor call of the resource's own class (`aws.s3.Bucket(...)`).
        statement = "\n".join(program[region["startLine"] - 1 : region["endLine"]])
        type_token = logical["decoratedName"]
        provider = type_token.startswith("pulumi:providers:")
        class_name = "Provider" if provider else type_token.rsplit(":", 1)[-1]
        assert f"{class_name}(" in statement, (logical, statement)
    # One declaration per resource.
    assert all(len(lines) == 1 for lines in by_name.values())
    sources = {result["properties"]["source"] for result in run["results"]}
    assert sources >= {"supportops"}


def test_state_results_point_at_the_resource_in_the_input_file_and_say_so(
    state_sarif: dict[str, Any],
) -> None:
    run = state_sarif["runs"][0]
    assert run["results"]
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "state.json"
        assert result["properties"]["locationKind"] == "input"
        assert "located at the input file state.json" in result["message"]["text"]
    # The line is the resource's own `"urn": ...` line in the export.
    urns = {r["properties"]["subject"] for r in run["results"]}
    assert len({r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]}) > 1
    assert urns


def test_every_rule_links_to_its_documentation(
    fixture_sarif: dict[str, Any], demo_sarif: dict[str, Any]
) -> None:
    from supportops.reports.rule_help import github_anchor

    docs = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    anchors = {github_anchor(line.lstrip("#")) for line in docs.splitlines() if line.startswith("### ")}
    rules = [
        *fixture_sarif["runs"][0]["tool"]["driver"]["rules"],
        *demo_sarif["runs"][0]["tool"]["driver"]["rules"],
    ]
    assert any(rule["properties"]["source"] == "checkov" for rule in rules)
    for rule in rules:
        uri = rule["helpUri"]
        if rule["properties"]["source"] == "checkov":
            assert uri.startswith("https://"), rule["id"]
            assert rule["id"] in rule["help"]["text"]
        else:
            assert uri.endswith(f"docs/rules.md#{rule['id']}"), uri
            assert rule["id"] in anchors, f"docs/rules.md has no section for {rule['id']}"


def test_fingerprints_are_stable_across_runs(tmp_path: Path) -> None:
    first = _sarif(synthetic_report(50), tmp_path)
    second = _sarif(synthetic_report(50), tmp_path)
    prints = [[r["partialFingerprints"] for r in doc["runs"][0]["results"]] for doc in (first, second)]
    assert prints[0] == prints[1] and prints[0]
