"""The conventions of docs/cli.md, as a user meets them: one table of every command's options (checked
both ways), help without type placeholders, several formats in one run, the compact format, tables
never cut without a terminal, `comply --inventory`, a relative --project, check selection, soft fail."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cli_surface import DOCS, commands, documented, options, surface
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.cli.options import CheckSelection, split_values
from supportops.cli.output import destinations
from supportops.errors import BadInput

REPO = Path(__file__).resolve().parents[2]
NONCOMPLIANT = REPO / "tests" / "fixtures" / "noncompliant"


def invoke(*args: str | Path, cwd: Path | None = None) -> object:
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(create_app(), [str(a) for a in args], env={"COLUMNS": "80"})
    finally:
        os.chdir(previous)


# --- docs/cli.md lists every option of every command, and nothing else ------------------------------


def test_every_option_of_every_command_is_in_the_table() -> None:
    missing = sorted(surface() - documented())
    assert not missing, "add rows to docs/cli.md for: " + ", ".join(f"{c} {o}" for c, o in missing)


def test_the_table_lists_no_option_a_command_lacks() -> None:
    stale = sorted(documented() - surface())
    assert not stale, "docs/cli.md lists options no command has: " + ", ".join(f"{c} {o}" for c, o in stale)


def test_the_table_parser_reads_rows() -> None:
    text = (
        "| command | option |\n| `comply` | `--format` `-f` | X | y |\n"
        "| `dr drill` | `--soft-fail` | flag | z |\n"
    )
    assert documented(text) == {("comply", "--format"), ("dr drill", "--soft-fail")}
    assert DOCS.is_file()


# --- one convention per flag --------------------------------------------------------------------------


def test_shared_flags_mean_one_thing_everywhere() -> None:
    """-f is --format, -o is --out, --evidence takes a folder, --preview is an on/off flag."""
    for path, command in commands():
        for name, param in options(command).items():
            shorts = {opt for opt in param.opts if not opt.startswith("--")}
            if "-f" in shorts:
                assert name == "--format", path
            if "-o" in shorts:
                assert name == "--out", path
            if name == "--preview":
                assert param.is_flag, f"{path}: --preview is a flag (the file is --preview-json)"
            if name == "--soft-fail":
                assert param.is_flag, path
            if name == "--framework":
                assert param.multiple, path


def test_help_shows_no_type_placeholders_for_flags_or_lists() -> None:
    for path, _command in commands():
        args = [] if path == "supportops" else path.split()
        result = invoke(*args, "--help")
        assert result.exit_code == 0, (path, result.output)  # type: ignore[attr-defined]
        output = result.output  # type: ignore[attr-defined]
        assert "<bool>" not in output and "<list[" not in output, path


# --- several outputs in one run -----------------------------------------------------------------------


def test_formats_are_repeatable_and_comma_separated() -> None:
    assert split_values(["json,sarif", "html", "json", " "]) == ["json", "sarif", "html"]


def test_destinations_follow_the_out_convention(tmp_path: Path) -> None:
    assert [(d.fmt, d.path) for d in destinations(["json"], None)] == [("json", None)]
    assert [d.path for d in destinations(["json"], tmp_path / "r.json")] == [tmp_path / "r.json"]
    assert [d.path for d in destinations(["sarif"], tmp_path)] == [tmp_path / "report.sarif.json"]
    several = destinations(["compact", "sarif"], tmp_path / "reports")
    assert [(d.fmt, d.path) for d in several] == [
        ("compact", tmp_path / "reports" / "report.compact.txt"),
        ("sarif", tmp_path / "reports" / "report.sarif.json"),
        ("compact", None),  # the person-facing one is also printed for the CI log
    ]
    with pytest.raises(BadInput, match="need --out DIR"):
        destinations(["json", "sarif"], None)
    (tmp_path / "file").write_text("x")
    with pytest.raises(BadInput, match="need a directory"):
        destinations(["json", "sarif"], tmp_path / "file")


@pytest.fixture(scope="module")
def inventory_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`plan -f json` of the non-compliant fixture: what `comply --inventory` reads."""
    out = tmp_path_factory.mktemp("plan") / "inventory.json"
    result = invoke("plan", "-s", "bad", "--project", NONCOMPLIANT, "-f", "json", "-o", out)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return out


