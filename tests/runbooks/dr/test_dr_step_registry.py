"""A step type is one module plus one registry entry: nothing else knows step types by name.

The toy type below (a drill queue in SQS, a canary object in S3) lives only in this test. Registered
through the registry's API, it is accepted by the loader, planned, run by the executor, and its
leftovers (a queue a killed drill left, its canary objects) are found and removed by the sweep, with no
change to any shipped module. The shipped registry still refuses it (the set is closed)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Literal

import pytest
from dr_helpers import Clients, write_runbook

from supportops.errors import BadInput
from supportops.findings import Evidence, Status
from supportops.runbooks.dr.executor import DrillOptions, load, plan, run_drill
from supportops.runbooks.dr.leftovers import CanarySite, ResourceKind, SweepScope
from supportops.runbooks.dr.naming import resource_name
from supportops.runbooks.dr.schema import StepSpec
from supportops.runbooks.dr.steps.base import RTO, Check, StepContext, StepResult, StepType
from supportops.runbooks.dr.steps.registry import REGISTRY, STEP_TYPES
from supportops.runbooks.dr.steps.s3_replication import BucketCanaries
from supportops.runbooks.dr.sweep import sweep, targets_from_steps

pytestmark = pytest.mark.slow

QUEUE_READY = Check("queue", "Drill queue created and readable")


class ToyQueueStep(StepSpec):
    type: Literal["toy-queue"]
    bucket: str
    leave_behind: bool = False  # act as if the drill was killed before its cleanup ran


class DrillQueues(ResourceKind):
    api_calls = ("sqs:DeleteQueue", "sqs:GetQueueUrl", "sqs:ListQueues")

    def claims(self, arn: str, tags: dict[str, str]) -> bool:
        return ":sqs:" in arn

    def names(self, scope: SweepScope) -> list[str]:
        urls = scope.clients("sqs", scope.region).list_queues(QueueNamePrefix="dr-").get("QueueUrls", [])
        return [url.rsplit("/", 1)[-1] for url in urls]

    def label(self, name: str, arn: str | None, tags: dict[str, str]) -> str:
        return f"sqs queue {name}"

    def remove(self, scope: SweepScope, name: str, arn: str | None, tags: dict[str, str]) -> None:
        sqs = scope.clients("sqs", scope.region)
        sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=name)["QueueUrl"])


class ToyQueue(StepType[ToyQueueStep]):
    schema = ToyQueueStep
    services = ("sqs", "s3")
    api_calls = ("sqs:CreateQueue", "sqs:DeleteQueue", "s3:PutObject")
    checks = (QUEUE_READY, RTO)
    creates = (DrillQueues(),)
    moto_serves = True

    def source_writes(self, step: ToyQueueStep) -> str:
        return "1 canary object under toy-canary/"

    def canary_sites(
        self, step: ToyQueueStep, region: str, replica_region: str | None
    ) -> tuple[CanarySite, ...]:
        return (BucketCanaries(region, step.bucket, "toy-canary/"),)

    def run(self, step: ToyQueueStep, ctx: StepContext, result: StepResult) -> None:
        sqs, s3 = ctx.client("sqs"), ctx.client("s3")
        name = resource_name(ctx.drill_id, step.name)
        result.resources.append(name)
        if not step.leave_behind:
            ctx.on_cleanup(
                name,
                "delete drill queue",
                lambda _d: sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=name)["QueueUrl"]),
            )
        started = ctx.event("queue requested")
        sqs.create_queue(QueueName=name)
        s3.put_object(Bucket=step.bucket, Key=f"toy-canary/{ctx.drill_id}", Body=b"canary")
        result.add("queue", Status.PASS, f"{name} created", [Evidence("queue.name", name)])
        result.measured(
            "rto", started.seconds_until(ctx.event("queue ready")), ctx.targets.rto_seconds, "toy"
        )


def _runbook(tmp_path: Path, bucket: str, leave_behind: bool) -> Path:
    step = {"name": "toy", "type": "toy-queue", "bucket": bucket, "leaveBehind": leave_behind}
    return write_runbook(tmp_path / "toy.yaml", {"name": "toy", "region": "us-east-1", "steps": [step]})


def test_a_step_type_registered_through_the_api_is_loaded_run_and_swept(aws: Clients, tmp_path: Path) -> None:
    registry = REGISTRY.with_types(ToyQueue())
    bucket = f"toy-source-{uuid.uuid4().hex[:8]}"
    aws("s3").create_bucket(Bucket=bucket)
    aws("s3").put_object(Bucket=bucket, Key="data/keep.txt", Body=b"not a canary")

    # The shipped set is closed; the extended registry's schema accepts the new type.
    runbook = _runbook(tmp_path, bucket, leave_behind=True)
    with pytest.raises(BadInput, match=r"steps\[0\]\.type: unknown step type 'toy-queue'"):
        load(runbook, tmp_path)
    loaded = load(runbook, tmp_path, registry)
    assert len(STEP_TYPES) == 5 and registry.names[-1] == "toy-queue"
    planned = plan(loaded, allow_failover=False)["steps"][0]
    assert (planned["services"], planned["checks"]) == (["sqs", "s3"], ["queue", "rto"])
    assert planned["writesToSource"] == "1 canary object under toy-canary/"

    outcome = run_drill(loaded, DrillOptions(clients=aws))

    assert {(f.check_id, f.title, f.status) for f in outcome.report.findings} == {
        ("dr-drill:queue", "Drill queue created and readable", Status.PASS),
        ("dr-drill:rto", "Recovery time within the RTO target", Status.PASS),
    }
    queue = outcome.report.details["steps"][0]["drillResources"][0]
    assert queue.startswith(outcome.drill_id)
    assert aws("sqs").list_queues(QueueNamePrefix=queue).get("QueueUrls")  # left behind, as if killed

    # `dr cleanup`: the sweep learns the queue kind and the canary site from the registry alone.
    targets = targets_from_steps("us-east-1", loaded.runbook.steps, None, registry)
    result = sweep(aws, targets, registry=registry)

    assert f"us-east-1: sqs queue {queue}" in result.removed
    assert f"1 canary object versions under s3://{bucket}/toy-canary/" in result.removed
    assert not aws("sqs").list_queues(QueueNamePrefix=queue).get("QueueUrls")
    keys = [o["Key"] for o in aws("s3").list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == ["data/keep.txt"]


def test_registry_refuses_two_types_with_one_name() -> None:
    with pytest.raises(ValueError, match="not unique"):
        REGISTRY.with_types(ToyQueue(), ToyQueue())


def test_every_shipped_type_declares_what_the_tools_read() -> None:
    kinds = REGISTRY.resource_kinds()
    for step_type in STEP_TYPES:
        assert step_type.services and step_type.checks, step_type.name
        assert all(call.split(":", 1)[0] in {*step_type.services, "iam"} for call in step_type.api_calls)
        assert all(kind in kinds for kind in step_type.creates)
    assert len({id(k) for k in kinds}) == len(kinds)  # shared kinds swept once
    assert [t.name for t in STEP_TYPES if t.moto_serves] == ["dynamodb-pitr", "rds-pitr", "s3-replication"]


# IAM action of an API call where it is not "<service>:<operation>".
_ACTION = {
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "ListObjectVersions"): "s3:ListBucketVersions",
    ("s3", "GetBucketReplication"): "s3:GetReplicationConfiguration",
    ("s3", "DeleteObject"): "s3:DeleteObjectVersion",  # the drill and sweep always name the version
    ("resourcegroupstaggingapi", "GetResources"): "tag:GetResources",
}


def test_declared_api_calls_cover_every_call_a_drill_and_the_sweep_make(aws: Clients, tmp_path: Path) -> None:
    """Custodian-style: record every call (botocore's before-call event) and find it declared by the step
    type that was running (or, for cleanup, by a step of the runbook), and by the sweep's policy."""
    from supportops.runbooks.dr.local_demo import seed_buckets, seed_db_instance, seed_table
    from supportops.runbooks.dr.permissions import cleanup_actions

    tag = uuid.uuid4().hex[:8]
    seed_table(aws("dynamodb"), f"perm-{tag}", items=5)
    seed_buckets(aws("s3"), f"perm-{tag}", f"perm-{tag}-replica")
    seed_db_instance(aws("rds"), f"perm-{tag}")
    steps = [
        {
            "name": "t",
            "type": "dynamodb-pitr",
            "table": f"perm-{tag}",
            "restorableWaitSeconds": 0,
            "canaries": {"count": 2, "intervalSeconds": 0},
            "pollSeconds": 0.1,
        },
        {"name": "d", "type": "rds-pitr", "dbInstance": f"perm-{tag}", "pollSeconds": 0.1},
        {
            "name": "b",
            "type": "s3-replication",
            "bucket": f"perm-{tag}",
            "timeoutSeconds": 0.3,
            "pollSeconds": 0.1,
        },
    ]
    runbook = write_runbook(tmp_path / "perm.yaml", {"name": "perm", "region": "us-east-1", "steps": steps})
    loaded = load(runbook, tmp_path)
    calls: list[tuple[str | None, str]] = []
    current: list[str | None] = [None]

    def recording(service: str, region: str = "us-east-1") -> object:
        client = aws(service, region)

        def record(model: object, **_: object) -> None:
            name = getattr(model, "name", "")
            calls.append((current[0], _ACTION.get((service, name), f"{service}:{name}")))

        client.meta.events.register("before-call", record)
        return client

    def on_step(name: str, index: int, total: int) -> None:
        current[0] = loaded.runbook.steps[index].type

    outcome = run_drill(loaded, DrillOptions(clients=recording, on_step=on_step))
    assert [r.type for r in outcome.results] == ["dynamodb-pitr", "rds-pitr", "s3-replication"]
    by_type = {t.name: set(t.api_calls) for t in STEP_TYPES}
    everything = set().union(*(by_type[s["type"]] for s in steps))
    for step_type, action in calls:  # calls after the last step are cleanup: any step's declaration
        declared = by_type[step_type] if step_type and action not in everything else everything
        assert action in declared, (step_type, action)

    calls.clear()
    current[0] = "sweep"
    sweep(recording, targets_from_steps("us-east-1", loaded.runbook.steps, None))
    assert calls and {action for _, action in calls} <= set(cleanup_actions([loaded.runbook]))
