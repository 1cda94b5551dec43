"""SIGKILL at seeded AWS calls during `privacy erase --execute` (before AWS saw the call, or after AWS
did it and before the answer arrived); the next run converges, never touches another subject, and the
journal shows both runs."""

from __future__ import annotations

import importlib.util
import json
import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from privacy_helpers import REPO, FakeZendesk, World, belongs_to, make_world

KILL_PROXY = REPO / "tests" / "runbooks" / "dr" / "kill_proxy.py"  # reused, not copied
SEARCH_CALLS = 9  # 1 context lookup, 2 idempotency lookups, 2 prefixes x 3 buckets
ERASE_CALLS = 6  # 3 DeleteObjects, 2 redactions, 1 DeleteItem


def _load_kill_proxy() -> ModuleType:
    spec = importlib.util.spec_from_file_location("privacy_kill_proxy", KILL_PROXY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def proxy(endpoint: str) -> Iterator[Any]:
    with _load_kill_proxy().KillProxy(endpoint) as running:
        yield running


def _kill_points() -> list[tuple[int, bool]]:
    chooser = random.Random(19)
    calls = sorted(chooser.sample(range(SEARCH_CALLS + 1, SEARCH_CALLS + ERASE_CALLS + 1), 3))
    return [(call, chooser.random() < 0.5) for call in calls]


@pytest.mark.parametrize(("at_call", "after_forwarding"), _kill_points())
def test_sigkill_mid_erasure_then_rerun_converges(
    endpoint: str, crm: FakeZendesk, proxy: Any, tmp_path: Path, at_call: int, after_forwarding: bool
) -> None:
    world: World = make_world(endpoint, crm, tmp_path, count=3)
    subject = world.subjects[0]
    before = world.snapshot()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "supportops.cli.main",
            "privacy",
            "erase",
            "--subject",
            f"phone:{subject.phone}",
            "--execute",
            "--stack",
            "demo-analytics",
            "--project",
            str(REPO),
            "--outputs",
            str(world.outputs_path),
            "--endpoint-url",
            proxy.url,
            "--out",
            str(world.out),
            "--crm-url",
            crm.url,
        ],
        cwd=REPO,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    proxy.arm(process.pid, at_call, after_forwarding, signal.SIGKILL)
    try:
        _, stderr = process.communicate(timeout=60)
    finally:
        proxy.disarm()
    assert process.returncode == -signal.SIGKILL, stderr
    killed_at = proxy.log[at_call - 1]
    assert any(op in killed_at for op in ("POST", "UpdateItem", "DeleteItem")), proxy.log  # an erasure call
    assert "Traceback" not in stderr

    rerun = world.cli("erase", "--subject", f"phone:{subject.phone}", "--execute", "--format", "json")
    assert rerun.exit_code == 0, rerun.output
    report = json.loads(rerun.stdout)
    assert report["details"]["resumedAfterRuns"] == 1
    erasure = {
        f["subject"]: f["status"] for f in report["findings"] if f["checkId"] == "privacy_erasure_verified"
    }
    assert erasure.pop("store:customer-profiles") == "NOT_APPLICABLE"  # not deployed in the moto world
    assert set(erasure.values()) == {"PASS"}
    after = world.snapshot()
    others = {name: digest for name, digest in before.items() if not belongs_to(name, subject)}
    assert {name: after[name] for name in others} == others
    assert sorted(n for n in after if belongs_to(n, subject)) == sorted(
        f"idempotencyTableName/contact#{c}" for c in subject.contact_ids
    )
    # every action confirmed in the journal was confirmed once: nothing was acted on twice
    journal = [
        json.loads(line)
        for line in (world.out / report["details"]["requestId"] / "journal.jsonl").read_text().splitlines()
        if line.startswith("{") and line.endswith("}")
    ]
    done = [ref for entry in journal if entry["event"] == "done" for ref in entry["refs"]]
    assert len(done) == len(set(done))
