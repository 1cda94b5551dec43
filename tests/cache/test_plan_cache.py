"""Plans from the cache: a hit runs no program and imports no Pulumi; anything the program depends on
(its code, a module it imports, its config, an earlier phase's outputs) changes the plan."""

from __future__ import annotations

import importlib
import json
import py_compile
import subprocess
import sys
import types
from pathlib import Path

import pytest
from cache_projects import TOKEN, write_project

from supportops.cache.store import Cache
from supportops.findings import Status
from supportops.inventory.model import Inventory
from supportops.policies.compliance import ComplianceRequest, run_compliance
from supportops.stacks.stack_plan import plan_stacks, project_stacks

STACKS = ["t-foundation", "t-automation"]


def plan(project: Path, cache: Cache) -> tuple[dict[str, Inventory], list[str]]:
    ran: list[str] = []
    return plan_stacks(project, STACKS, cache=cache, on_miss=ran.append), ran


def rotation_verdict(inventory: Inventory) -> Status:
    report = run_compliance(ComplianceRequest(inventory=inventory, checkov=False))
    (finding,) = [f for f in report.findings if f.check_id == "kms_key_rotation_enabled"]
    return finding.status


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


def test_a_hit_runs_no_program_and_gives_the_same_inventory(project: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    first, ran = plan(project, cache)
    assert ran == STACKS
    again, ran = plan(project, cache)
    assert ran == []
    assert {s: i.to_json() for s, i in again.items()} == {s: i.to_json() for s, i in first.items()}


def test_each_program_runs_once_for_several_stacks(project: Path, tmp_path: Path) -> None:
    ran: list[str] = []
    plan_stacks(project, ["t-automation", "t-foundation"], cache=None, on_miss=ran.append)
    assert ran == ["t-foundation", "t-automation"]  # the earlier phase once, reused by the later


def test_what_the_miss_callback_reads_is_not_a_dependency_of_the_plan(project: Path, tmp_path: Path) -> None:
    """comply starts checkov on a miss (reading checkov's script): a file read then is not the
    program's, and changing it later must not make the plan stale."""
    cache = Cache(tmp_path / "cache")
    side = project / "side.txt"
    side.write_text("one", encoding="utf-8")
    ran: list[str] = []

    def on_miss(stack: str) -> None:
        ran.append(stack)
        side.read_text(encoding="utf-8")

    plan_stacks(project, STACKS, cache=cache, on_miss=on_miss)
    assert ran == STACKS
    side.write_text("two", encoding="utf-8")
    ran.clear()
    plan_stacks(project, STACKS, cache=cache, on_miss=on_miss)
    assert ran == []


def test_a_virtualenv_inside_the_project_is_neither_followed_nor_recorded(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed_files: list[str]
) -> None:
    """The repository's own .venv sits in the project folder: the modules the process loaded from it
    are installed packages, not the program's (following them parsed ~3,400 files, a minute)."""
    site = project / ".venv" / "lib" / "site-packages"
    site.mkdir(parents=True)
    (site / "vendored_lib.py").write_text("import vendored_helper\n", encoding="utf-8")
    (site / "vendored_helper.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.setattr(sys, "prefix", str(project / ".venv"))
    loaded = types.ModuleType("vendored_lib")  # as if imported from that virtualenv
    loaded.__file__ = str(site / "vendored_lib.py")
    monkeypatch.setitem(sys.modules, "vendored_lib", loaded)
    parsed = parsed_files
    cache = Cache(tmp_path / "cache")
    plan(project, cache)
    assert parsed and not [name for name in parsed if ".venv" in name]
    (site / "vendored_helper.py").write_text("VALUE = 2\n", encoding="utf-8")
    _, ran = plan(project, cache)
    assert ran == []  # an installed package changing is the installed versions' business, not a file's


def test_editing_an_imported_module_changes_the_plan_and_the_verdict(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = Cache(tmp_path / "cache")
    plans, _ = plan(project, cache)
    assert rotation_verdict(plans["t-foundation"]) is Status.PASS
    (project / "helpers.py").write_text("KEY_ROTATION = False\n", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "helpers")  # a new process would import it afresh
    plans, ran = plan(project, cache)
    assert ran == STACKS  # both programs import helpers.py
    assert rotation_verdict(plans["t-foundation"]) is Status.FAIL


def test_a_module_imported_by_a_computed_name_is_a_dependency(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No import statement names it and, its bytecode being fresh, the run opens only the bytecode."""
    program = (project / "__main__.py").read_text(encoding="utf-8")
    dynamic = "import importlib\nKEY_ROTATION = importlib.import_module('dyna' + 'mic').KEY_ROTATION\n"
    (project / "__main__.py").write_text(program.replace("from helpers import KEY_ROTATION\n", dynamic))
    (project / "dynamic.py").write_text("KEY_ROTATION = True\n", encoding="utf-8")
    py_compile.compile(str(project / "dynamic.py"), doraise=True)
    monkeypatch.delitem(sys.modules, "dynamic", raising=False)
    cache = Cache(tmp_path / "cache")
    try:
        plans, _ = plan(project, cache)
        assert rotation_verdict(plans["t-foundation"]) is Status.PASS
        (project / "dynamic.py").write_text("KEY_ROTATION = False\n", encoding="utf-8")
        del sys.modules["dynamic"]  # a new process would import it afresh
        plans, ran = plan(project, cache)
    finally:
        sys.modules.pop("dynamic", None)
    assert ran == STACKS
    assert rotation_verdict(plans["t-foundation"]) is Status.FAIL


def test_a_config_value_and_the_earlier_phase_outputs_are_in_the_key(project: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    plan(project, cache)
    write_project(project, window=7)  # only Pulumi.t-foundation.yaml changes
    plans, ran = plan(project, cache)
    assert ran == STACKS  # automation reads foundation's outputs, which changed
    queue = plans["t-automation"].by_urn("urn:pulumi:t-automation::cached::aws:sqs/queue:Queue::work")
    assert queue is not None and queue.inputs["messageRetentionSeconds"] == 7 * 3600


def test_a_secret_value_is_never_stored_in_cleartext(project: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    plan(project, cache)
    for entry in (tmp_path / "cache").rglob("*"):
        if entry.is_file():
            assert TOKEN.encode() not in entry.read_bytes()
    plans, ran = plan(project, cache)
    assert ran == []
    notify = plans["t-automation"].by_urn(
        "urn:pulumi:t-automation::cached::aws:sqs/queue:Queue::notify"
    )
    assert notify is not None and notify.inputs["tags"] == {"crmToken": TOKEN}  # rules judge the same value


def test_a_corrupt_plan_is_planned_again_with_a_warning(project: Path, tmp_path: Path) -> None:
    warnings: list[str] = []
    cache = Cache(tmp_path / "cache", warn=warnings.append)
    plan(project, cache)
    for entry in (tmp_path / "cache").rglob("*"):
        if entry.is_file() and "plan" in entry.parts:  # the import index: test_import_closure.py
            entry.write_bytes(entry.read_bytes()[:-10])
    plans, ran = plan(project, cache)
    assert ran == STACKS and len(warnings) == 2
    assert rotation_verdict(plans["t-foundation"]) is Status.PASS


def test_a_hit_does_not_import_pulumi(project: Path, tmp_path: Path) -> None:
    plan(project, Cache(tmp_path / "cache"))
    cache_dir = str(tmp_path / "cache")
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from supportops.cache.store import Cache\n"
        "from supportops.stacks.stack_plan import plan_stacks, project_stacks\n"
        f"ran = []\nplan_stacks(Path({str(project)!r}), {STACKS!r}, cache=Cache(Path({cache_dir!r})),"
        " on_miss=ran.append)\n"
        "print(json.dumps([ran, sorted(m for m in sys.modules if m.split('.')[0] == 'pulumi')]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [[], []]


def test_all_stacks_are_in_phase_order(tmp_path: Path) -> None:
    for name in ("prod-analytics", "demo-automation", "prod-foundation", "demo-foundation", "sandbox"):
        (tmp_path / f"Pulumi.{name}.yaml").write_text("config: {}\n", encoding="utf-8")
    assert project_stacks(tmp_path) == [
        "demo-foundation", "demo-automation", "prod-foundation", "prod-analytics", "sandbox"
    ]


def test_the_demo_plan_depends_on_no_rule_and_no_command_the_process_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A comply process holds the CLI and every rule while it plans the repository's own project (the
    project folder is the repository): editing a rule or a command must not make the plans stale."""
    from supportops.cache import plans

    for module in ("supportops.cli.commands.comply", "supportops.policies.compliance"):  # as in a comply run
        importlib.import_module(module)

    recorded: dict[str, str | None] = {}
    real = plans.store_plan

    def store(cache: Cache, key: str, inventory: Inventory, reads: dict[str, str | None], main: Path) -> None:
        recorded.update(reads)
        real(cache, key, inventory, reads, main)

    monkeypatch.setattr(plans, "store_plan", store)
    repo = Path(__file__).resolve().parents[2]
    plan_stacks(repo, ["demo-foundation"], cache=Cache(tmp_path / "cache"))
    assert str(repo / "stacks" / "supportops" / "stacks" / "program.py") in recorded
    held = ("/policies/supportops/policies/rules/", "/cli/supportops/")
    assert [path for path in recorded if any(part in path for part in held)] == []
