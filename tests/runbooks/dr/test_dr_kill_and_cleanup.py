"""Kill a drill at random (seeded, reproducible) points and show that nothing is left behind.

SIGKILL cannot be caught: `supportops dr cleanup` must find the leftovers (by tag, by the reserved
drill name shape, canaries by their fixed keys) and remove them, leaving the sources exactly as they
were (checksums of every item / object version before and after). SIGTERM is caught: the drill's own
cleanup runs, the report says it was interrupted, and nothing is left even without `dr cleanup`.
Kill points are AWS call numbers (see kill_proxy), chosen by a seeded RNG.
"""

from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dr_helpers import (
    REPO_ROOT,
    Clients,
    cli_env,
    drill_leftovers,
    drill_tables,
    report_of,
    run_cli,
    sources_fingerprint,
    table_fingerprint,
    write_runbook,
)
from kill_proxy import KillProxy

from supportops.runbooks.dr.local_demo import seed_buckets, seed_db_instance, seed_table

pytestmark = pytest.mark.slow

DRILL_ID = re.compile(r"dr-\d{14}-[0-9a-f]{6}")
SEED = 20261123
KILL_POINTS = 5
DRILL_TIMEOUT = 90


@pytest.fixture(scope="module")
def proxy(endpoint: str) -> Iterator[KillProxy]:
    with KillProxy(endpoint) as running:
        yield running


@pytest.fixture
def world(aws: Clients, tmp_path: Path) -> dict[str, Any]:
    """Sources for every moto-capable step type (names unique per test: moto's state is per process),
    and a runbook that drills all of them."""
    tag = uuid.uuid4().hex[:8]
    names = {"table": f"kill-orders-{tag}", "bucket": f"kill-recordings-{tag}", "db": f"kill-db-{tag}"}
    seed_table(aws("dynamodb"), names["table"], items=40, key="orderId")
    seed_buckets(aws("s3"), names["bucket"], f"{names['bucket']}-replica")
    seed_db_instance(aws("rds"), names["db"])
    runbook = write_runbook(
        tmp_path / "kill.yaml",
        {
            "name": "kill-drill",
            "region": "us-east-1",
            "targets": {"rpoMinutes": 0.01, "rtoMinutes": 5},
            "steps": [
                {
                    "name": "orders-pitr",
                    "type": "dynamodb-pitr",
                    "table": names["table"],
                    "canaries": {"count": 3, "intervalSeconds": 0.05},
                    "restorableWaitSeconds": 0.2,
                    "verify": {"sampleSize": 10},
                    "timeoutSeconds": 60,
                    "pollSeconds": 0.5,
                },
                {
                    "name": "recordings-replication",
                    "type": "s3-replication",
                    "bucket": names["bucket"],
                    "timeoutSeconds": 30,
                    "pollSeconds": 1.0,
                },
                {
                    "name": "db-pitr",
                    "type": "rds-pitr",
                    "dbInstance": names["db"],
                    "timeoutSeconds": 60,
                    "pollSeconds": 0.1,
                },
            ],
        },
    )
    names["fingerprint"] = sources_fingerprint(aws, names)
    return {"runbook": runbook, "names": names, "fingerprint": names["fingerprint"]}


