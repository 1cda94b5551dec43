"""DynamoDB point-in-time restore.

1. Baseline: the source's key schema, PITR status, a sample of items (checksums) and its item count.
2. Canaries: ``count`` items ``intervalSeconds`` apart in the canary key range, each with its write time.
3. Wait (bounded by ``restorableWaitSeconds``) until the latest restorable time passes the newest canary.
4. Restore to the latest restorable time into the drill table ``<drill id>-<step>`` (tagged), poll
   until ACTIVE (bounded by the step timeout).
5. Verify: canaries present, sampled items identical, item counts equal (within tolerances).

RTO = restore request -> verified (monotonic clock). RPO = restore request - write time of the newest
canary present in the restored table (wall clock; a data-proven bound, resolution ``intervalSeconds``);
when no canary made it, the service's latest restorable time is the basis and says so.

Retries: a restore whose first response was lost is retried by botocore and answered
``TableAlreadyExistsException``; the table is adopted when it is this drill's (its name carries the drill
id, it was restored from this source, and no other drill's tag is on it), and the step fails otherwise.
"""

from __future__ import annotations

import time
from typing import Annotated, Any, Literal

from pydantic import Field

from supportops.findings import Evidence, Status
from supportops.models import CamelInputModel
from supportops.polling import WaitTimedOut, poll_until
from supportops.runbooks.dr import canaries
from supportops.runbooks.dr.aws import ClientFactory, error_code
from supportops.runbooks.dr.clock import NS, Instant, iso, now
from supportops.runbooks.dr.drill_resources import DYNAMODB_TABLES, delete_table
from supportops.runbooks.dr.local_demo import seed_table
from supportops.runbooks.dr.naming import TAG_DRILL, as_aws_tags, drill_tags, resource_name
from supportops.runbooks.dr.schema import StepSpec
from supportops.runbooks.dr.steps.base import RPO, RTO, VERIFY, StepContext, StepFailed, StepResult, StepType


class Canaries(CamelInputModel):
    """Canary items written to the source before the restore, in a key range of their own."""

    count: Annotated[int, Field(ge=1, le=canaries.MAX_SLOTS)] = 3
    interval_seconds: Annotated[float, Field(ge=0, le=60)] = 1.0
    # Canary keys are "<keyPrefix>#<slot>": a fixed, dedicated range no application key uses.
    key_prefix: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:-]{3,64}$")] = canaries.DEFAULT_KEY_PREFIX


class TableVerification(CamelInputModel):
    sample_size: Annotated[int, Field(ge=0, le=1000)] = 50
    # Items changed between the sample and the restore point legitimately differ.
    max_sample_mismatch_percent: Annotated[float, Field(ge=0, le=100)] = 0.0
    count_items: bool = True
    item_count_tolerance_percent: Annotated[float, Field(ge=0, le=100)] = 0.0


class DynamoDbPitrStep(StepSpec):
    type: Literal["dynamodb-pitr"]
    table: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{3,255}$")]
    canaries: Canaries = Canaries()
    # Wait (bounded) until the latest restorable time passes the newest canary before restoring.
    restorable_wait_seconds: Annotated[float, Field(ge=0, le=3600)] = 900.0
    verify: TableVerification = TableVerification()


class DynamoDbPitr(StepType[DynamoDbPitrStep]):
    schema = DynamoDbPitrStep
    services = ("dynamodb",)
    # RestoreTableToPointInTime also needs the item-level writes and reads it performs on the target.
    api_calls = (
        "dynamodb:BatchGetItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:DeleteTable",
        "dynamodb:DescribeContinuousBackups",
        "dynamodb:DescribeTable",
        "dynamodb:GetItem",
        "dynamodb:ListTagsOfResource",
        "dynamodb:PutItem",
        "dynamodb:RestoreTableToPointInTime",
        "dynamodb:Scan",
        "dynamodb:TagResource",
        "dynamodb:UpdateTable",
    )
    checks = (RPO, RTO, VERIFY)
    creates = (DYNAMODB_TABLES,)
    moto_serves = True

    def source_writes(self, step: DynamoDbPitrStep) -> str:
        prefix, count = step.canaries.key_prefix, step.canaries.count
        return f"{count} canary items at {prefix}#0..{count - 1}"

    def canary_sites(
        self, step: DynamoDbPitrStep, region: str, replica_region: str | None
    ) -> tuple[canaries.TableCanaries, ...]:
        return (canaries.TableCanaries(region, step.table, step.canaries.key_prefix),)

    def run(self, step: DynamoDbPitrStep, ctx: StepContext, result: StepResult) -> None:
        try:
            _run(step, ctx, result)
        except canaries.CanaryConflict as exc:
            raise StepFailed(str(exc)) from None

    def seed_local(self, step: DynamoDbPitrStep, clients: ClientFactory, region: str) -> list[str]:
        seed_table(clients("dynamodb", region), step.table)
        return [f"DynamoDB table {step.table}"]

    def local_overrides(self, step: DynamoDbPitrStep) -> dict[str, Any]:
        # moto's latest restorable time never advances: waiting for it would only wait out the bound.
        return {
            "restorable_wait_seconds": 0.0,
            "canaries": step.canaries.model_copy(
                update={"interval_seconds": min(step.canaries.interval_seconds, 0.2)}
            ),
        }


