"""`supportops comply` end to end through the CLI: exit codes, formats, waivers, checkov, evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from policy_fakes import shop_inventory, tagged_rule
from pulumi_files import export_document, preview_document
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.findings import Severity
from supportops.inventory.model import Inventory
from supportops.policies import compliance, engine
from supportops.policies.checkov import scan as checkov_scan
from supportops.reports.formats import WRITERS

runner = CliRunner()


@pytest.fixture
def one_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalog is one medium rule: buckets 'logs' and 'public' fail it, 'media' passes."""
    rules = (tagged_rule(severity=Severity.MEDIUM),)
    monkeypatch.setattr(engine, "all_rules", lambda: rules)
    monkeypatch.setattr(compliance, "all_rules", lambda: rules)


@pytest.fixture
def state(tmp_path: Path) -> Path:
    path = tmp_path / "state.json"
    path.write_text(json.dumps(export_document(shop_inventory())), encoding="utf-8")
    return path


def run(*args: str | Path) -> Any:
    return runner.invoke(create_app(), ["comply", *map(str, args)])


def report_of(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


WAIVER = """waivers:
  - id: W-7
    rule: bucket_tagged
    selector: {{name: "{name}"}}
    owner: bob@example.com
    justification: Legacy buckets, tagged in the Q3 migration.
    expires: {expires}
"""


@pytest.mark.usefixtures("one_rule")
def test_a_failure_exits_1_and_the_json_report_says_why(tmp_path: Path, state: Path) -> None:
    out = tmp_path / "report.json"
    result = run("--state", state, "--no-checkov", "-f", "json", "--out", out)
    assert result.exit_code == 1, result.output
    report = report_of(out)
    failing = sorted(f["subject"].rsplit("::", 1)[-1] for f in report["findings"] if f["status"] == "FAIL")
    assert failing == ["logs", "public"]
    assert report["details"]["config"]["origin"] == "defaults"  # the state file has no stack config
    assert report["inputs"][0]["sha256"] == __import__("hashlib").sha256(state.read_bytes()).hexdigest()


@pytest.mark.usefixtures("one_rule")
def test_min_severity_above_the_failures_exits_0(tmp_path: Path, state: Path) -> None:
    out = tmp_path / "report.json"
    result = run("--state", state, "--no-checkov", "--min-severity", "high", "-f", "json", "-o", out)
    assert result.exit_code == 0, result.output
    report = report_of(out)
    assert report["findings"] == [] and report["details"]["belowMinSeverity"] == 3


@pytest.mark.usefixtures("one_rule")
def test_waived_failures_exit_0_and_show_their_owner(tmp_path: Path, state: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVER.format(name="*", expires="2099-12-31"), encoding="utf-8")
    out = tmp_path / "report.json"
    result = run("--state", state, "--no-checkov", "--waivers", waivers, "-f", "json", "-o", out)
    assert result.exit_code == 0, result.output
    report = report_of(out)
    waived = [f for f in report["findings"] if f["waiver"]]
    assert {f["status"] for f in waived} == {"FAIL"} and len(waived) == 2
    assert {f["waiver"]["owner"] for f in waived} == {"bob@example.com"}
    assert [(w["id"], w["state"], w["matched"]) for w in report["waivers"]] == [("W-7", "active", 2)]
    assert report["summary"]["WAIVED"] == 2 and report["summary"]["FAIL"] == 0


@pytest.mark.usefixtures("one_rule")
def test_an_expired_waiver_fails_the_run_and_is_reported(tmp_path: Path, state: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVER.format(name="*", expires="2020-01-31"), encoding="utf-8")
    out = tmp_path / "report.json"
    result = run("--state", state, "--no-checkov", "--waivers", waivers, "-f", "json", "-o", out)
    assert result.exit_code == 1
    report = report_of(out)
    assert [w["state"] for w in report["waivers"]] == ["expired"]
    assert any("W-7" in p and "expired on 2020-01-31" in p for p in report["problems"])
    assert "expired on 2020-01-31" in result.stderr


@pytest.mark.usefixtures("one_rule")
def test_the_table_groups_by_requirement_or_resource(state: Path) -> None:
    by_resource = run("--state", state, "--no-checkov", "--group-by", "resource")
    assert by_resource.exit_code == 1
    assert "Findings by resource" in by_resource.stdout
    assert "logs (aws:s3/bucket:Bucket)" in by_resource.stdout
    by_requirement = run("--state", state, "--no-checkov", "--framework", "gdpr")
    assert "General Data Protection Regulation" in by_requirement.stdout
    assert "Manual evidence to collect for gdpr" in by_requirement.stdout


@pytest.mark.usefixtures("one_rule")
@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_report_format_is_written(tmp_path: Path, state: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    result = run("--state", state, "--no-checkov", "-f", fmt, "-o", out)
    assert result.exit_code == 1, result.output
    assert out.stat().st_size > 0


@pytest.mark.usefixtures("one_rule")
def test_json_goes_to_stdout_without_out(state: Path) -> None:
    result = run("--state", state, "--no-checkov", "-f", "json")
    assert json.loads(result.stdout)["kind"] == "compliance"


@pytest.mark.usefixtures("one_rule")
def test_a_preview_file_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(preview_document(shop_inventory())), encoding="utf-8")
    out = tmp_path / "report.json"
    result = run("--preview-json", path, "--no-checkov", "-f", "json", "-o", out)
    assert result.exit_code == 1
    assert report_of(out)["details"]["source"]["kind"] == "preview"


@pytest.mark.usefixtures("one_rule")
def test_checkov_unavailable_is_reported_never_a_silent_pass(
    tmp_path: Path, state: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkov_scan, "scan", lambda inventory: checkov_scan.CheckovOutcome(
        problems=["checkov: unavailable (no checkov environment; run scripts/_checkov_venv.sh)"]))
    out = tmp_path / "report.json"
    result = run("--state", state, "--min-severity", "high", "-f", "json", "-o", out)
    assert result.exit_code == 0
    report = report_of(out)
    assert report["details"]["checkov"] == "on"
    assert any(p.startswith("checkov: unavailable") for p in report["problems"])
    assert "warning: checkov: unavailable" in result.stderr


@pytest.mark.usefixtures("one_rule")
def test_checkov_crashing_is_reported(tmp_path: Path, state: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(inventory: Inventory) -> checkov_scan.CheckovOutcome:
        raise OSError("no such file: checkov")

    monkeypatch.setattr(checkov_scan, "scan", crash)
    out = tmp_path / "report.json"
    run("--state", state, "-f", "json", "-o", out)
    assert any("checkov: the scan failed (OSError" in p for p in report_of(out)["problems"])


@pytest.mark.usefixtures("one_rule")
def test_evidence_bundle(tmp_path: Path, state: Path) -> None:
    bundle = tmp_path / "evidence"
    result = run("--state", state, "--no-checkov", "-f", "sarif", "-o", tmp_path / "r.sarif",
                 "--evidence", bundle)
    assert result.exit_code == 1
    manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
    names = {entry["path"] for entry in manifest["files"]}
    assert {"report.json"} <= names and any(n.startswith("report.sarif") for n in names)
    assert any(i["role"] == "stack-export" for i in manifest["inputs"])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "give exactly one of them"),
        (("--stack", "demo-foundation", "--state", "x.json"), "give only one (got --stack, --state)"),
        (("--state", "missing.json"), "missing.json: no such file"),
        (("--state", "STATE", "--format", "pdf"), "--format: pdf: unknown format"),
        (("--state", "STATE", "--framework", "sox"), "--framework: sox: unknown framework"),
        (("--state", "STATE", "--waivers", "missing-waivers.yaml"), "missing-waivers.yaml: no such file"),
        (("--state", "STATE", "--config", "settings.yaml"), "expected a Pulumi stack file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, state: Path, args: tuple[str, ...], expected: str
) -> None:
    argv = [str(state) if a == "STATE" else a for a in args]
    result = run(*argv, "--no-checkov")
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert len([line for line in result.stderr.splitlines() if line.startswith("error:")]) == 1


def test_truncated_state_file_is_exit_2(tmp_path: Path, state: Path) -> None:
    text = state.read_text(encoding="utf-8")
    state.write_text(text[: len(text) - 40], encoding="utf-8")
    result = run("--state", state, "--no-checkov")
    assert result.exit_code == 2
    assert "truncated" in result.stderr


@pytest.mark.slow
def test_demo_foundation_has_no_high_or_critical_failure(tmp_path: Path, foundation_plan: Inventory) -> None:
    """The shipped demo stack against the real catalog, through a stack export and its own config."""
    path = tmp_path / "state.json"
    path.write_text(json.dumps(export_document(foundation_plan)), encoding="utf-8")
    config = Path(__file__).resolve().parents[2] / "Pulumi.demo-foundation.yaml"
    out = tmp_path / "report.json"
    result = run("--state", path, "--config", config, "--no-checkov", "--min-severity", "high",
                 "-f", "json", "-o", out)
    report = report_of(out)
    assert [f["checkId"] for f in report["findings"] if f["status"] == "FAIL"] == []
    assert result.exit_code == 0
    assert report["details"]["config"]["origin"] == "file"
    assert len(report["frameworks"]) == 3
