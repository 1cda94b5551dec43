"""`supportops ops demo`: one scheduled job end to end on a local endpoint (moto) this module starts
and stops: the DR drill of crm-idempotency as the runner would run it, with an RTO target of 10 ms
the local restore cannot meet → its bundle in the Object Lock bucket → the achieved RTO in CloudWatch
→ the notification read back from a queue subscribed to the topic → `history` over the bucket."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from supportops.atomic import write_text_atomic
from supportops.runbooks.dr.aws import BotoClients
from supportops.runbooks.dr.demo import local_profile, seed_for
from supportops.runbooks.dr.executor import LoadedRunbook, load
from supportops.runbooks.dr.loader import resolve_runbook_path
from supportops.runbooks.local_aws import local_aws_credentials, local_aws_endpoint
from supportops.runbooks.ops.history import read_bucket, trends
from supportops.runbooks.ops.history_html import render
from supportops.runbooks.ops.local import REGION, provision
from supportops.runbooks.ops.runner import OpsRunRequest, run
from supportops.stacks.config import load_stack_config
from supportops.stacks.config.operations import OpsJob

DEMO_STACK = "demo-operations"
DEMO_RUNBOOK = "crm-idempotency"
MISSED_RTO_SECONDS = 0.01  # a target no restore can meet: the drill misses it on purpose


def missed_target_profile(loaded: LoadedRunbook) -> LoadedRunbook:
    local = dataclasses.replace(loaded, runbook=local_profile(loaded.runbook, loaded.registry))
    return dataclasses.replace(
        local, targets=dataclasses.replace(local.targets, rto_seconds=MISSED_RTO_SECONDS)
    )


def run_demo(project: Path, out: Path) -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    config = load_stack_config(project, DEMO_STACK)
    account = config.operations.accounts[0].id
    with local_aws_credentials(), local_aws_endpoint() as url:
        yield f"local AWS endpoint (moto) at {url}"
        ops = provision(url)
        yield f"evidence bucket {ops.bucket} (Object Lock, COMPLIANCE), topic {ops.topic_arn}"
        loaded = load(resolve_runbook_path(DEMO_RUNBOOK), project)
        seed_for(loaded.runbook, BotoClients(url), REGION, loaded.registry)
        run_id = dt.datetime.now(dt.UTC).strftime("demo-%Y%m%dT%H%M%SZ")
        yield (
            f"ops run dr-drill --account {account} --runbook {DEMO_RUNBOOK} "
            f"(RTO target {MISSED_RTO_SECONDS} s)"
        )
        outcome = run(
            OpsRunRequest(
                job=OpsJob.DR_DRILL,
                account=account,
                run_id=run_id,
                project=project,
                config=config,
                out_dir=out / "runs" / OpsJob.DR_DRILL.value / account / run_id,
                bucket=ops.bucket,
                topic_arn=ops.topic_arn,
                endpoint_url=url,
                runbooks=(DEMO_RUNBOOK,),
                dr_profile=missed_target_profile,
            )
        )
        summary = outcome.summary
        yield f"run {summary['status']} (exit {outcome.exit_code}); evidence at {summary['location']}"
        s3 = ops.client("s3")
        keys = [
            o["Key"] for o in s3.list_objects_v2(Bucket=ops.bucket, Prefix=f"dr-drill/{account}/")["Contents"]
        ]
        head = s3.head_object(Bucket=ops.bucket, Key=keys[0])
        yield (
            f"{len(keys)} objects under dr-drill/{account}/{run_id}/, locked {head['ObjectLockMode']} "
            f"until {head['ObjectLockRetainUntilDate']:%Y-%m-%d}"
        )
        yield "metric AchievedRtoSeconds: " + ", ".join(f"{v:g} s" for v in _rto_values(ops, config, account))
        for message in ops.messages():
            yield f"notification: {message['subject']}: {message['message']}"
        found = trends(read_bucket(s3, ops.bucket))
        page = out / "history.html"
        write_text_atomic(page, render(found))
        drills = ", ".join(sorted({name for name, _ in found.drills}))
        yield f"history: {len(found.runs)} run(s); drills {drills}; page {page}"
    yield "local AWS endpoint stopped"


def _rto_values(ops: Any, config: Any, account: str) -> list[float]:
    cloudwatch = ops.client("cloudwatch")
    now = dt.datetime.now(dt.UTC)
    metrics = cloudwatch.list_metrics(
        Namespace=config.operations.metric_namespace, MetricName="AchievedRtoSeconds"
    )
    values: list[float] = []
    for index, metric in enumerate(metrics["Metrics"]):
        result = cloudwatch.get_metric_data(
            MetricDataQueries=[
                {"Id": f"m{index}", "MetricStat": {"Metric": metric, "Period": 60, "Stat": "Maximum"}}
            ],
            StartTime=now - dt.timedelta(hours=1),
            EndTime=now + dt.timedelta(minutes=5),
        )
        values += result["MetricDataResults"][0]["Values"]
    return values