def _drill(proxy: KillProxy, runbook: Path, out: Path, at_call: int, after: bool, signum: int) -> int:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "supportops.cli.main",
            "dr",
            "drill",
            str(runbook),
            "--endpoint-url",
            proxy.url,
            "--out",
            str(out),
        ],
        cwd=REPO_ROOT,
        env=cli_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    proxy.arm(process.pid, at_call, after, signum)  # the first AWS call comes after ~1 s of imports
    try:
        _, stderr = process.communicate(timeout=DRILL_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate(timeout=10)
        raise
    finally:
        proxy.disarm()
    assert "Traceback" not in stderr, stderr
    return process.returncode


def test_sigkill_at_random_points_then_dr_cleanup_leaves_nothing(
    aws: Clients, proxy: KillProxy, world: dict[str, Any], tmp_path: Path
) -> None:
    # Calibrate: which AWS calls does a whole drill make? Twice: the sequence must not depend on timing
    # (every poll interval is >= its wait), so call numbers are reproducible kill points.
    logs = []
    for run in range(2):
        assert _drill(proxy, world["runbook"], tmp_path / f"calibrate-{run}", 0, False, signal.SIGKILL) == 1
        logs.append([DRILL_ID.sub("<drill>", call) for call in proxy.log])
    assert logs[0] == logs[1]
    total = len(logs[0])
    assert total > 20
    assert drill_leftovers(aws) == [] and sources_fingerprint(aws, world["names"]) == world["fingerprint"]

    # Seeded random points, plus the worst moments: a restore done but its drill resource not yet
    # tagged (the response never arrives), and canaries written but not yet removed.
    log = logs[0]
    restore = 1 + next(i for i, call in enumerate(log) if call.endswith("RestoreTableToPointInTime"))
    rds_restore = 1 + log.index("RestoreDBInstanceToPointInTime")
    last_canary = 1 + max(i for i, call in enumerate(log) if call.endswith("PutItem"))
    rng = random.Random(SEED)
    points = [(at, rng.random() < 0.5) for at in sorted(rng.sample(range(1, total + 1), KILL_POINTS))]
    points += [(restore, True), (rds_restore, True), (last_canary, True)]
    print(f"kill points (call, after forwarding) over {total} calls: {points}")
    for n, (at_call, after) in enumerate(points):
        code = _drill(proxy, world["runbook"], tmp_path / f"kill-{n}", at_call, after, signal.SIGKILL)
        where = f"SIGKILL at call {at_call}/{total} ({'after' if after else 'before'} forwarding)"
        assert proxy.fired.is_set(), where
        assert code == -signal.SIGKILL, where

        cleaned = run_cli("dr", "cleanup", "--endpoint-url", aws.endpoint, "--runbook", str(world["runbook"]))

        assert cleaned.returncode == 0, f"{where}: {cleaned.stdout}{cleaned.stderr}"
        assert drill_leftovers(aws) == [], where
        assert sources_fingerprint(aws, world["names"]) == world["fingerprint"], where


def test_sigterm_mid_drill_runs_cleanup_and_reports_interruption(
    aws: Clients, proxy: KillProxy, world: dict[str, Any], tmp_path: Path
) -> None:
    rng = random.Random(SEED + 1)
    at_call = rng.randint(10, 20)  # inside the DynamoDB step: canaries written, restore under way

    code = _drill(proxy, world["runbook"], tmp_path / "term", at_call, True, signal.SIGTERM)

    assert proxy.fired.is_set()
    assert code == 1
    report = report_of(tmp_path / "term")
    assert any("interrupted by SIGTERM" in p for p in report["problems"])
    assert all(c["status"] == "done" for c in report["details"]["cleanup"])
    assert {f["status"] for f in report["findings"] if f["subject"] == "db-pitr"} == {"ERROR"}
    # No `dr cleanup` needed.
    assert drill_leftovers(aws) == []
    assert sources_fingerprint(aws, world["names"]) == world["fingerprint"]


def test_cleanup_older_than_spares_a_young_drill(aws: Clients, world: dict[str, Any]) -> None:
    """A leftover from a drill started now survives `--older-than 1h`, goes without it."""
    from supportops.runbooks.dr.naming import new_drill_id

    ddb = aws("dynamodb")
    young = f"{new_drill_id()}-orders-pitr"
    ddb.restore_table_to_point_in_time(
        SourceTableName=world["names"]["table"], TargetTableName=young, UseLatestRestorableTime=True
    )

    spared = run_cli("dr", "cleanup", "--endpoint-url", aws.endpoint, "--older-than", "1h")
    assert spared.returncode == 0 and young in spared.stdout and "skipped" in spared.stdout
    assert drill_tables(ddb) == [young]

    dry = run_cli("dr", "cleanup", "--endpoint-url", aws.endpoint, "--dry-run")
    assert dry.returncode == 0 and f"would remove: us-east-1: dynamodb table {young}" in dry.stdout
    assert drill_tables(ddb) == [young]

    removed = run_cli("dr", "cleanup", "--endpoint-url", aws.endpoint)
    assert removed.returncode == 0 and f"removed: us-east-1: dynamodb table {young}" in removed.stdout
    assert drill_tables(ddb) == []
    assert table_fingerprint(ddb, world["names"]["table"]) == world["fingerprint"][0]


def test_cleanup_bad_duration_is_one_line_exit_2() -> None:
    done = run_cli("dr", "cleanup", "--older-than", "soon")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: --older-than: 'soon' is not a duration like 30m, 2h or 7d"