def test_json_and_sarif_in_one_run_write_both(inventory_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports"
    result = invoke(
        "comply",
        "--inventory",
        inventory_file,
        "--no-checkov",
        "-f",
        "json",
        "-f",
        "sarif,compact",
        "-o",
        out,
    )
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert sorted(p.name for p in out.iterdir()) == ["report.compact.txt", "report.json", "report.sarif.json"]
    report = json.loads((out / "report.json").read_text())
    sarif = json.loads((out / "report.sarif.json").read_text())
    failing = {(f["checkId"], f["subject"]) for f in report["findings"] if f["status"] == "FAIL"}
    assert {(r["ruleId"], r["properties"]["subject"]) for r in sarif["runs"][0]["results"]} == failing
    # The compact lines went to the log too, and match the file.
    assert result.stdout == (out / "report.compact.txt").read_text()  # type: ignore[attr-defined]


def test_compact_is_one_untruncated_line_per_failing_check_and_resource(inventory_file: Path) -> None:
    result = invoke("comply", "--inventory", inventory_file, "--no-checkov", "-f", "compact")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    lines = result.stdout.splitlines()  # type: ignore[attr-defined]
    report = json.loads(invoke("comply", "--inventory", inventory_file, "--no-checkov", "-f", "json").stdout)  # type: ignore[attr-defined]
    failing = [f for f in report["findings"] if f["status"] == "FAIL" and not f["waiver"]]
    assert len(lines) == len(failing) + 1  # and the summary line
    first = lines[0].split("  ")
    assert first[0].strip() == "CRITICAL"
    assert first[1].startswith("tests/fixtures/noncompliant/__main__.py:")
    for finding in failing:
        name = finding["subject"].rsplit("::", 1)[-1]
        where = f"{finding['location']['file']}:{finding['location']['line']}"
        assert any(
            where in line
            and f"  {finding['checkId']}  {name} (" in line
            and ",".join(finding["requirements"]) in line
            for line in lines
        ), finding["checkId"]
    assert "…" not in result.stdout  # type: ignore[attr-defined]
    assert lines[-1].startswith("Compliance of noncompliant/bad: ")


def test_the_table_is_never_cut_and_lists_each_failure_once(inventory_file: Path) -> None:
    result = invoke("comply", "--inventory", inventory_file, "--no-checkov")
    output = result.stdout  # type: ignore[attr-defined]
    assert "…" not in output
    report = json.loads(invoke("comply", "--inventory", inventory_file, "--no-checkov", "-f", "json").stdout)  # type: ignore[attr-defined]
    key = next(f for f in report["findings"] if f["status"] == "FAIL" and len(f["requirements"]) > 2)
    name = key["subject"].rsplit("::", 1)[-1]
    rows = [line for line in output.splitlines() if f" {key['checkId']} " in line and f" {name} (" in line]
    assert len(rows) == 1, rows  # once, not once per framework


def test_comply_reads_the_inventory_plan_writes(inventory_file: Path) -> None:
    result = invoke("comply", "--inventory", inventory_file, "--no-checkov", "-f", "json")
    report = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert report["details"]["source"]["kind"] == "offline-plan"
    assert report["details"]["resources"] == len(json.loads(inventory_file.read_text())["resources"])
    bad = inventory_file.parent / "not-an-inventory.json"
    bad.write_text('{"version": 3}')
    refused = invoke("comply", "--inventory", bad, "--no-checkov")
    assert refused.exit_code == 2  # type: ignore[attr-defined]
    assert "not a supportops inventory" in refused.stderr  # type: ignore[attr-defined]


def test_check_selection_and_soft_fail(inventory_file: Path) -> None:
    base = ("comply", "--inventory", inventory_file, "--no-checkov", "-f", "json")
    only = json.loads(invoke(*base, "--check", "s3_*,kms_key_policy_no_wildcard_principal").stdout)  # type: ignore[attr-defined]
    checks = {f["checkId"] for f in only["findings"]}
    assert checks and all(c.startswith("s3_") or c == "kms_key_policy_no_wildcard_principal" for c in checks)
    skipped = json.loads(invoke(*base, "--skip-check", "s3_*", "--skip-check", "required_tags").stdout)  # type: ignore[attr-defined]
    assert not {f["checkId"] for f in skipped["findings"] if f["checkId"].startswith("s3_")}
    assert "required_tags" not in {f["checkId"] for f in skipped["findings"]}
    soft = invoke(*base, "--soft-fail")
    assert soft.exit_code == 0 and json.loads(soft.stdout)["failed"] is True  # type: ignore[attr-defined]
    assert CheckSelection(["CKV_AWS_*"], ["CKV_AWS_18"]).selects("CKV_AWS_19")
    assert not CheckSelection(["CKV_AWS_*"], ["CKV_AWS_18"]).selects("CKV_AWS_18")


def test_several_frameworks(inventory_file: Path) -> None:
    result = invoke(
        "comply",
        "--inventory",
        inventory_file,
        "--no-checkov",
        "-f",
        "json",
        "--framework",
        "gdpr,hipaa-164.312",
    )
    report = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert {f["id"] for f in report["frameworks"]} == {"gdpr", "hipaa-164.312"}
    assert all(
        r.split(":")[0] in ("gdpr", "hipaa-164.312") for f in report["findings"] for r in f["requirements"]
    )


def test_a_relative_project_is_resolved_once(tmp_path: Path) -> None:
    """From another working directory, a relative --project plans and scans the same project."""
    relative = os.path.relpath(NONCOMPLIANT, REPO / "tests")
    result = invoke("plan", "-s", "bad", "--project", relative, "-f", "json", cwd=REPO / "tests")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    assert json.loads(result.stdout)["source"]["location"] == str(NONCOMPLIANT)  # type: ignore[attr-defined]


def test_runbook_commands_write_several_formats_beside_their_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from supportops.cli.options import evidence_dir
    from supportops.cli.output import write_run_outputs

    bundle = tmp_path / "drill-1"
    bundle.mkdir()
    (bundle / "manifest.json").write_text("{}")

    def writer(fmt: str):  # type: ignore[no-untyped-def]
        def write(path: Path | None) -> None:
            if path is None:
                print(f"{fmt} on stdout")
            else:
                path.write_text(fmt)

        return write

    writers = {fmt: writer(fmt) for fmt in ("table", "json", "sarif")}
    written = write_run_outputs(["table", "sarif"], bundle, writers)
    assert [(d.fmt, d.path) for d in written] == [
        ("table", tmp_path / "drill-1.txt"),
        ("sarif", tmp_path / "drill-1.sarif.json"),
        ("table", None),
    ]
    assert sorted(p.name for p in bundle.iterdir()) == ["manifest.json"]  # the bundle is left as written
    assert capsys.readouterr().out == "table on stdout\n"
    write_run_outputs(["json"], bundle, writers)
    assert capsys.readouterr().out == "json on stdout\n"
    with pytest.raises(BadInput, match="beside the evidence bundle"):
        write_run_outputs(["json", "sarif"], None, writers)
    # --out is the old spelling of --evidence there: the same folder once, never two.
    assert evidence_dir(None, tmp_path) == tmp_path == evidence_dir(tmp_path, tmp_path)
    with pytest.raises(BadInput, match="give the evidence folder once"):
        evidence_dir(tmp_path / "a", tmp_path / "b")
