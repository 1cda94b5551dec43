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
# Calls through the proxy (moto), for subject 0 of three with three contacts each. Search: 1 context
# lookup, 3 idempotency lookups, 3 contacts x 3 prefixes x 2 days in each of the 2 buckets (the lake's
# Athena queries and the CRM go to their own stand-ins). Erasure, in order: 3 redactions, 1
# DeleteObjects per bucket, then per lake object GetObject, PutObject, ListObjectVersions,
# DeleteObjects (3 objects), and last the context item that leads to the rest.
SEARCH_CALLS = 1 + 3 + 2 * 18
LAKE_FIRST = SEARCH_CALLS + 3 + 2 + 1  # the first lake object's GetObject
ERASE_CALLS = 3 + 2 + 3 * 4 + 1
KILL_POINTS = [
    (SEARCH_CALLS + 4, False, "POST"),  # the recordings' DeleteObjects, before AWS saw it
    (LAKE_FIRST + 1, True, "PUT"),  # a lake object rewritten, killed before the answer: old version left
    (LAKE_FIRST + 3, False, "POST"),  # the rewritten object's older versions not yet deleted
    # and two seeded-random points anywhere in the erasure, either side of AWS
    *(
        (call, random.Random(call).random() < 0.5, "")
        for call in sorted(
            random.Random(19).sample(range(SEARCH_CALLS + 1, SEARCH_CALLS + ERASE_CALLS + 1), 2)
        )
    ),
]


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


@pytest.mark.parametrize(("at_call", "after_forwarding", "method"), KILL_POINTS)
def test_sigkill_mid_erasure_then_rerun_converges(
    endpoint: str,
    crm: FakeZendesk,
    proxy: Any,
    tmp_path: Path,
    at_call: int,
    after_forwarding: bool,
    method: str,
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
        env={**os.environ, **world.env},
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
    assert killed_at.startswith(method), proxy.log  # the call counted above, not a search
    assert len(proxy.log) == at_call  # nothing after the kill: the search took exactly SEARCH_CALLS
    assert "Traceback" not in stderr

    rerun = world.cli("erase", "--subject", f"phone:{subject.phone}", "--execute", "--format", "json")
    assert rerun.exit_code == 0, rerun.output
    report = json.loads(rerun.stdout)
    assert report["details"]["resumedAfterRuns"] == 1
    erasure = {
        f["subject"]: f["status"] for f in report["findings"] if f["checkId"] == "privacy:erasure_verified"
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