def _run(step: DynamoDbPitrStep, ctx: StepContext, result: StepResult) -> None:
    ddb = ctx.client("dynamodb")
    target = resource_name(ctx.drill_id, step.name)
    result.resources.append(target)

    table = ddb.describe_table(TableName=step.table)["Table"]
    schema = canaries.key_schema(table)
    pitr = ddb.describe_continuous_backups(TableName=step.table)["ContinuousBackupsDescription"]
    pitr_status = pitr.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus", "DISABLED")
    ctx.event("source described", table=step.table, pointInTimeRecovery=pitr_status)
    if pitr_status != "ENABLED":
        raise StepFailed(
            f"point-in-time recovery is {pitr_status} on {step.table}: nothing to restore from", Status.FAIL
        )
    try:
        keys = [
            canaries.canary_key(schema, step.canaries.key_prefix, slot) for slot in range(step.canaries.count)
        ]
    except ValueError as exc:
        raise StepFailed(str(exc)) from None
    hash_name = schema[0][0]
    not_canary = _not_canary_filter(hash_name, step.canaries.key_prefix)

    sample = _sample(ddb, step.table, step.verify.sample_size, not_canary)
    source_count = _count(ddb, step.table, not_canary, ctx) if step.verify.count_items else None
    ctx.event("baseline taken", sampledItems=len(sample), itemCount=source_count)

    # Canaries: register their removal first, then write them.
    def remove_canaries(_deadline: Any) -> None:
        for key in keys:
            canaries.delete_canary(ddb, step.table, key, drill_id=ctx.drill_id)

    ctx.on_cleanup(step.table, f"delete {len(keys)} canary items from", remove_canaries)
    written: list[Instant] = []
    for slot, key in enumerate(keys):
        if slot and step.canaries.interval_seconds:
            time.sleep(step.canaries.interval_seconds)
        moment = now()
        canaries.put_canary(ddb, step.table, key, ctx.drill_id, moment.wall, moment.wall_ns)
        written.append(moment)
    ctx.event("canaries written", count=len(keys), newest=iso(written[-1].wall))

    newest_ns = written[-1].wall_ns

    def latest_restorable_ns() -> int:
        description = ddb.describe_continuous_backups(TableName=step.table)["ContinuousBackupsDescription"]
        latest = description["PointInTimeRecoveryDescription"].get("LatestRestorableDateTime")
        return int(latest.timestamp() * NS) if latest is not None else 0

    try:
        lrt_ns = poll_until(
            "latest restorable time past the newest canary",
            latest_restorable_ns,
            lambda value: value >= newest_ns,
            ctx.deadline.sooner(step.restorable_wait_seconds),
            step.poll_seconds,
        )
        ctx.event("latest restorable time passed the canaries", latestRestorable=_iso_ns(lrt_ns))
    except WaitTimedOut as exc:
        lrt_ns = int(exc.last) if isinstance(exc.last, int) else 0
        ctx.event(
            "latest restorable time did not pass the newest canary within restorableWaitSeconds; "
            "restoring anyway",
            latestRestorable=_iso_ns(lrt_ns),
        )

    # Restore: register the drill table's removal first, then request it.
    ctx.on_cleanup(target, "delete drill table", lambda deadline: delete_table(ddb, target, deadline))
    requested = ctx.event("restore requested", target=target, latestRestorable=_iso_ns(lrt_ns))
    arn = _restore(ddb, step, ctx, target)
    ddb.tag_resource(ResourceArn=arn, Tags=as_aws_tags(drill_tags(ctx.drill_id, step.name, step.table)))
    ctx.event("drill table tagged", arn=arn)
    try:
        poll_until(
            f"drill table {target} ACTIVE",
            lambda: ddb.describe_table(TableName=target)["Table"]["TableStatus"],
            lambda status: status == "ACTIVE",
            ctx.deadline,
            step.poll_seconds,
        )
    except WaitTimedOut as exc:
        result.timed_out("rto", requested.seconds_until(now()), ctx.targets.rto_seconds, "restore")
        raise StepFailed(f"restore did not finish before the step timeout ({exc})") from None
    ctx.event("drill table active", target=target)

    # Verify.
    fetched = _batch_get(ddb, target, keys + [k for k, _ in sample], [name for name, _ in schema], ctx)
    present: list[int] = []
    missing_restorable: list[str] = []
    foreign: list[str] = []
    for key, moment in zip(keys, written, strict=True):
        item = fetched.get(_key_id(key))
        if item is not None and item.get(canaries.MARKER, {}).get("S") == ctx.drill_id:
            present.append(moment.wall_ns)
        elif item is not None:
            foreign.append(canaries.key_text(key))
        elif moment.wall_ns <= lrt_ns:
            missing_restorable.append(canaries.key_text(key))
    mismatched = [
        canaries.key_text(k)
        for k, checksum in sample
        if canaries.item_checksum(fetched.get(_key_id(k), {})) != checksum
    ]
    restored_count = _count(ddb, target, not_canary, ctx) if step.verify.count_items else None
    verified = ctx.event(
        "verified",
        canariesPresent=len(present),
        sampleMismatches=len(mismatched),
        restoredItemCount=restored_count,
    )

    # Measure.
    rto = requested.seconds_until(verified)
    result.measured(
        "rto",
        rto,
        ctx.targets.rto_seconds,
        "restore request -> verified (monotonic clock)",
        [Evidence("restore.target", target), Evidence("restore.requestedAt", iso(requested.wall))],
    )
    canary_evidence = [
        Evidence("canaries.written", [_iso_ns(m.wall_ns) for m in written]),
        Evidence("canaries.present", [_iso_ns(ns) for ns in present]),
        Evidence("pitr.latestRestorableTime", _iso_ns(lrt_ns)),
        Evidence("canaries.intervalSeconds", step.canaries.interval_seconds),
    ]
    if present:
        newer_than_restorable = sum(1 for ns in present if ns > lrt_ns)
        note = (
            (
                f"{newer_than_restorable} canaries newer than the reported latest restorable time are "
                "present (the restore holds data past it)"
            )
            if newer_than_restorable
            else ""
        )
        result.measured(
            "rpo",
            (requested.wall_ns - max(present)) / NS,
            ctx.targets.rpo_seconds,
            "restore request - newest canary present (wall clock)",
            canary_evidence,
            note,
        )
    elif lrt_ns:
        result.measured(
            "rpo",
            (requested.wall_ns - lrt_ns) / NS,
            ctx.targets.rpo_seconds,
            "restore request - latest restorable time reported by DynamoDB; no canary in the restored table",
            canary_evidence,
        )
    else:
        result.add(
            "rpo",
            Status.ERROR,
            "no canary in the restored table and no latest restorable time",
            canary_evidence,
        )

    problems = []
    if missing_restorable:
        problems.append(
            f"canaries written before the restore point are missing: {'; '.join(missing_restorable)}"
        )
    if foreign:
        problems.append(f"canary slots hold another drill's items: {'; '.join(foreign)}")
    if sample and len(mismatched) * 100 > step.verify.max_sample_mismatch_percent * len(sample):
        problems.append(
            f"{len(mismatched)} of {len(sample)} sampled items differ or are missing "
            f"(tolerance {step.verify.max_sample_mismatch_percent:g} %)"
        )
    if source_count is not None and restored_count is not None:
        allowed = source_count * step.verify.item_count_tolerance_percent / 100
        if abs(restored_count - source_count) > allowed:
            problems.append(
                f"item count {restored_count} in the restore vs {source_count} in the source "
                f"(tolerance {step.verify.item_count_tolerance_percent:g} %)"
            )
    evidence = [
        Evidence("verify.canariesPresent", len(present), f"{len(keys)} written"),
        Evidence("verify.sampledItems", len(sample)),
        Evidence("verify.sampleMismatches", mismatched[:20], "[]"),
        Evidence("verify.sourceItemCount", source_count),
        Evidence("verify.restoredItemCount", restored_count, str(source_count)),
    ]
    result.measurements.update(
        sampledItems=len(sample),
        sampleMismatches=len(mismatched),
        sourceItemCount=source_count,
        restoredItemCount=restored_count,
        canariesWritten=len(keys),
        canariesPresent=len(present),
    )
    if problems:
        result.add("verify", Status.FAIL, "; ".join(problems), evidence)
    else:
        result.add(
            "verify",
            Status.PASS,
            f"{len(present)}/{len(keys)} canaries, {len(sample)} sampled items and the item count match",
            evidence,
        )


