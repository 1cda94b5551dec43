"""S3 replication lag against the RPO.

Checks the bucket's replication rule, puts one canary object ``<canaryPrefix><drill id>.json`` (the
only write to the source, in its own prefix, tagged with the drill id), then polls the replica bucket
for it. The poll ends at the RPO target (capped by the step timeout): past the target the answer is
known, the target is missed. Lag = put -> seen in the replica (monotonic clock; resolution is the poll
interval). Every version of the canary is removed from both buckets afterwards.

Retries: the canary's key carries the drill id, so a put that botocore retries after a lost response
only adds a second version of this drill's own canary; every version goes in cleanup.

moto never replicates objects: against moto this step reports the missed target (FAIL).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from pydantic import Field

from supportops.findings import Evidence, Status
from supportops.polling import Deadline, WaitTimedOut, poll_until
from supportops.runbooks.dr.aws import AWS_ERRORS, ClientFactory, describe_error, error_code
from supportops.runbooks.dr.clock import iso, now
from supportops.runbooks.dr.leftovers import CanarySite, SweepScope
from supportops.runbooks.dr.local_demo import seed_buckets
from supportops.runbooks.dr.naming import drill_tags
from supportops.runbooks.dr.schema import PollSeconds, Region, Seconds, StepSpec
from supportops.runbooks.dr.steps.base import RPO, StepContext, StepFailed, StepResult, StepType

_MISSING = {"404", "NoSuchKey", "NotFound", "NoSuchVersion"}
_BUCKET = r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
# On a local endpoint moto never replicates: end the wait early ("not measured") instead of at the RPO.
LOCAL_TIMEOUT = 5.0


class S3ReplicationStep(StepSpec):
    type: Literal["s3-replication"]
    bucket: Annotated[str, Field(pattern=_BUCKET)]
    # Default: the destination of the bucket's first enabled replication rule.
    replica_bucket: Annotated[str, Field(pattern=_BUCKET)] | None = None
    replica_region: Region | None = None
    canary_prefix: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{3,64}/$")] = "supportops-dr-canary/"
    timeout_seconds: Seconds = 1200.0
    poll_seconds: PollSeconds = 5.0


class S3Replication(StepType[S3ReplicationStep]):
    schema = S3ReplicationStep
    services = ("s3",)
    api_calls = (
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:GetObject",
        "s3:GetReplicationConfiguration",
        "s3:ListBucketVersions",
        "s3:PutObject",
        "s3:PutObjectTagging",
    )
    checks = (RPO,)
    moto_serves = True

    def source_writes(self, step: S3ReplicationStep) -> str:
        return f"1 canary object under {step.canary_prefix}"

    def canary_sites(
        self, step: S3ReplicationStep, region: str, replica_region: str | None
    ) -> tuple[CanarySite, ...]:
        sites: list[CanarySite] = [BucketCanaries(region, step.bucket, step.canary_prefix)]
        if step.replica_bucket:
            where = step.replica_region or replica_region or region
            sites.append(BucketCanaries(where, step.replica_bucket, step.canary_prefix))
        return tuple(sites)

    def run(self, step: S3ReplicationStep, ctx: StepContext, result: StepResult) -> None:
        _run(step, ctx, result)

    def seed_local(self, step: S3ReplicationStep, clients: ClientFactory, region: str) -> list[str]:
        replica = step.replica_bucket or f"{step.bucket}-replica"
        seed_buckets(clients("s3", region), step.bucket, replica, region)
        return [f"S3 buckets {step.bucket} -> {replica}"]

    def local_overrides(self, step: S3ReplicationStep) -> dict[str, Any]:
        return {"timeout_seconds": min(step.timeout_seconds, LOCAL_TIMEOUT)}


@dataclass(frozen=True)
class BucketCanaries(CanarySite):
    """Canary objects under a prefix of a bucket, and of the buckets its replication rules feed."""

    api_calls = (
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:GetReplicationConfiguration",
        "s3:ListBucketVersions",
    )
    region: str
    bucket: str
    prefix: str

    @property
    def sort_key(self) -> tuple[str, ...]:
        return ("s3", self.bucket, self.prefix)

    def sweep(self, scope: SweepScope) -> None:
        s3 = scope.clients("s3", scope.region)
        for name in (self.bucket, *_replica_buckets(s3, self.bucket)):
            _bucket_canaries(s3, name, self.prefix, scope)


def _replica_buckets(s3: Any, bucket: str) -> list[str]:
    """Destinations of the bucket's replication rules (the canary may have reached them)."""
    try:
        rules = s3.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"].get("Rules", [])
    except AWS_ERRORS:
        return []
    return sorted({str(r["Destination"]["Bucket"]).rsplit(":", 1)[-1] for r in rules if "Destination" in r})


def _bucket_canaries(s3: Any, bucket: str, prefix: str, scope: SweepScope) -> None:
    result = scope.result
    try:
        if scope.dry_run:
            page = s3.list_object_versions(Bucket=bucket, Prefix=prefix)
            for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
                if entry["LastModified"] < scope.cutoff:
                    result.found.append(f"canary object s3://{bucket}/{entry['Key']} ({entry['VersionId']})")
            return
        count = remove_object_versions(s3, bucket, prefix, older_than=scope.cutoff)
        if count:
            result.removed.append(f"{count} canary object versions under s3://{bucket}/{prefix}")
    except AWS_ERRORS as exc:
        if error_code(exc) == "NoSuchBucket":
            return
        result.failed.append(f"canary objects in s3://{bucket}/{prefix}: {describe_error(exc)}")


def _run(step: S3ReplicationStep, ctx: StepContext, result: StepResult) -> None:
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
