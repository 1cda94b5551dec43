"""DynamoDB PITR drills end to end: `supportops dr drill` as a subprocess against moto's server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dr_helpers import (
    Clients,
    drill_tables,
    findings_by_check,
    report_of,
    run_cli,
    table_fingerprint,
    tagged_drill_resources,
    write_runbook,
)

from supportops.runbooks.dr.local_demo import seed_table

pytestmark = pytest.mark.slow


def _runbook(table: str, **targets: float) -> dict[str, Any]:
    return {
        "name": "ddb-e2e",
        "region": "us-east-1",
        "targets": targets,
        "steps": [
            {
                "name": "orders-pitr",
                "type": "dynamodb-pitr",
                "table": table,
                "canaries": {"count": 3, "intervalSeconds": 0.05},
                "restorableWaitSeconds": 0.5,
                "verify": {"sampleSize": 20},
                "timeoutSeconds": 60,
                "pollSeconds": 0.1,
            }
        ],
    }


def test_restore_meets_targets_and_leaves_source_unchanged(aws: Clients, tmp_path: Path) -> None:
    ddb = aws("dynamodb")
    seed_table(ddb, "e2e-orders", items=60, key="orderId")
    before = table_fingerprint(ddb, "e2e-orders")
    runbook = write_runbook(tmp_path / "ddb.yaml", _runbook("e2e-orders"))

    done = run_cli(
        "dr", "drill", str(runbook), "--endpoint-url", aws.endpoint, "--out", str(tmp_path / "out")
    )

    assert done.returncode == 0, done.stdout + done.stderr
    report = report_of(tmp_path / "out")
    assert report["kind"] == "dr-drill"
    checks = findings_by_check(report)
    assert {k[1]: v["status"] for k, v in checks.items()} == {
        "dr-drill:rto": "PASS",
        "dr-drill:rpo": "PASS",
        "dr-drill:verify": "PASS",
    }
    step = report["details"]["steps"][0]["measurements"]
    assert step["rtoTargetSeconds"] == 240 * 60 and step["rpoTargetSeconds"] == 15 * 60  # defaults
    assert 0 < step["rtoSeconds"] < 60
    # moto restores every current item: the newest canary (written just before the request) is there.
    assert step["canariesPresent"] == 3 and 0 <= step["rpoSeconds"] < 30
    assert step["sourceItemCount"] == step["restoredItemCount"] == 60
    events = [e["event"] for e in report["details"]["timeline"]]
    assert events.index("restore requested") < events.index("verified") < events.index("cleanup started")
    assert all(c["status"] == "done" for c in report["details"]["cleanup"])
    manifest = (tmp_path / "out").glob("dr-*/manifest.json")
    assert len(list(manifest)) == 1
    # Safety: the drill table is gone and the source holds exactly what it held before.
    assert drill_tables(ddb) == []
    assert tagged_drill_resources(aws) == []
    assert table_fingerprint(ddb, "e2e-orders") == before


def test_missed_rpo_target_exits_1(aws: Clients, tmp_path: Path) -> None:
    """moto's latest restorable time never advances, so the drill waits restorableWaitSeconds (0.3 s)
    after the newest canary before restoring: the data-loss window is at least that, above 60 ms."""
    ddb = aws("dynamodb")
    seed_table(ddb, "e2e-tight", items=5, key="pk")
    document = _runbook("e2e-tight", rpoMinutes=0.001, rtoMinutes=10)
    document["steps"][0]["restorableWaitSeconds"] = 0.3
    runbook = write_runbook(tmp_path / "tight.yaml", document)

    done = run_cli(
        "dr", "drill", str(runbook), "--endpoint-url", aws.endpoint, "--out", str(tmp_path / "out")
    )

    assert done.returncode == 1, done.stdout + done.stderr
    checks = findings_by_check(report_of(tmp_path / "out"))
    assert checks[("orders-pitr", "dr-drill:rto")]["status"] == "PASS"
    assert checks[("orders-pitr", "dr-drill:verify")]["status"] == "PASS"
    rpo = checks[("orders-pitr", "dr-drill:rpo")]
    assert rpo["status"] == "FAIL"
    achieved = next(e["observed"] for e in rpo["evidence"] if e["path"] == "rpo.achievedSeconds")
    assert achieved >= 0.3
    assert "misses target 60.0 ms" in rpo["message"]
    assert drill_tables(ddb) == []


def test_pitr_disabled_is_a_missed_target(aws: Clients, tmp_path: Path) -> None:
    ddb = aws("dynamodb")
    seed_table(ddb, "e2e-nopitr", items=3, key="pk")
    ddb.update_continuous_backups(
        TableName="e2e-nopitr", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    runbook = write_runbook(tmp_path / "nopitr.yaml", _runbook("e2e-nopitr"))

    done = run_cli(
        "dr", "drill", str(runbook), "--endpoint-url", aws.endpoint, "--out", str(tmp_path / "out")
    )

    assert done.returncode == 1
    checks = findings_by_check(report_of(tmp_path / "out"))
    assert {f["status"] for f in checks.values()} == {"FAIL"}
    assert "point-in-time recovery is DISABLED" in checks[("orders-pitr", "dr-drill:rpo")]["message"]


def test_aws_error_is_error_not_fail_and_other_steps_still_run(aws: Clients, tmp_path: Path) -> None:
    ddb = aws("dynamodb")
    seed_table(ddb, "e2e-second", items=4, key="pk")
    document = _runbook("e2e-does-not-exist")
    second = dict(document["steps"][0], name="second-pitr", table="e2e-second")
    document["steps"].append(second)
    runbook = write_runbook(tmp_path / "partial.yaml", document)

    done = run_cli(
        "dr", "drill", str(runbook), "--endpoint-url", aws.endpoint, "--out", str(tmp_path / "out")
    )

    assert done.returncode == 1
    report = report_of(tmp_path / "out")
    checks = findings_by_check(report)
    for check in ("dr-drill:rto", "dr-drill:rpo", "dr-drill:verify"):
        assert checks[("orders-pitr", check)]["status"] == "ERROR"
        assert "ResourceNotFoundException" in checks[("orders-pitr", check)]["message"]
        assert checks[("second-pitr", check)]["status"] == "PASS"
    assert [s["status"] for s in report["details"]["steps"]] == ["ERROR", "PASS"]
    assert drill_tables(ddb) == []


def test_leftover_canary_blocks_a_second_drill(aws: Clients, tmp_path: Path) -> None:
    """A canary left by a killed drill is never overwritten: the drill stops with ERROR and points
    at `dr cleanup`, which removes it."""
    ddb = aws("dynamodb")
    seed_table(ddb, "e2e-leftover", items=3, key="pk")
    ddb.put_item(
        TableName="e2e-leftover",
        Item={
            "pk": {"S": "supportops-dr-canary#1"},
            "supportopsDrCanary": {"S": "dr-20200101000000-abcdef"},
            "supportopsDrWrittenAtNs": {"N": "1"},
        },
    )
    runbook = write_runbook(tmp_path / "leftover.yaml", _runbook("e2e-leftover"))

    done = run_cli(
        "dr", "drill", str(runbook), "--endpoint-url", aws.endpoint, "--out", str(tmp_path / "out")
    )

    assert done.returncode == 1
    checks = findings_by_check(report_of(tmp_path / "out"))
    assert checks[("orders-pitr", "dr-drill:rpo")]["status"] == "ERROR"
    assert "dr-20200101000000-abcdef" in checks[("orders-pitr", "dr-drill:rpo")]["message"]
    # The drill removed only its own canary (slot 0); the foreign one stays for `dr cleanup`.
    assert (
        ddb.get_item(TableName="e2e-leftover", Key={"pk": {"S": "supportops-dr-canary#0"}}).get("Item")
        is None
    )
    cleaned = run_cli("dr", "cleanup", "--endpoint-url", aws.endpoint, "--runbook", str(runbook))
    assert cleaned.returncode == 0, cleaned.stdout + cleaned.stderr
    assert "canary pk=supportops-dr-canary#1 in table e2e-leftover" in cleaned.stdout
    assert (
        ddb.get_item(TableName="e2e-leftover", Key={"pk": {"S": "supportops-dr-canary#1"}}).get("Item")
        is None
    )