def _restore(ddb: Any, step: DynamoDbPitrStep, ctx: StepContext, target: str) -> str:
    """Request the restore; the drill table's ARN. Adopts the table a lost-response retry finds."""
    try:
        response = ddb.restore_table_to_point_in_time(
            SourceTableName=step.table, TargetTableName=target, UseLatestRestorableTime=True
        )
        return str(response["TableDescription"]["TableArn"])
    except Exception as exc:
        if error_code(exc) != "TableAlreadyExistsException":
            raise
    table = ddb.describe_table(TableName=target)["Table"]
    source = str(table.get("RestoreSummary", {}).get("SourceTableArn", "")).rsplit("/", 1)[-1]
    tags = ddb.list_tags_of_resource(ResourceArn=table["TableArn"]).get("Tags", [])
    holder = next((t["Value"] for t in tags if t["Key"] == TAG_DRILL), ctx.drill_id)
    if source != step.table or holder != ctx.drill_id:
        ctx.foreign.add(target)
        raise StepFailed(
            f"table {target} already exists and is not this drill's restore of {step.table} "
            f"(restored from {source or 'nothing'}, drill tag {holder}): not adopted, not removed"
        )
    ctx.event("restore adopted: the table a retried request found is this drill's", target=target)
    return str(table["TableArn"])


