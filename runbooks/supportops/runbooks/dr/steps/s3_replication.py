"""S3 replication lag against the RPO.

Checks the bucket's replication rule, puts one canary object ``<canaryPrefix><drill id>.json`` (the
only write to the source, in its own prefix, tagged with the drill id), then polls the replica bucket
for it. The poll ends at the RPO target (capped by the step timeout): past the target the answer is
known, the target is missed. Lag = put -> seen in the replica (monotonic clock; resolution is the poll
interval). Every version of the canary is removed from both buckets afterwards.

moto never replicates objects: against moto this step reports the missed target (FAIL).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from supportops.findings import Evidence, Status
from supportops.runbooks.dr.aws import error_code
from supportops.runbooks.dr.clock import iso, now
from supportops.runbooks.dr.naming import drill_tags
from supportops.runbooks.dr.polling import Deadline, WaitTimedOut, poll_until
from supportops.runbooks.dr.schema import S3ReplicationStep
from supportops.runbooks.dr.steps.base import StepContext, StepFailed, StepResult

CHECKS = ("rpo",)
_MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchVersion"}


def run(step: S3ReplicationStep, ctx: StepContext, result: StepResult) -> None:
    s3 = ctx.client("s3")
    replica_region = step.replica_region or ctx.targets.replica_region or ctx.targets.region
    replica_s3 = ctx.client("s3", replica_region)
    rule_destination = _replication_destination(s3, step.bucket, step.canary_prefix)
    replica = step.replica_bucket or rule_destination
    ctx.event("replication rule found", bucket=step.bucket, replica=replica)
    key = f"{step.canary_prefix}{ctx.drill_id}.json"
    result.resources.append(f"s3://{step.bucket}/{key}")

    ctx.on_cleanup(
        f"s3://{step.bucket}/{key}",
        "delete every version of canary object",
        lambda _d: remove_object_versions(s3, step.bucket, key),
    )
    ctx.on_cleanup(
        f"s3://{replica}/{key}",
        "delete every version of replicated canary object",
        lambda _d: remove_object_versions(replica_s3, replica, key),
    )
    body = json.dumps({"drillId": ctx.drill_id, "step": step.name, "writtenAt": iso(now().wall)}).encode()
    put_at = ctx.event("canary object put", key=key)
    s3.put_object(
        Bucket=step.bucket,
        Key=key,
        Body=body,
        ContentType="application/json",
        Tagging=urlencode(drill_tags(ctx.drill_id, step.name, step.bucket)),
    )

    target = ctx.targets.rpo_seconds
    bound = min(target, ctx.deadline.remaining())
    try:
        poll_until(
            f"canary in s3://{replica}",
            lambda: _exists(replica_s3, replica, key),
            bool,
            Deadline(bound),
            step.poll_seconds,
        )
    except WaitTimedOut:
        status = _replication_status(s3, step.bucket, key)
        ctx.event(
            "canary not replicated",
            waitedSeconds=round(put_at.seconds_until(now()), 3),
            replicationStatus=status,
        )
        result.timed_out("rpo", put_at.seconds_until(now()), target, f"replication of {key} to {replica}")
        result.findings[-1].evidence.append(Evidence("source.replicationStatus", status, "COMPLETED"))
        return
    seen = ctx.event("canary seen in replica", replica=replica)
    result.measured(
        "rpo",
        put_at.seconds_until(seen),
        target,
        "canary put -> seen in the replica (monotonic clock)",
        [
            Evidence("replica.bucket", replica),
            Evidence("canary.key", key),
            Evidence("source.replicationStatus", _replication_status(s3, step.bucket, key), "COMPLETED"),
        ],
    )


def _replication_destination(s3: Any, bucket: str, prefix: str) -> str:
    try:
        config = s3.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"]
    except Exception as exc:
        if error_code(exc) == "ReplicationConfigurationNotFoundError":
            raise StepFailed(
                f"{bucket} has no replication configuration: nothing is replicated", Status.FAIL
            ) from None
        raise
    for rule in config.get("Rules", []):
        if rule.get("Status") != "Enabled":
            continue
        rule_prefix = rule.get("Filter", {}).get("Prefix", rule.get("Prefix", ""))
        if "And" in rule.get("Filter", {}):
            rule_prefix = rule["Filter"]["And"].get("Prefix", "")
        if prefix.startswith(rule_prefix or ""):
            return str(rule["Destination"]["Bucket"]).rsplit(":", 1)[-1]
    raise StepFailed(f"no enabled replication rule of {bucket} covers {prefix}", Status.FAIL)


def _exists(s3: Any, bucket: str, key: str) -> bool:
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except Exception as exc:
        if error_code(exc) in _MISSING:
            return False
        raise
    return True


def _replication_status(s3: Any, bucket: str, key: str) -> str | None:
    try:
        status = s3.head_object(Bucket=bucket, Key=key).get("ReplicationStatus")
    except Exception as exc:
        if error_code(exc) in _MISSING:
            return None
        raise
    return None if status is None else str(status)


def remove_object_versions(s3: Any, bucket: str, key_or_prefix: str, older_than: Any = None) -> int:
    """Delete every version and delete marker under ``key_or_prefix`` (optionally only those last
    modified before ``older_than``); return how many were deleted. A missing bucket is no leftover."""
    deleted = 0
    kwargs: dict[str, Any] = {"Bucket": bucket, "Prefix": key_or_prefix}
    while True:
        try:
            page = s3.list_object_versions(**kwargs)
        except Exception as exc:
            if error_code(exc) == "NoSuchBucket":
                return deleted
            raise
        for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
            if older_than is not None and entry["LastModified"] >= older_than:
                continue
            s3.delete_object(Bucket=bucket, Key=entry["Key"], VersionId=entry["VersionId"])
            deleted += 1
        if not page.get("IsTruncated"):
            return deleted
        kwargs["KeyMarker"] = page.get("NextKeyMarker")
        kwargs["VersionIdMarker"] = page.get("NextVersionIdMarker")
