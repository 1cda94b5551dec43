"""`supportops drift` against moto's server over HTTP: the foundation phase's buckets, keys and
queues deployed (materialised), its state export written, then changes made behind the stack's back.
Exactly those changes are reported; a fault is ERROR (exit 3), never a drift."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fault_proxy import FaultProxy
from live_stack import REGIONS, SERVICES, Deployment, deployed, write_state
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.inventory.live.model import live_urn
from supportops.inventory.model import Inventory
from supportops.reports.evidence import verify_bundle

pytestmark = [pytest.mark.slow]  # in the moto-state xdist group (tests/conftest.py)

SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
QUEUE = "aws:sqs/queue:Queue"
KEY = "aws:kms/key:Key"
UNTRACKED = "demo-untracked-exports"


@pytest.fixture(scope="module")
def stack(
    foundation_plan: Inventory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Deployment, Path]]:
    with deployed(foundation_plan) as deployment:
        yield deployment, write_state(deployment, tmp_path_factory.mktemp("drift") / "state.json")


def drift(
    deployment: Deployment,
    state: Path,
    out: Path,
    endpoint: str | None = None,
    services: str = ",".join(SERVICES),
    extra: tuple[str, ...] = (),
) -> tuple[int, dict[str, Any]]:
    regions = [arg for region in REGIONS for arg in ("--region", region)]
    args = [
        "drift",
        "--state",
        str(state),
        "--endpoint-url",
        endpoint or deployment.url,
        *regions,
        "--service",
        services,
        "-f",
        "json",
        "-o",
        str(out),
    ]
    result = CliRunner().invoke(create_app(), [*args, *extra])
    assert result.exit_code in (0, 1, 3), result.output
    return result.exit_code, json.loads(out.read_text(encoding="utf-8"))


def not_passing(report: dict[str, Any]) -> set[tuple[str, str, str, tuple[str, ...]]]:
    return {
        (f["checkId"], f["status"], f["subject"], tuple(e["path"] for e in f["evidence"]))
        for f in report["findings"]
        if f["status"] != "PASS"
    }


def first(state: dict[str, Any], type_: str, where: Any = lambda _r: True) -> dict[str, Any]:
    return next(r for r in state["deployment"]["resources"] if r["type"] == type_ and where(r))


def test_a_deployment_left_alone_has_no_drift(stack: tuple[Deployment, Path], tmp_path: Path) -> None:
    deployment, state = stack
    code, report = drift(
        deployment, state, tmp_path / "drift.json", extra=("--evidence", str(tmp_path / "bundle"))
    )
    assert (code, not_passing(report), report["problems"]) == (0, set(), [])
    assert verify_bundle(tmp_path / "bundle").ok  # the same evidence bundle as comply
    managed = [
        r
        for r in json.loads(state.read_text())["deployment"]["resources"]
        if not r["type"].startswith("pulumi:")
    ]
    assert report["details"]["drift"]["in-sync"] == len(managed) > 50


def test_a_read_denied_is_an_error_not_a_drift(stack: tuple[Deployment, Path], tmp_path: Path) -> None:
    deployment, state = stack
    # Every key's policy read is denied. (Queues stay out of this run: a queue's id is its URL, which
    # names the endpoint, and the proxy is another endpoint.)
    with FaultProxy(
        deployment.url, rate=1.0, kinds=("denied",), only=lambda call: call == "kms.GetKeyPolicy"
    ) as proxy:
        code, report = drift(
            deployment, state, tmp_path / "drift.json", endpoint=proxy.url, services="kms,s3"
        )
    keys = {r["urn"] for r in json.loads(state.read_text())["deployment"]["resources"] if r["type"] == KEY}
    not_passing_checks = {
        (f["checkId"], f["status"]) for f in report["findings"] if f["status"] in ("FAIL", "ERROR")
    }
    unverified = {
        f["subject"] for f in report["findings"] if f["checkId"] == "drift:changed" and f["status"] == "ERROR"
    }
    faults = [f for f in report["findings"] if f["checkId"] == "live:fault"]
    assert code == 3
    assert not_passing_checks == {("drift:changed", "ERROR"), ("live:fault", "ERROR")}
    assert unverified == keys and len(faults) == len(keys)
    assert all(
        "kms:GetKeyPolicy" in f["message"]
        and "AccessDenied" in f["message"]
        and "arn:aws:sts::123456789012:user/moto" in f["message"]
        for f in faults
    )
    assert any(p.startswith("not collected: aws:sqs/queue:Queue") for p in report["problems"])
    not_collected = {f["subject"] for f in report["findings"] if f["checkId"] == "live:not-collected"}
    resources = json.loads(state.read_text())["deployment"]["resources"]
    assert not_collected == {r["type"] for r in resources if r["type"].startswith("aws:sqs/")}


def test_changes_behind_the_stacks_back_are_exactly_the_drift_reported(
    stack: tuple[Deployment, Path], tmp_path: Path
) -> None:
    deployment, state_file = stack
    state = json.loads(state_file.read_text())
    s3, sqs = deployment.client("s3"), deployment.client("sqs")
    encrypted = first(state, SSE, lambda r: r["inputs"].get("region", "us-east-1") == "us-east-1")
    policy = first(
        state,
        POLICY,
        lambda r: r["id"] != encrypted["id"] and r["inputs"].get("region", "us-east-1") == "us-east-1",
    )
    queue = first(state, QUEUE, lambda r: bool(r["outputs"].get("kmsMasterKeyId")))
    stack_tags = [
        {"Key": k, "Value": v}
        for k, v in {
            "owner": "support-platform-team",
            "environment": "demo",
            "phase": "foundation",
            "cost-center": "cc-support-demo",
            "managed-by": "supportops",
        }.items()
    ]
    original_policy = s3.get_bucket_policy(Bucket=policy["id"])["Policy"]
    original_encryption = s3.get_bucket_encryption(Bucket=encrypted["id"])[
        "ServerSideEncryptionConfiguration"
    ]
    try:
        s3.delete_bucket_encryption(Bucket=encrypted["id"])
        # moto drops a queue's Policy on any SetQueueAttributes that does not name it (AWS keeps it).
        queue_policy = sqs.get_queue_attributes(QueueUrl=queue["id"], AttributeNames=["Policy"])["Attributes"]
        sqs.set_queue_attributes(QueueUrl=queue["id"], Attributes={"KmsMasterKeyId": "", **queue_policy})
        s3.put_bucket_policy(
            Bucket=policy["id"],
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": f"arn:aws:s3:::{policy['id']}/*",
                        }
                    ],
                }
            ),
        )
        s3.create_bucket(Bucket=UNTRACKED)
        s3.put_bucket_tagging(Bucket=UNTRACKED, Tagging={"TagSet": stack_tags})

        code, report = drift(deployment, state_file, tmp_path / "drift.json")

        untracked = live_urn(
            deployment.materialised.account_id, "us-east-1", "aws:s3/bucket:Bucket", UNTRACKED
        )
        assert not_passing(report) == {
            ("drift:deleted", "FAIL", encrypted["urn"], ()),
            ("drift:changed", "FAIL", queue["urn"], ("kmsMasterKeyId",)),
            ("drift:changed", "FAIL", policy["urn"], ("policy",)),
            ("drift:unmanaged", "FAIL", untracked, ("tags",)),
        }
        assert code == 1
        [changed_queue] = [f for f in report["findings"] if f["subject"] == queue["urn"]]
        assert changed_queue["evidence"][0]["observed"] is None
        assert json.loads(changed_queue["evidence"][0]["expected"]) == queue["outputs"]["kmsMasterKeyId"]
    finally:
        s3.put_bucket_encryption(
            Bucket=encrypted["id"], ServerSideEncryptionConfiguration=original_encryption
        )
        sqs.set_queue_attributes(
            QueueUrl=queue["id"],
            Attributes={"KmsMasterKeyId": queue["outputs"]["kmsMasterKeyId"], **queue_policy},
        )
        s3.put_bucket_policy(Bucket=policy["id"], Policy=original_policy)
        s3.delete_bucket(Bucket=UNTRACKED)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--state", "no-such-export.json"], "no-such-export.json"),
        (["--state", "state.json", "--region", "mars-1"], "--region"),
        (["--state", "state.json", "--role-arn", "arn:aws:iam::1:role/x"], "--role-arn"),
        (["--state", "state.json", "--service", "nosuch"], "--service"),
    ],
)
def test_bad_drift_input_is_one_line_and_exit_2(
    args: list[str], option: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "state.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(create_app(), ["drift", *args])
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("error: ") and option in lines[0], lines