def _key_id(key: dict[str, Any]) -> str:
    return canaries.item_checksum(key)


def _batch_get(
    ddb: Any, table: str, keys: list[dict[str, Any]], key_names: list[str], ctx: StepContext
) -> dict[str, dict[str, Any]]:
    """Items by key (consistent reads, 100 keys a call, unprocessed keys retried until the deadline)."""
    found: dict[str, dict[str, Any]] = {}
    pending = list({_key_id(k): k for k in keys}.values())
    while pending:
        batch, pending = pending[:100], pending[100:]
        request: dict[str, Any] = {table: {"Keys": batch, "ConsistentRead": True}}
        while request:
            if ctx.deadline.expired():
                raise StepFailed(f"reading back items of {table} did not finish before the step timeout")
            answer = ddb.batch_get_item(RequestItems=request)
            for item in answer.get("Responses", {}).get(table, []):
                found[_key_id({name: item[name] for name in key_names})] = item
            request = answer.get("UnprocessedKeys") or {}
            if request:
                time.sleep(0.05)
    return found


def _not_canary_filter(hash_name: str, prefix: str) -> dict[str, Any]:
    return {
        "FilterExpression": "NOT begins_with(#dr_k, :dr_prefix)",
        "ExpressionAttributeNames": {"#dr_k": hash_name},
        "ExpressionAttributeValues": {":dr_prefix": {"S": f"{prefix}#"}},
    }


def _sample(ddb: Any, table: str, size: int, not_canary: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    if size == 0:
        return []
    key_names = [k["AttributeName"] for k in ddb.describe_table(TableName=table)["Table"]["KeySchema"]]
    items = ddb.scan(TableName=table, Limit=size, ConsistentRead=True, **not_canary).get("Items", [])
    return [({name: item[name] for name in key_names}, canaries.item_checksum(item)) for item in items[:size]]


def _count(ddb: Any, table: str, not_canary: dict[str, Any], ctx: StepContext) -> int:
    total = 0
    kwargs: dict[str, Any] = {"TableName": table, "Select": "COUNT", **not_canary}
    while True:
        if ctx.deadline.expired():
            raise StepFailed(f"counting the items of {table} did not finish before the step timeout")
        page = ddb.scan(**kwargs)
        total += int(page.get("Count", 0))
        if "LastEvaluatedKey" not in page:
            return total
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _iso_ns(ns: int) -> str | None:
    if not ns:
        return None
    return iso(Instant(0, ns).wall)
