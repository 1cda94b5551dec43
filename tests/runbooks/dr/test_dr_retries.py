"""Retries resolve to the true effect (issue 11): botocore's standard retry mode replays a call whose
response was lost, and the replay meets the effect of the first attempt ("already exists", "not
found", a conditional write that finds our own canary). The drill must adopt what is its own, report
the same verdict as without faults, leave nothing behind, and refuse what is not its own."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.stub import ANY, Stubber
from dr_helpers import (
    Clients,
    drill_leftovers,
    sources_fingerprint,
    write_runbook,
)
from fault_proxy import FaultProxy
from kill_proxy import KillProxy

from supportops.findings import Status
from supportops.runbooks.dr.aws import BotoClients
from supportops.runbooks.dr.executor import DrillOptions, DrillOutcome, LoadedRunbook, load, run_drill
from supportops.runbooks.dr.local_demo import seed_buckets, seed_db_instance, seed_table
from supportops.runbooks.dr.sweep import sweep, targets_from_steps

pytestmark = pytest.mark.slow

REGION = "us-east-1"
# Calls with an effect whose first response is lost (AWS did it; the drill never heard back).
LOST = (
    "DynamoDB_20120810.PutItem",
    "DynamoDB_20120810.RestoreTableToPointInTime",
    "DynamoDB_20120810.DeleteItem",
    "DynamoDB_20120810.DeleteTable",
    "RestoreDBInstanceToPointInTime",
    "DeleteDBInstance",
    "/supportops-dr-canary/",  # the S3 canary PUT (and its version DELETE)
)


@pytest.fixture(scope="module")
def proxy(endpoint: str) -> Iterator[KillProxy]:
    with KillProxy(endpoint) as running:
        yield running


def _world(aws: Clients, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    tag = uuid.uuid4().hex[:8]
    names = {"table": f"retry-orders-{tag}", "bucket": f"retry-recordings-{tag}", "db": f"retry-db-{tag}"}
    seed_table(aws("dynamodb"), names["table"], items=30, key="orderId")
    seed_buckets(aws("s3"), names["bucket"], f"{names['bucket']}-replica")
    seed_db_instance(aws("rds"), names["db"])
    steps = [
        {
            "name": "orders-pitr",
            "type": "dynamodb-pitr",
            "table": names["table"],
            "canaries": {"count": 3, "intervalSeconds": 0.05},
            "restorableWaitSeconds": 0.2,
            "verify": {"sampleSize": 10},
            "timeoutSeconds": 60,
            "pollSeconds": 0.1,
        },
        {
            "name": "db-pitr",
            "type": "rds-pitr",
            "dbInstance": names["db"],
            "timeoutSeconds": 60,
            "pollSeconds": 0.1,
        },
        {
            "name": "rec-replication",
            "type": "s3-replication",
            "bucket": names["bucket"],
            "timeoutSeconds": 1,
            "pollSeconds": 0.2,
        },
    ]
    document = {
        "name": "retry-drill",
        "region": REGION,
        "targets": {"rtoMinutes": 5, "rpoMinutes": 1},
        "steps": steps,
    }
    return write_runbook(tmp_path / "retry.yaml", document), names


def _verdict(outcome: DrillOutcome) -> dict[tuple[str, str], Status]:
    return {(f.subject, f.check_id): f.status for f in outcome.report.findings}


@dataclass(frozen=True)
class _Baseline:
    loaded: LoadedRunbook
    names: dict[str, str]
    state: tuple[str, ...]
    verdict: dict[tuple[str, str], Status]


@pytest.fixture(scope="module")
def baseline(aws: Clients, endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> _Baseline:
    """The sources, and the verdict of one drill of them without faults."""
    tmp_path = tmp_path_factory.mktemp("retries")
    runbook, names = _world(aws, tmp_path)
    state = sources_fingerprint(aws, names)
    loaded = load(runbook, tmp_path)
    clean = run_drill(loaded, DrillOptions(clients=BotoClients(endpoint)))
    assert {k: v for k, v in _verdict(clean).items() if k[0] != "rec-replication"} == {
        (step, f"dr-drill:{check}"): Status.PASS
        for step in ("orders-pitr", "db-pitr")
        for check in ("rpo", "rto", "verify")
    }
    # moto never replicates: the 1 s step timeout ends the wait below the RPO target (not measured).
    assert _verdict(clean)[("rec-replication", "dr-drill:rpo")] is Status.ERROR
    assert drill_leftovers(aws) == [] and sources_fingerprint(aws, names) == state
    return _Baseline(loaded, names, state, _verdict(clean))


def test_lost_responses_are_retried_by_botocore_and_resolve_to_their_effect(
    aws: Clients, proxy: KillProxy, baseline: _Baseline
) -> None:
    proxy.lose_responses(*LOST)
    faulty = run_drill(baseline.loaded, DrillOptions(clients=BotoClients(proxy.url)))

    assert {f for f in LOST if any(f in label for label in proxy.lost)} == set(LOST)
    assert _verdict(faulty) == baseline.verdict
    events = [e["event"] for e in faulty.report.details["timeline"]]
    assert any(e.startswith("restore adopted") for e in events)
    assert any(e.startswith("DB instance adopted") for e in events)
    measured = faulty.report.details["steps"][0]["measurements"]
    assert measured["canariesPresent"] == 3  # the retried canary counts once, as ours
    assert faulty.report.problems == []
    assert all(c["status"] == "done" for c in faulty.report.details["cleanup"])
    assert drill_leftovers(aws) == []
    assert sources_fingerprint(aws, baseline.names) == baseline.state


def test_twenty_percent_injected_faults_give_the_same_verdict(
    aws: Clients, endpoint: str, baseline: _Baseline
) -> None:
    """Throttles, 5xx, resets and lost responses on 1 call in 5 (botocore's standard retries, no more
    than 2 faults in a row): the same statuses as without faults, nothing left, sources unchanged."""
    # Throttles back off ~0.5 s each: weight the kinds towards the cheap ones to keep the test short.
    kinds = ("throttle", "500", "503", "reset", "reset", "lost", "lost", "lost")
    with FaultProxy(endpoint, rate=0.2, seed=11, kinds=kinds) as proxy:
        faulty = run_drill(baseline.loaded, DrillOptions(clients=BotoClients(proxy.url)))

    assert proxy.faults["lost"] >= 3 and sum(proxy.faults.values()) >= 0.1 * proxy.calls, proxy.faults
    assert _verdict(faulty) == baseline.verdict
    assert faulty.report.problems == []
    assert drill_leftovers(aws) == []
    assert sources_fingerprint(aws, baseline.names) == baseline.state


def test_cleanup_counts_a_canary_whose_delete_response_was_lost_as_removed(
    aws: Clients, proxy: KillProxy, baseline: _Baseline
) -> None:
    """`dr cleanup`'s conditional delete is replayed by botocore and refused (the canary is gone): the
    sweep reports what happened, the canary removed, not "nothing found"."""
    table = baseline.names["table"]
    stale = {"orderId": {"S": "supportops-dr-canary#4"}}
    old_drill = {
        "supportopsDrCanary": {"S": "dr-20200101000000-abcdef"},
        "supportopsDrWrittenAtNs": {"N": "1"},
    }
    aws("dynamodb").put_item(TableName=table, Item={**stale, **old_drill})
    proxy.lose_responses("DynamoDB_20120810.DeleteItem")

    result = sweep(BotoClients(proxy.url), targets_from_steps(REGION, baseline.loaded.runbook.steps, None))

    assert proxy.lost == ["DynamoDB_20120810.DeleteItem"]
    assert result.failed == []
    assert result.removed == [f"canary orderId=supportops-dr-canary#4 in table {table}"]
    assert sources_fingerprint(aws, baseline.names) == baseline.state


# --- what is not ours is refused (botocore Stubber: the calls the drill sees after botocore's retry) --


class _Stubs:
    def __init__(self, *services: str) -> None:
        session = botocore.session.get_session()
        self.clients = {
            s: session.create_client(s, region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
            for s in services
        }
        self.stubbers = {s: Stubber(c) for s, c in self.clients.items()}

    def __call__(self, service: str, region: str) -> Any:
        return self.clients[service]

    def __enter__(self) -> _Stubs:
        for stubber in self.stubbers.values():
            stubber.activate()
        return self

    def __exit__(self, *exc: object) -> None:
        for stubber in self.stubbers.values():
            stubber.deactivate()


def _stubbed_drill(tmp_path: Path, step: dict[str, Any], stubs: _Stubs) -> DrillOutcome:
    path = tmp_path / "runbook.yaml"
    path.write_text(json.dumps({"name": "stubbed", "region": REGION, "steps": [step]}), encoding="utf-8")
    return run_drill(load(path, tmp_path), DrillOptions(clients=stubs))


def test_existing_table_restored_from_another_source_is_not_adopted_nor_removed(tmp_path: Path) -> None:
    table = {
        "TableName": "orders",
        "TableArn": "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "TableStatus": "ACTIVE",
    }
    later = datetime.now(UTC) + timedelta(hours=1)
    pitr = {
        "ContinuousBackupsStatus": "ENABLED",
        "PointInTimeRecoveryDescription": {
            "PointInTimeRecoveryStatus": "ENABLED",
            "LatestRestorableDateTime": later,
        },
    }
    with _Stubs("dynamodb") as stubs:
        ddb = stubs.stubbers["dynamodb"]
        ddb.add_response("describe_table", {"Table": table}, {"TableName": "orders"})
        ddb.add_response("describe_continuous_backups", {"ContinuousBackupsDescription": pitr}, None)
        ddb.add_response("put_item", {}, None)
        ddb.add_response("describe_continuous_backups", {"ContinuousBackupsDescription": pitr}, None)
        ddb.add_client_error("restore_table_to_point_in_time", "TableAlreadyExistsException", "exists", 400)
        imposter = dict(
            table,
            TableName="dr-x-orders",
            TableArn="arn:aws:dynamodb:us-east-1:111122223333:table/dr-x-orders",
            RestoreSummary={
                "SourceTableArn": "arn:aws:dynamodb:us-east-1:111122223333:table/other",
                "RestoreDateTime": later,
                "RestoreInProgress": False,
            },
        )
        ddb.add_response("describe_table", {"Table": imposter}, {"TableName": ANY})
        ddb.add_response("list_tags_of_resource", {"Tags": []}, {"ResourceArn": imposter["TableArn"]})
        ddb.add_response("delete_item", {}, None)  # cleanup: our canary goes; the table is not touched

        outcome = _stubbed_drill(
            tmp_path,
            {
                "name": "orders-pitr",
                "type": "dynamodb-pitr",
                "table": "orders",
                "canaries": {"count": 1},
                "restorableWaitSeconds": 1,
                "verify": {"sampleSize": 0, "countItems": False},
                "pollSeconds": 0.05,
            },
            stubs,
        )

        ddb.assert_no_pending_responses()
    assert {f.status for f in outcome.report.findings} == {Status.ERROR}
    message = outcome.report.findings[0].message
    assert (
        "is not this drill's restore of orders (restored from other" in message and "not removed" in message
    )
    assert [c["status"] for c in outcome.report.details["cleanup"]] == ["done", "done"]


def test_existing_db_instance_with_another_drills_tag_is_not_adopted(tmp_path: Path) -> None:
    source = {
        "DBInstanceIdentifier": "db",
        "Engine": "postgres",
        "BackupRetentionPeriod": 7,
        "LatestRestorableTime": datetime.now(UTC),
    }
    with _Stubs("rds") as stubs:
        rds = stubs.stubbers["rds"]
        rds.add_response("describe_db_instances", {"DBInstances": [source]}, {"DBInstanceIdentifier": "db"})
        rds.add_client_error("restore_db_instance_to_point_in_time", "DBInstanceAlreadyExists", "exists", 400)
        other = {
            "DBInstanceIdentifier": "x",
            "TagList": [{"Key": "supportops:dr-drill", "Value": "dr-20200101000000-abcdef"}],
        }
        rds.add_response("describe_db_instances", {"DBInstances": [other]}, {"DBInstanceIdentifier": ANY})

        outcome = _stubbed_drill(tmp_path, {"name": "db-pitr", "type": "rds-pitr", "dbInstance": "db"}, stubs)

        rds.assert_no_pending_responses()  # and no delete: the instance is not ours
    assert {f.status for f in outcome.report.findings} == {Status.ERROR}
    assert "already exists without this drill's tag (supportops:dr-drill=dr-20200101000000-abcdef)" in (
        outcome.report.findings[0].message
    )
    assert [c["status"] for c in outcome.report.details["cleanup"]] == ["done"]
