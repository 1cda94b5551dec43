"""The CLI as users call it: groups, version, config validation and the offline plan."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.version import __version__

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(create_app(), list(args))


def test_start_up_imports_neither_pulumi_nor_report_renderers() -> None:
    """`supportops --help` stays quick: Pulumi and the report writers load only when used."""
    probe = (
        "import sys, supportops.cli.app; print(sorted(m for m in "
        "('pulumi', 'jinja2', 'supportops.reports.formats.html_report') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_help_lists_the_command_groups_and_version_works(runner: CliRunner) -> None:
    result = invoke(runner, "--help")
    assert result.exit_code == 0
    for group in ("plan", "config", "comply", "evidence", "access-review", "dr"):
        assert group in result.output
    version = invoke(runner, "--version")
    assert version.exit_code == 0 and version.output.strip() == f"supportops {__version__}"


def test_config_validate_accepts_the_demo_stack(runner: CliRunner, repo_root: Path) -> None:
    result = invoke(runner, "config", "validate", "--stack", "demo-foundation", "--project", str(repo_root))
    assert result.exit_code == 0, result.output
    assert "demo-foundation: valid (foundation phase" in result.output


def test_config_validate_reports_problems_one_per_line_with_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.bad-foundation.yaml").write_text(
        "config:\n  supportops:environment: bad\n  supportops:phase: foundation\n"
        "  supportops:resilience: {rtoMinutes: 10, rpoMinutes: 20}\n  supportops:zone: x\n",
        encoding="utf-8",
    )
    result = invoke(runner, "config", "validate", "-s", "bad-foundation", "--project", str(tmp_path))
    assert result.exit_code == 2
    lines = sorted(result.stderr.strip().splitlines())
    source = str(tmp_path / "Pulumi.bad-foundation.yaml")
    assert lines == [
        f"error: {source}: line 4, column 3: supportops:resilience: rpoMinutes (20) is above rtoMinutes (10)",
        f"error: {source}: line 5, column 3: supportops:zone: unknown key",
    ]
    assert "Traceback" not in result.output + result.stderr


def test_plan_json_is_the_versioned_inventory(runner: CliRunner, repo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = invoke(
        runner, "plan", "-s", "demo-foundation", "--project", str(repo_root), "-f", "json", "-o", str(out)
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(out.read_text())
    assert document["schema"] == "supportops.inventory/v1"
    assert document["stack"] == "demo-foundation" and document["source"]["kind"] == "offline-plan"
    resource_keys = {
        "urn",
        "type",
        "name",
        "custom",
        "id",
        "parent",
        "dependencies",
        "provider",
        "region",
        "inputs",
        "outputs",
        "invented",  # property paths whose value the planner made up (docs/inventory.md)
        "evaluated",  # False for a provider the planner does not model
        "sourceLocation",  # the program line that declared it (docs/inventory.md)
    }
    assert all(set(r) == resource_keys for r in document["resources"])
    # Every resource the program declared points at a program line, never inside Pulumi's SDK.
    located = [r["sourceLocation"] for r in document["resources"] if r["type"] != "pulumi:pulumi:Stack"]
    assert all(loc and not loc["file"].startswith(("/", "..")) and loc["line"] >= 1 for loc in located)
    assert {loc["file"] for loc in located} <= {
        "stacks/supportops/stacks/phases/foundation.py",
        "stacks/supportops/stacks/context.py",
    }
    assert any(loc.get("component", {}).get("file", "").startswith("stacks/supportops/stacks/components/")
               for loc in located)
    assert "kmsKeyArns" in document["outputs"]


def test_plan_table_is_a_component_tree_with_counts(
    runner: CliRunner, repo_root: Path, tmp_path: Path
) -> None:
    inventory = tmp_path / "inv.json"
    result = invoke(
        runner,
        "plan",
        "-s",
        "demo-foundation",
        "--project",
        str(repo_root),
        "--inventory-out",
        str(inventory),
    )
    assert result.exit_code == 0, result.stderr
    assert "supportops:security:AuditTrail" in result.output
    assert "Resources by type" in result.output
    assert json.loads(inventory.read_text())["stack"] == "demo-foundation"


def test_plan_of_a_failing_program_is_one_line_with_its_frame(runner: CliRunner) -> None:
    result = invoke(runner, "plan", "-s", "dev", "--project", str(FIXTURES / "broken_program"))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "program/helpers.py:3" in result.stderr and "Traceback" not in result.stderr


def test_debug_shows_the_traceback(runner: CliRunner) -> None:
    result = invoke(runner, "--debug", "plan", "-s", "dev", "--project", str(FIXTURES / "broken_program"))
    assert result.exit_code == 2
    assert "Traceback" in result.stderr


def test_unknown_stack_is_bad_input(runner: CliRunner, repo_root: Path) -> None:
    result = invoke(runner, "plan", "-s", "nope", "--project", str(repo_root))
    assert result.exit_code == 2
    assert "Pulumi.nope.yaml" in result.stderr and "no such stack file" in result.stderr


def test_the_program_itself_refuses_invalid_config(
    runner: CliRunner, repo_root: Path, tmp_path: Path
) -> None:
    """Config that skipped `config validate` still never reaches resource declaration."""
    (tmp_path / "Pulumi.yaml").write_text(
        f"name: supportops\nruntime: python\nmain: {repo_root / 'stacks'}\n", encoding="utf-8"
    )
    (tmp_path / "Pulumi.demo-foundation.yaml").write_text(
        "config:\n  supportops:environment: demo\n  supportops:phase: foundation\n"
        "  supportops:resilience: {rtoMinutes: 10, rpoMinutes: 30}\n  supportops:crmApiToken: plain\n",
        encoding="utf-8",
    )
    result = invoke(runner, "plan", "-s", "demo-foundation", "--project", str(tmp_path), "-f", "json")
    assert result.exit_code == 2
    assert sorted(result.stderr.strip().splitlines()) == [
        "error: Pulumi.demo-foundation.yaml: supportops:crmApiToken: holds a credential in plain text; "
        "set it with `pulumi config set --secret crmApiToken`",
        "error: Pulumi.demo-foundation.yaml: supportops:resilience: rpoMinutes (30) is above rtoMinutes (10)",
    ]
    assert result.stdout == ""  # nothing planned
