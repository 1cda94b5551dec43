"""`supportops comply` over several stacks: one report per stack, one plan per program, the cache
options, and the combined exit code."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from cache_projects import write_project
from fake_checkov import calls, fake_checkov
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.policies.checkov.runner import CHECKOV_ENV_VAR

runner = CliRunner()


def run(*args: str | Path) -> Any:
    return runner.invoke(create_app(), ["comply", *map(str, args)])


def statuses(path: Path) -> dict[str, set[str]]:
    report = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {}
    for finding in report["findings"]:
        found.setdefault(finding.get("checkId") or finding.get("check_id"), set()).add(finding["status"])
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


def test_several_stacks_one_checkov_and_a_warm_rerun(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CHECKOV_ENV_VAR, str(fake_checkov(tmp_path / "bin")))
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ("--project", project, "--all-stacks", "-f", "json", "-o", out, "--cache-dir", cache,
            "--evidence", tmp_path / "evidence")
    first = run(*args)
    assert first.exit_code in (0, 1), first.output
    assert sorted(p.name for p in out.iterdir()) == ["t-automation.json", "t-foundation.json"]
    assert sorted(p.name for p in (tmp_path / "evidence").iterdir()) == ["t-automation", "t-foundation"]
    assert len(calls(tmp_path / "bin")) == 1  # one checkov process for both stacks and the secrets
    assert "CKV_AWS_999" in statuses(out / "t-automation.json")
    before = {p.name: statuses(p) for p in out.iterdir()}
    again = run(*args)
    assert again.exit_code == first.exit_code
    assert len(calls(tmp_path / "bin")) == 1  # nothing changed: checkov did not run
    assert "cache: 0 of 2 program(s) run" in again.stderr
    assert {p.name: statuses(p) for p in out.iterdir()} == before


def test_a_config_change_is_seen_through_the_cache(project: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "out.json", tmp_path / "cache"
    args = ("--project", project, "--stack", "t-foundation", "--no-checkov", "-f", "json", "-o", out,
            "--cache-dir", cache)
    assert run(*args).exit_code in (0, 1)
    assert statuses(out)["kms_key_rotation_enabled"] == {"PASS"}
    (project / "helpers.py").write_text("KEY_ROTATION = False\n", encoding="utf-8")
    sys.modules.pop("helpers", None)  # the CLI runs in this process: a new process would re-import
    result = run(*args)
    assert result.exit_code == 1
    assert statuses(out)["kms_key_rotation_enabled"] == {"FAIL"}


def test_no_cache_writes_nothing(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    result = run("--project", project, "--stack", "t-foundation", "--no-checkov", "--no-cache",
                 "--cache-dir", cache, "-f", "json", "-o", tmp_path / "out.json")
    assert result.exit_code in (0, 1), result.output
    assert not cache.exists()


def test_all_stacks_and_stack_together_is_bad_input(project: Path) -> None:
    result = run("--project", project, "--all-stacks", "--stack", "t-foundation", "--no-checkov")
    assert result.exit_code == 2
    assert "give --all-stacks or --stack, not both" in result.stderr
