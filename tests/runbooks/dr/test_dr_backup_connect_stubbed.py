"""AWS Backup and Amazon Connect steps with botocore's Stubber (moto serves neither recovery points /
restore jobs nor traffic distribution groups). The Stubber validates every request against the real
service model and fails on any call that was not expected: no failover call can slip through."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.stub import ANY, Stubber

from supportops.findings import Status
from supportops.runbooks.dr.executor import DrillOptions, DrillOutcome, load, run_drill

REGION = "us-east-1"
VAULT = "demo-backup-vault"
ROLE = "arn:aws:iam::111122223333:role/demo-backup-role"
SOURCE_ARN = "arn:aws:dynamodb:us-east-1:111122223333:table/demo-crm-idempotency"
POINT = "arn:aws:backup:us-east-1:111122223333:recovery-point:11111111-2222-3333-4444-555555555555"
INSTANCE = "arn:aws:connect:us-east-1:111122223333:instance/00000000-0000-4000-8000-000000000000"
TDG_ID = "11111111-2222-4333-8444-555555555555"
TDG_ARN = f"arn:aws:connect:us-east-1:111122223333:traffic-distribution-group/{TDG_ID}"


class Stubs:
    def __init__(self) -> None:
        session = botocore.session.get_session()
        self.clients: dict[str, Any] = {}
        self.stubbers: dict[str, Stubber] = {}
        for service in ("backup", "dynamodb", "connect"):
            client = session.create_client(
                service, region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
            )
            self.clients[service] = client
            self.stubbers[service] = Stubber(client)

    def __call__(self, service: str, region: str) -> Any:
        return self.clients[service]

    def __getitem__(self, service: str) -> Stubber:
        return self.stubbers[service]


@pytest.fixture
def stubs() -> Iterator[Stubs]:
    stubs = Stubs()
    for stubber in stubs.stubbers.values():
        stubber.activate()
    yield stubs
    for stubber in stubs.stubbers.values():
        stubber.deactivate()


def _drill(
    tmp_path: Path, step: dict[str, Any], stubs: Stubs, allow_failover: bool = False, **targets: float
) -> DrillOutcome:
    path = tmp_path / "runbook.yaml"
    path.write_text(json.dumps({"name": "stubbed", "region": REGION, "targets": targets, "steps": [step]}))
    return run_drill(
        load(path, tmp_path),
        DrillOptions(clients=stubs, out_dir=tmp_path / "out", allow_failover=allow_failover),
    )


def _statuses(outcome: DrillOutcome) -> dict[str, Status]:
    return {f.check_id: f.status for f in outcome.report.findings}


BACKUP_STEP = {
    "name": "idempotency-backup",
    "type": "aws-backup",
    "vault": VAULT,
    "resourceType": "DynamoDB",
    "resourceArn": SOURCE_ARN,
    "iamRoleArn": ROLE,
    "restoreMetadata": {"targetTableName": "{drillResourceName}"},
    "timeoutSeconds": 30,
    "pollSeconds": 0.05,
}


def _recovery_points(stubs: Stubs, *ages: tuple[timedelta, str]) -> None:
    now = datetime.now(UTC)
    stubs["backup"].add_response(
        "list_recovery_points_by_backup_vault",
        {
            "RecoveryPoints": [
                {
                    "RecoveryPointArn": f"{POINT[:-1]}{n}",
                    "Status": status,
                    "CreationDate": now - age,
                    "ResourceType": "DynamoDB",
                    "ResourceArn": SOURCE_ARN,
                }
                for n, (age, status) in enumerate(ages)
            ]
        },
        {"BackupVaultName": VAULT, "ByResourceType": "DynamoDB", "ByResourceArn": SOURCE_ARN},
    )


def _table_cleanup(stubs: Stubs, exists: bool) -> None:
    ddb = stubs["dynamodb"]
    if not exists:
        ddb.add_client_error("describe_table", "ResourceNotFoundException", "not found")
        return
    table = {"TableName": "restored", "TableStatus": "ACTIVE", "DeletionProtectionEnabled": False}
    ddb.add_response("describe_table", {"Table": table}, {"TableName": ANY})
    ddb.add_response("describe_table", {"Table": table}, {"TableName": ANY})
    ddb.add_response("delete_table", {}, {"TableName": ANY})


def test_backup_recovery_point_age_and_restore_job_meet_targets(stubs: Stubs, tmp_path: Path) -> None:
    # The newest point is still CREATING: the newest *completed* one (5 min old) counts.
    _recovery_points(
        stubs,
        (timedelta(minutes=5), "COMPLETED"),
        (timedelta(minutes=1), "CREATING"),
        (timedelta(hours=3), "COMPLETED"),
    )
    stubs["backup"].add_response(
        "start_restore_job",
        {"RestoreJobId": "job-1"},
        {
            "RecoveryPointArn": f"{POINT[:-1]}0",
            "Metadata": {"targetTableName": ANY},
            "IamRoleArn": ROLE,
            "ResourceType": "DynamoDB",
            "IdempotencyToken": ANY,
        },
    )
    started = datetime.now(UTC)
    stubs["backup"].add_response(
        "describe_restore_job", {"RestoreJobId": "job-1", "Status": "RUNNING"}, {"RestoreJobId": "job-1"}
    )
    stubs["backup"].add_response(
        "describe_restore_job",
        {
            "RestoreJobId": "job-1",
            "Status": "COMPLETED",
            "CreationDate": started,
            "CompletionDate": started + timedelta(minutes=42),
            "CreatedResourceArn": "arn:aws:dynamodb:us-east-1:111122223333:table/restored",
        },
        {"RestoreJobId": "job-1"},
    )
    stubs["dynamodb"].add_response("tag_resource", {}, {"ResourceArn": ANY, "Tags": ANY})
    _table_cleanup(stubs, exists=True)

    outcome = _drill(tmp_path, BACKUP_STEP, stubs)

    assert _statuses(outcome) == {"dr-drill:rpo": Status.PASS, "dr-drill:rto": Status.PASS}
    assert not outcome.failed
    measurements = outcome.report.details["steps"][0]["measurements"]
    assert 299 <= measurements["rpoSeconds"] < 320
    rto = next(f for f in outcome.report.findings if f.check_id == "dr-drill:rto")
    assert any(e.path == "restoreJob.serviceDurationSeconds" and e.observed == 42 * 60 for e in rto.evidence)
    for stubber in stubs.stubbers.values():
        stubber.assert_no_pending_responses()


def test_backup_stale_point_and_failed_job_miss_both_targets(stubs: Stubs, tmp_path: Path) -> None:
    _recovery_points(stubs, (timedelta(hours=2), "COMPLETED"))
    stubs["backup"].add_response("start_restore_job", {"RestoreJobId": "job-2"}, None)
    stubs["backup"].add_response(
        "describe_restore_job",
        {"RestoreJobId": "job-2", "Status": "FAILED", "StatusMessage": "role denied"},
        None,
    )
    _table_cleanup(stubs, exists=False)

    outcome = _drill(tmp_path, BACKUP_STEP, stubs)

    assert _statuses(outcome) == {"dr-drill:rpo": Status.FAIL, "dr-drill:rto": Status.FAIL}
    rto = next(f for f in outcome.report.findings if f.check_id == "dr-drill:rto")
    assert "FAILED" in rto.message and "role denied" in rto.message
    assert outcome.failed


def test_backup_without_completed_point_fails_and_restores_nothing(stubs: Stubs, tmp_path: Path) -> None:
    _recovery_points(stubs, (timedelta(minutes=1), "CREATING"))

    outcome = _drill(tmp_path, BACKUP_STEP, stubs)

    assert _statuses(outcome) == {"dr-drill:rpo": Status.FAIL, "dr-drill:rto": Status.FAIL}
    stubs["backup"].assert_no_pending_responses()  # no restore job was started (it would be unexpected)


def test_backup_api_error_is_error_never_pass_or_fail(stubs: Stubs, tmp_path: Path) -> None:
    stubs["backup"].add_client_error(
        "list_recovery_points_by_backup_vault",
        "AccessDeniedException",
        "not authorized",
        http_status_code=403,
    )

    outcome = _drill(tmp_path, BACKUP_STEP, stubs)

    assert _statuses(outcome) == {"dr-drill:rpo": Status.ERROR, "dr-drill:rto": Status.ERROR}
    assert all("AccessDeniedException" in f.message for f in outcome.report.findings)
    assert outcome.failed


def test_backup_restore_job_poll_is_bounded(stubs: Stubs, tmp_path: Path) -> None:
    """The step timeout (0.3 s) ends the wait; below the RTO target that is 'not measured' (ERROR)."""
    _recovery_points(stubs, (timedelta(minutes=1), "COMPLETED"))
    stubs["backup"].add_response("start_restore_job", {"RestoreJobId": "job-3"}, None)
    for _ in range(200):
        stubs["backup"].add_response(
            "describe_restore_job", {"RestoreJobId": "job-3", "Status": "RUNNING"}, None
        )
    _table_cleanup(stubs, exists=False)

    outcome = _drill(tmp_path, dict(BACKUP_STEP, timeoutSeconds=0.3), stubs)

    assert _statuses(outcome) == {"dr-drill:rpo": Status.PASS, "dr-drill:rto": Status.ERROR}
    rto = next(f for f in outcome.report.findings if f.check_id == "dr-drill:rto")
    assert "raise timeoutSeconds" in rto.message


CONNECT_STEP = {
    "name": "connect-global-resiliency",
    "type": "connect-readiness",
    "instanceId": INSTANCE,
    "trafficDistributionGroup": "demo-support-tdg",
    "replicaRegion": "us-west-2",
    "failover": True,
    "timeoutSeconds": 30,
    "pollSeconds": 0.05,
}


def _readiness(stubs: Stubs, replica_status: str = "INSTANCE_REPLICATION_COMPLETE") -> None:
    connect = stubs["connect"]
    connect.add_response(
        "describe_instance",
        {
            "Instance": {"Id": "00000000-0000-4000-8000-000000000000", "InstanceStatus": "ACTIVE"},
            "ReplicationConfiguration": {
                "ReplicationStatusSummaryList": [{"Region": "us-west-2", "ReplicationStatus": replica_status}]
            },
        },
        {"InstanceId": INSTANCE},
    )
    connect.add_response(
        "list_traffic_distribution_groups",
        {
            "TrafficDistributionGroupSummaryList": [
                {"Id": "other", "Name": "other-tdg", "Status": "ACTIVE"},
                {"Id": TDG_ID, "Name": "demo-support-tdg", "Status": "ACTIVE"},
            ]
        },
        {"InstanceId": INSTANCE},
    )
    connect.add_response(
        "describe_traffic_distribution_group",
        {
            "TrafficDistributionGroup": {
                "Id": TDG_ID,
                "Name": "demo-support-tdg",
                "Status": "ACTIVE",
                "Arn": TDG_ARN,
            }
        },
        {"TrafficDistributionGroupId": TDG_ID},
    )


def test_connect_readiness_without_allow_failover_never_fails_over(stubs: Stubs, tmp_path: Path) -> None:
    _readiness(stubs)

    outcome = _drill(tmp_path, CONNECT_STEP, stubs, allow_failover=False)

    assert _statuses(outcome) == {
        "dr-drill:readiness": Status.PASS,
        "dr-drill:failover": Status.NOT_APPLICABLE,
    }
    assert not outcome.failed
    stubs["connect"].assert_no_pending_responses()  # any update_traffic_distribution would have raised


def test_connect_replica_not_ready_fails_readiness(stubs: Stubs, tmp_path: Path) -> None:
    _readiness(stubs, replica_status="INSTANCE_REPLICATION_IN_PROGRESS")

    outcome = _drill(tmp_path, dict(CONNECT_STEP, failover=False), stubs)

    assert _statuses(outcome) == {"dr-drill:readiness": Status.FAIL}
    assert "INSTANCE_REPLICATION_IN_PROGRESS" in outcome.report.findings[0].message
    assert outcome.failed


def test_connect_failover_with_allow_failover_measures_rto_and_restores(stubs: Stubs, tmp_path: Path) -> None:
    _readiness(stubs)
    connect = stubs["connect"]
    original = [{"Region": "us-east-1", "Percentage": 100}, {"Region": "us-west-2", "Percentage": 0}]
    shifted = [{"Region": "us-west-2", "Percentage": 100}, {"Region": "us-east-1", "Percentage": 0}]
    connect.add_response(
        "get_traffic_distribution", {"TelephonyConfig": {"Distributions": original}}, {"Id": TDG_ID}
    )
    # Before failing over, the original distribution is recorded on the group (for `dr cleanup`).
    connect.add_response(
        "tag_resource",
        {},
        {
            "resourceArn": TDG_ARN,
            "tags": {
                "supportops:dr-drill": ANY,
                "supportops:dr-created-at": ANY,
                "supportops:dr-telephony-original": "us-east-1=100,us-west-2=0",
            },
        },
    )
    connect.add_response(
        "update_traffic_distribution", {}, {"Id": TDG_ID, "TelephonyConfig": {"Distributions": shifted}}
    )
    connect.add_response(
        "get_traffic_distribution", {"TelephonyConfig": {"Distributions": original}}, {"Id": TDG_ID}
    )
    connect.add_response(
        "get_traffic_distribution", {"TelephonyConfig": {"Distributions": shifted}}, {"Id": TDG_ID}
    )
    # Cleanup: the original distribution comes back, the marker tags go.
    connect.add_response(
        "update_traffic_distribution", {}, {"Id": TDG_ID, "TelephonyConfig": {"Distributions": original}}
    )
    connect.add_response("untag_resource", {}, {"resourceArn": TDG_ARN, "tagKeys": ANY})

    outcome = _drill(tmp_path, CONNECT_STEP, stubs, allow_failover=True)

    assert _statuses(outcome) == {
        "dr-drill:readiness": Status.PASS,
        "dr-drill:rto": Status.PASS,
        "dr-drill:failover": Status.PASS,
    }
    connect.assert_no_pending_responses()
    assert outcome.report.details["cleanup"][0]["status"] == "done"


def test_connect_api_error_is_error(stubs: Stubs, tmp_path: Path) -> None:
    stubs["connect"].add_client_error("describe_instance", "ResourceNotFoundException", "no instance", 404)

    outcome = _drill(tmp_path, CONNECT_STEP, stubs, allow_failover=True)

    assert set(_statuses(outcome).values()) == {Status.ERROR}
    assert outcome.failed


def test_dr_cleanup_reverts_a_killed_failover_from_the_group_tag() -> None:
    """A failover drill killed mid-way leaves telephony on the replica; the group carries the original
    distribution as a tag, and the sweep puts it back (and removes the marker)."""
    from supportops.runbooks.dr.sweep import SweepTarget, sweep

    session = botocore.session.get_session()
    clients = {
        service: session.create_client(
            service, region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
        )
        for service in ("resourcegroupstaggingapi", "connect", "dynamodb", "rds")
    }
    stubbers = {service: Stubber(client) for service, client in clients.items()}
    stubbers["resourcegroupstaggingapi"].add_response(
        "get_resources",
        {
            "ResourceTagMappingList": [
                {
                    "ResourceARN": TDG_ARN,
                    "Tags": [
                        {"Key": "supportops:dr-drill", "Value": "dr-20200101000000-abcdef"},
                        {"Key": "supportops:dr-created-at", "Value": "2020-01-01T00:00:00+00:00"},
                        {"Key": "supportops:dr-telephony-original", "Value": "us-east-1=100,us-west-2=0"},
                    ],
                }
            ]
        },
        {"TagFilters": [{"Key": "supportops:dr-drill"}], "ResourcesPerPage": 100},
    )
    stubbers["dynamodb"].add_response("list_tables", {"TableNames": []}, {})
    stubbers["rds"].add_response("describe_db_instances", {"DBInstances": []}, {})
    stubbers["rds"].add_response("describe_db_clusters", {"DBClusters": []}, {})
    stubbers["connect"].add_response(
        "update_traffic_distribution",
        {},
        {
            "Id": TDG_ARN,
            "TelephonyConfig": {
                "Distributions": [
                    {"Region": "us-east-1", "Percentage": 100},
                    {"Region": "us-west-2", "Percentage": 0},
                ]
            },
        },
    )
    stubbers["connect"].add_response("untag_resource", {}, {"resourceArn": TDG_ARN, "tagKeys": ANY})
    for stubber in stubbers.values():
        stubber.activate()

    result = sweep(lambda service, region: clients[service], [SweepTarget(REGION)])

    assert result.failed == []
    assert result.removed == [
        f"{REGION}: telephony distribution of {TDG_ARN} back to us-east-1=100,us-west-2=0"
    ]
    for stubber in stubbers.values():
        stubber.assert_no_pending_responses()
