"""Every program of the planner corpus (tests/fixtures/programs/plan-*/) plans as its
``plan-expected.yaml`` says — or fails or is stopped with the expected one line — and never hangs."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from supportops.inventory.model import UNKNOWN, Inventory, Resource, is_secret
from supportops.inventory.offline_plan import PlanRequest, plan_program
from supportops.inventory.offline_plan.runner import ProgramFailed, ProgramStuck
from supportops.loading import load_model
from supportops.models import InputModel

PROGRAMS = Path(__file__).resolve().parents[2] / "fixtures" / "programs"
CORPUS = sorted(p.name for p in PROGRAMS.glob("plan-*") if (p / "plan-expected.yaml").is_file())
STUCK_SECONDS = 1.5  # the watchdog, shortened for the programs that are meant to get stuck
PLAN_SECONDS = 20.0


class PreviewExpected(InputModel):
    unknown: dict[str, list[str]] = {}  # resource -> inputs that must be unknown in a preview
    depends: dict[str, list[str]] = {}  # resource -> resources it must still depend on


class Expected(InputModel):
    """What a corpus program plans to. Resources are named ``name`` or ``name/type``."""

    resources: int | None = None  # custom resources, providers and pulumi:* excluded
    components: int = 0  # the stack excluded
    outputs: dict[str, Any] = {}
    output_patterns: dict[str, str] = {}
    inputs: dict[str, dict[str, Any]] = {}
    json_inputs: dict[str, dict[str, Any]] = {}  # inputs holding JSON, compared parsed
    patterns: dict[str, dict[str, str]] = {}
    invented: dict[str, list[str]] = {}  # exactly these input paths are marked invented
    secret_inputs: dict[str, list[str]] = {}
    regions: dict[str, str] = {}
    parents: dict[str, str] = {}
    notes: list[str] = []  # the notes, in order, each given by its start
    not_evaluated: list[str] = []  # exactly these resources
    preview: PreviewExpected | None = None
    error: str | None = None  # the program fails with this in its one line
    stuck: str | None = None  # the watchdog stops it with this in its one line
    # Plan it through the CLI, in a process of its own, as a user does (the CLI exits the process
    # as a last resort if the program cannot be interrupted).
    cli: bool = False


def expected(name: str) -> Expected:
    return load_model(PROGRAMS / name / "plan-expected.yaml", Expected)


@cache
def planned(name: str, preview: bool = False) -> Inventory:
    return plan_program(PlanRequest(PROGRAMS / name, "dev", preview=preview, watchdog_seconds=PLAN_SECONDS))


def find(inventory: Inventory, key: str) -> Resource:
    name, _, type_token = key.partition("/")
    matches = [r for r in inventory if r.name == name and (not type_token or r.type == type_token)]
    assert len(matches) == 1, f"{key}: {len(matches)} resources"
    return matches[0]


def test_the_corpus_is_big_enough() -> None:
    assert len(CORPUS) >= 20


@pytest.mark.parametrize("name", [n for n in CORPUS if not (expected(n).error or expected(n).stuck)])
def test_program_plans_as_expected(name: str) -> None:
    want = expected(name)
    inventory = planned(name)
    custom = [r for r in inventory if r.custom and not r.type.startswith("pulumi:")]
    components = [r for r in inventory if not r.custom and r.type != "pulumi:pulumi:Stack"]
    if want.resources is not None:
        assert len(custom) == want.resources
    assert len(components) == want.components
    for key, value in want.outputs.items():
        assert inventory.outputs[key] == value
    for key, pattern in want.output_patterns.items():
        assert re.fullmatch(pattern, inventory.outputs[key]), inventory.outputs[key]
    for key, values in want.inputs.items():
        resource = find(inventory, key)
        assert {k: resource.inputs.get(k) for k in values} == values
    for key, values in want.json_inputs.items():
        resource = find(inventory, key)
        assert {k: json.loads(resource.inputs[k]) for k in values} == values
    for key, patterns in want.patterns.items():
        resource = find(inventory, key)
        for prop, pattern in patterns.items():
            assert re.fullmatch(pattern, str(resource.inputs.get(prop))), resource.inputs.get(prop)
    for key, paths in want.invented.items():
        assert [p for p in find(inventory, key).invented if p.startswith("inputs.")] == sorted(paths)
    for key, props in want.secret_inputs.items():
        assert all(is_secret(find(inventory, key).inputs[p]) for p in props)
    for key, region in want.regions.items():
        assert find(inventory, key).region == region
    for key, parent in want.parents.items():
        assert find(inventory, key).parent == find(inventory, parent).urn
    assert len(inventory.notes) == len(want.notes), inventory.notes
    for note, start in zip(inventory.notes, want.notes, strict=True):
        assert note.startswith(start), note
    assert {r.urn for r in inventory if not r.evaluated} == {
        find(inventory, k).urn for k in want.not_evaluated
    }


@pytest.mark.parametrize("name", [n for n in CORPUS if expected(n).preview])
def test_a_preview_keeps_unknown_inputs_and_their_relations(name: str) -> None:
    want = expected(name).preview
    assert want is not None
    inventory = planned(name, preview=True)
    for key, props in want.unknown.items():
        assert all(find(inventory, key).inputs[p] == UNKNOWN for p in props)
    for key, names in want.depends.items():
        assert {find(inventory, n).urn for n in names} <= set(find(inventory, key).dependencies)
    assert all(r.invented == [] or all(p.startswith("inputs.") for p in r.invented) for r in inventory)


@pytest.mark.parametrize("name", [n for n in CORPUS if expected(n).error])
def test_a_failing_program_fails_with_one_line(name: str) -> None:
    with pytest.raises(ProgramFailed) as caught:
        planned(name)
    message = str(caught.value)
    assert "\n" not in message
    assert str(expected(name).error) in message


@pytest.mark.parametrize("name", [n for n in CORPUS if expected(n).stuck])
def test_a_stuck_program_is_stopped_with_one_line(name: str) -> None:
    want = expected(name)
    head = f"the program made no progress for {STUCK_SECONDS:g} s and was stopped: "
    if want.cli:
        command = [sys.executable, "-m", "supportops.cli.main", "plan", "-s", "dev"]
        done = subprocess.run(
            [*command, "--project", str(PROGRAMS / name), "--watchdog", str(STUCK_SECONDS)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2
        assert done.stdout == ""
        (line,) = done.stderr.splitlines()  # one line: no traceback, no asyncio noise
        assert line.startswith("error: " + head)
        assert str(want.stuck) in line
        return
    with pytest.raises(ProgramStuck) as caught:
        plan_program(PlanRequest(PROGRAMS / name, "dev", watchdog_seconds=STUCK_SECONDS))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(head)
    assert str(want.stuck) in message


def test_the_cli_explains_the_resource_for_id_mistake_and_nothing_else_reaches_stderr() -> None:
    command = [sys.executable, "-m", "supportops.cli.main", "plan", "-s", "dev", "--preview", "-f", "json"]
    done = subprocess.run(
        [*command, "--project", str(PROGRAMS / "plan-resource-for-id")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0
    assert len(json.loads(done.stdout)["resources"]) == 4  # the stack and its three resources
    lines = done.stderr.splitlines()
    assert len(lines) == 2  # no "Task was destroyed", no BaseEventLoop.__del__ traceback
    assert all(line.startswith("warning: ") and "write `main.id`" in line for line in lines)


def test_after_a_program_is_interrupted_in_its_own_code_the_next_plan_works() -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("a program stuck in its own code is interrupted only on the main thread")
    # Python's own SIGINT handler, as in a CLI run: a test process started in the background by a
    # non-interactive shell inherits SIGINT ignored, and the watchdog then (rightly) does not send it.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(ProgramStuck, match="the program's own code is blocked or looping"):
            plan_program(PlanRequest(PROGRAMS / "plan-busy-loop", "dev", watchdog_seconds=STUCK_SECONDS))
    finally:
        signal.signal(signal.SIGINT, previous)
    after = plan_program(PlanRequest(PROGRAMS / "plan-component", "dev", watchdog_seconds=PLAN_SECONDS))
    assert {r.name for r in after if r.custom} == {"orders-dlq", "orders-main"}
