"""S3 replication and RDS PITR drills end to end: the CLI as a subprocess against moto's server."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest
from dr_helpers import Clients, bucket_fingerprint, findings_by_check, report_of, run_cli, write_runbook

from supportops.runbooks.dr.local_demo import seed_buckets, seed_db_instance

pytestmark = pytest.mark.slow


def test_s3_replication_against_moto_reports_the_missed_rpo(aws: Clients, tmp_path: Path) -> None:
    """moto keeps the replication rule but never copies objects: the canary never reaches the replica,
    so the drill must report the missed target (FAIL, exit 1), not pass."""
    s3 = aws("s3")
    seed_buckets(s3, "e2e-recordings", "e2e-recordings-replica")
    before = (bucket_fingerprint(s3, "e2e-recordings"), bucket_fingerprint(s3, "e2e-recordings-replica"))
    runbook = write_runbook(
        tmp_path / "s3.yaml",
        {
            "name": "s3-e2e",
            "region": "us-east-1",
            "targets": {"rpoMinutes": 0.02, "rtoMinutes": 1},
            "steps": [
                {
                    "name": "recordings-replication",
                    "type": "s3-replication",
                    "bucket": "e2e-recordings",
                    "timeoutSeconds": 30,
                    "pollSeconds": 0.2,
                }
            ],
        },
    )

    done = run_cli(
        "dr", "drill", str(runbook), "--endpoint-url", aws.endpoint, "--out", str(tmp_path / "out")
    )

    assert done.returncode == 1, done.stdout + done.stderr
    report = report_of(tmp_path / "out")
    rpo = findings_by_check(report)[("recordings-replication", "dr-drill:rpo")]
    assert rpo["status"] == "FAIL"
    assert "target 1.2 s missed" in rpo["message"]
    waited = next(e["observed"] for e in rpo["evidence"] if e["path"] == "rpo.waitedSeconds")
    assert 1.2 <= waited < 10
    events = [e["event"] for e in report["details"]["timeline"]]
    assert "canary object put" in events and "canary not replicated" in events
    # Every version of the canary is gone again: both buckets hold what they held before.
    assert (
        bucket_fingerprint(s3, "e2e-recordings"),
        bucket_fingerprint(s3, "e2e-recordings-replica"),
    ) == before


def test_s3_without_replication_is_a_missed_target(aws: Clients, tmp_path: Path) -> None:
    s3 = aws("s3")
    s3.create_bucket(Bucket="e2e-unreplicated")
    runbook = write_runbook(
        tmp_path / "s3-none.yaml",
        {
            "name": "s3-none",
            "region": "us-east-1",
            "steps": [{"name": "lonely", "type": "s3-replication", "bucket": "e2e-unreplicated"}],
        },
    )

    done = run_cli(
        "dr", "drill", str(runbook), "--endpoint-url", aws.endpoint, "--out", str(tmp_path / "out")
    )

    assert done.returncode == 1
    rpo = findings_by_check(report_of(tmp_path / "out"))[("lonely", "dr-drill:rpo")]
    assert rpo["status"] == "FAIL" and "no replication configuration" in rpo["message"]
    assert "Versions" not in s3.list_object_versions(Bucket="e2e-unreplicated")  # no canary was put


def test_rds_instance_pitr_restores_measures_and_deletes(aws: Clients, tmp_path: Path) -> None:
    rds = aws("rds")
    seed_db_instance(rds, "e2e-support-db")
    runbook = write_runbook(
        tmp_path / "rds.yaml",
        {
            "name": "rds-e2e",
            "region": "us-east-1",
            "steps": [
                {
                    "name": "db-pitr",
                    "type": "rds-pitr",
                    "dbInstance": "e2e-support-db",
                    "timeoutSeconds": 60,
                    "pollSeconds": 0.1,
                }
            ],
        },
    )

    done = run_cli(
        "dr",
        "drill",
        str(runbook),
        "--endpoint-url",
        aws.endpoint,
        "--out",
        str(tmp_path / "out"),
        "--format",
        "json",
    )

    assert done.returncode == 0, done.stdout + done.stderr
    report = report_of(tmp_path / "out")
    assert json.loads(done.stdout) == report  # --format json prints the report itself
    checks = findings_by_check(report)
    assert {k[1]: v["status"] for k, v in checks.items()} == {
        "dr-drill:rto": "PASS",
        "dr-drill:rpo": "PASS",
        "dr-drill:verify": "PASS",
    }
    measurements = report["details"]["steps"][0]["measurements"]
    assert "LatestRestorableTime" in measurements["rpoBasis"]
    instances = [d["DBInstanceIdentifier"] for d in rds.describe_db_instances()["DBInstances"]]
    assert "e2e-support-db" in instances
    assert [i for i in instances if i.startswith("dr-")] == []


def test_rds_without_automated_backups_is_a_missed_target(aws: Clients, tmp_path: Path) -> None:
    rds = aws("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="e2e-nobackup-db",
        DBInstanceClass="db.t4g.micro",
        Engine="postgres",
        MasterUsername="demo",
        MasterUserPassword=secrets.token_urlsafe(16),
        AllocatedStorage=20,
        BackupRetentionPeriod=0,
    )
    runbook = write_runbook(
        tmp_path / "rds0.yaml",
        {
            "name": "rds-none",
            "region": "us-east-1",
            "steps": [
                {"name": "db-pitr", "type": "rds-pitr", "dbInstance": "e2e-nobackup-db", "pollSeconds": 0.1}
            ],
        },
    )

    done = run_cli(
        "dr", "drill", str(runbook), "--endpoint-url", aws.endpoint, "--out", str(tmp_path / "out")
    )

    assert done.returncode == 1
    checks = findings_by_check(report_of(tmp_path / "out"))
    assert {f["status"] for f in checks.values()} == {"FAIL"}


def test_aurora_cluster_pitr_adds_an_instance_and_deletes_both(aws: Clients, tmp_path: Path) -> None:
    rds = aws("rds")
    rds.create_db_cluster(
        DBClusterIdentifier="e2e-aurora",
        Engine="aurora-postgresql",
        MasterUsername="demo",
        MasterUserPassword=secrets.token_urlsafe(16),
        BackupRetentionPeriod=7,
    )
    runbook = write_runbook(
        tmp_path / "aurora.yaml",
        {
            "name": "aurora-e2e",
            "region": "us-east-1",
            "steps": [
                {
                    "name": "aurora-pitr",
                    "type": "rds-pitr",
                    "dbCluster": "e2e-aurora",
                    "timeoutSeconds": 60,
                    "pollSeconds": 0.1,
                }
            ],
        },
    )

    done = run_cli(
        "dr", "drill", str(runbook), "--endpoint-url", aws.endpoint, "--out", str(tmp_path / "out")
    )

    assert done.returncode == 0, done.stdout + done.stderr
    report = report_of(tmp_path / "out")
    assert {f["status"] for f in report["findings"]} == {"PASS"}
    assert [c["action"] for c in report["details"]["cleanup"]] == [
        "delete drill DB instance",
        "delete drill DB cluster",
    ]
    clusters = [c["DBClusterIdentifier"] for c in rds.describe_db_clusters()["DBClusters"]]
    assert "e2e-aurora" in clusters and [c for c in clusters if c.startswith("dr-")] == []
    assert not [
        i for i in rds.describe_db_instances()["DBInstances"] if i["DBInstanceIdentifier"].startswith("dr-")
    ]
