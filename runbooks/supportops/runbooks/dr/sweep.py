"""``dr cleanup``: find what crashed or killed drills left behind, and remove it.

- Drill resources, by tag: the Resource Groups Tagging API, every resource tagged ``supportops:dr-drill``
  (DynamoDB tables, RDS instances and clusters).
- Drill resources by their reserved name shape (``dr-<stamp>-<hex>-<step>``): a kill between creating
  a table and tagging it leaves an untagged one.
- Canaries in the sources the runbooks name (and the sources leftover drill resources are tagged
  with): canary items by their fixed keys, canary objects under the canary prefix. Deletes are
  conditional on the canary marker: nothing else is ever removed from a source.

``older_than`` spares drills younger than that (one may be running right now).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from supportops.runbooks.dr import canaries
from supportops.runbooks.dr.aws import AWS_ERRORS, ClientFactory, describe_error, error_code
from supportops.runbooks.dr.drill_resources import delete_db_cluster, delete_db_instance, delete_table
from supportops.runbooks.dr.naming import (
    TAG_CREATED,
    TAG_DRILL,
    TAG_SOURCE,
    TAG_TELEPHONY,
    created_at_of,
    is_drill_resource_name,
)
from supportops.runbooks.dr.polling import Deadline
from supportops.runbooks.dr.schema import DynamoDbPitrStep, S3ReplicationStep
from supportops.runbooks.dr.steps.connect_readiness import decode
from supportops.runbooks.dr.steps.s3_replication import remove_object_versions

MAX_PAGES = 100


@dataclass(frozen=True)
class SweepTarget:
    """Where to look: a region, and the canary locations of the runbooks' sources in it."""

    region: str
    tables: tuple[tuple[str, str], ...] = ()  # (table, canary key prefix)
    buckets: tuple[tuple[str, str], ...] = ()  # (bucket, canary prefix)


@dataclass
class SweepResult:
    removed: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # with dry_run: what would be removed
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # younger than --older-than


def targets_from_steps(region: str, steps: Iterable[Any], replica_region: str | None) -> list[SweepTarget]:
    tables = tuple((s.table, s.canaries.key_prefix) for s in steps if isinstance(s, DynamoDbPitrStep))
    buckets: list[tuple[str, str]] = []
    replicas: list[tuple[str, str]] = []
    for step in steps:
        if isinstance(step, S3ReplicationStep):
            buckets.append((step.bucket, step.canary_prefix))
            if step.replica_bucket:
                replicas.append((step.replica_bucket, step.canary_prefix))
    found = [SweepTarget(region, tables, tuple(buckets))]
    if replicas:
        found.append(SweepTarget(replica_region or region, (), tuple(replicas)))
    return found


def sweep(
    clients: ClientFactory,
    targets: list[SweepTarget],
    *,
    older_than: timedelta | None = None,
    dry_run: bool = False,
    seconds: float = 1800.0,
) -> SweepResult:
    result = SweepResult()
    cutoff = datetime.now(UTC) - (older_than or timedelta(0))
    deadline = Deadline(seconds)
    by_region: dict[str, list[SweepTarget]] = {}
    for target in targets:
        by_region.setdefault(target.region, []).append(target)
    for region, region_targets in sorted(by_region.items()):
        sources: set[tuple[str, str]] = set()
        for target in region_targets:
            sources.update(target.tables)
        for found_source in _drill_resources(clients, region, cutoff, dry_run, deadline, result):
            sources.add((found_source, "supportops-dr-canary"))
        for table, prefix in sorted(sources):
            _table_canaries(clients("dynamodb", region), table, prefix, cutoff, dry_run, result)
        for target in region_targets:
            for bucket, prefix in target.buckets:
                s3 = clients("s3", region)
                for name in (bucket, *_replica_buckets(s3, bucket)):
                    _bucket_canaries(s3, name, prefix, cutoff, dry_run, result)
    return result


def _drill_resources(
    clients: ClientFactory,
    region: str,
    cutoff: datetime,
    dry_run: bool,
    deadline: Deadline,
    result: SweepResult,
) -> set[str]:
    """Remove drill tables, DB instances and clusters; return the DynamoDB sources they were made from."""
    tables: dict[str, str | None] = {}  # name -> source table (from the tag)
    instances: set[str] = set()
    clusters: set[str] = set()
    created: dict[str, datetime] = {}
    failovers: dict[str, str] = {}  # traffic distribution group ARN -> original distribution
    try:
        for arn, tags in _tagged(clients("resourcegroupstaggingapi", region)):
            name = arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
            if tags.get(TAG_CREATED):
                with contextlib.suppress(ValueError):
                    created[name] = datetime.fromisoformat(tags[TAG_CREATED])
            if ":dynamodb:" in arn and ":table/" in arn:
                tables[name] = tags.get(TAG_SOURCE)
            elif ":rds:" in arn and ":db:" in arn:
                instances.add(name)
            elif ":rds:" in arn and ":cluster:" in arn:
                clusters.add(name)
            elif ":connect:" in arn and "traffic-distribution-group/" in arn and TAG_TELEPHONY in tags:
                failovers[arn] = tags[TAG_TELEPHONY]
            else:
                result.failed.append(
                    f"{region}: {arn} is tagged {TAG_DRILL} ({tags.get(TAG_DRILL)}); "
                    "not a type dr cleanup removes: remove it by hand"
                )
    except AWS_ERRORS as exc:
        result.failed.append(f"{region}: listing resources tagged {TAG_DRILL} failed: {describe_error(exc)}")
    ddb = clients("dynamodb", region)
    rds = clients("rds", region)
    for name in _paged_names(
        ddb, "list_tables", "TableNames", "ExclusiveStartTableName", "LastEvaluatedTableName", result, region
    ):
        if is_drill_resource_name(name):
            tables.setdefault(name, None)
    for name in _rds_names(
        rds, "describe_db_instances", "DBInstances", "DBInstanceIdentifier", result, region
    ):
        if is_drill_resource_name(name):
            instances.add(name)
    for name in _rds_names(rds, "describe_db_clusters", "DBClusters", "DBClusterIdentifier", result, region):
        if is_drill_resource_name(name):
            clusters.add(name)

    for arn, original in sorted(failovers.items()):
        _revert_failover(
            clients("connect", region),
            arn,
            original,
            created.get(arn.rsplit("/", 1)[-1]),
            cutoff,
            dry_run,
            result,
            region,
        )
    sources: set[str] = set()
    for name, source in sorted(tables.items()):
        if source:
            sources.add(source)
        else:
            source_of = _table_source(ddb, name)
            if source_of:
                sources.add(source_of)
    work: list[tuple[str, str, Callable[[Any, str, Deadline], bool], Any]]
    work = [("dynamodb table", n, delete_table, ddb) for n in sorted(tables)]
    work += [("RDS instance", n, delete_db_instance, rds) for n in sorted(instances)]
    work += [("RDS cluster", n, delete_db_cluster, rds) for n in sorted(clusters)]
    for kind, name, delete, client in work:
        label = f"{region}: {kind} {name}"
        if not is_drill_resource_name(name):
            result.failed.append(
                f"{label}: tagged {TAG_DRILL} but not named like a drill resource; not removed"
            )
            continue
        born = created.get(name) or created_at_of(name)
        if born is not None and born > cutoff:
            result.skipped.append(label)
            continue
        if dry_run:
            result.found.append(label)
            continue
        try:
            delete(client, name, deadline)
        except Exception as exc:  # every leftover gets its own attempt
            result.failed.append(f"{label}: {describe_error(exc)}")
        else:
            result.removed.append(label)
    return sources


def _revert_failover(
    connect: Any,
    arn: str,
    original: str,
    born: datetime | None,
    cutoff: datetime,
    dry_run: bool,
    result: SweepResult,
    region: str,
) -> None:
    """Put back the telephony distribution a killed failover drill recorded on the group."""
    label = f"{region}: telephony distribution of {arn} back to {original}"
    if born is not None and born > cutoff:
        result.skipped.append(label)
        return
    if dry_run:
        result.found.append(label)
        return
    try:
        connect.update_traffic_distribution(Id=arn, TelephonyConfig={"Distributions": decode(original)})
        connect.untag_resource(resourceArn=arn, tagKeys=[TAG_DRILL, TAG_CREATED, TAG_TELEPHONY])
    except AWS_ERRORS as exc:
        result.failed.append(f"{label}: {describe_error(exc)}")
    else:
        result.removed.append(label)


def _tagged(client: Any) -> Iterable[tuple[str, dict[str, str]]]:
    kwargs: dict[str, Any] = {"TagFilters": [{"Key": TAG_DRILL}], "ResourcesPerPage": 100}
    for _ in range(MAX_PAGES):
        page = client.get_resources(**kwargs)
        for entry in page.get("ResourceTagMappingList", []):
            yield entry["ResourceARN"], {t["Key"]: t["Value"] for t in entry.get("Tags", [])}
        token = page.get("PaginationToken")
        if not token:
            return
        kwargs["PaginationToken"] = token


def _paged_names(
    client: Any, method: str, key: str, start: str, last: str, result: SweepResult, region: str
) -> list[str]:
    names: list[str] = []
    kwargs: dict[str, Any] = {}
    try:
        for _ in range(MAX_PAGES):
            page = getattr(client, method)(**kwargs)
            names.extend(page.get(key, []))
            if not page.get(last):
                break
            kwargs[start] = page[last]
    except AWS_ERRORS as exc:
        result.failed.append(f"{region}: {method} failed: {describe_error(exc)}")
    return names


def _rds_names(
    client: Any, method: str, key: str, id_key: str, result: SweepResult, region: str
) -> list[str]:
    names: list[str] = []
    kwargs: dict[str, Any] = {}
    try:
        for _ in range(MAX_PAGES):
            page = getattr(client, method)(**kwargs)
            names.extend(entry[id_key] for entry in page.get(key, []))
            if not page.get("Marker"):
                break
            kwargs["Marker"] = page["Marker"]
    except AWS_ERRORS as exc:
        result.failed.append(f"{region}: {method} failed: {describe_error(exc)}")
    return names


def _table_source(ddb: Any, name: str) -> str | None:
    try:
        summary = ddb.describe_table(TableName=name)["Table"].get("RestoreSummary", {})
    except AWS_ERRORS:
        return None
    arn = summary.get("SourceTableArn")
    return str(arn).rsplit("/", 1)[-1] if arn else None


def _table_canaries(
    ddb: Any, table: str, prefix: str, cutoff: datetime, dry_run: bool, result: SweepResult
) -> None:
    try:
        schema = canaries.key_schema(ddb.describe_table(TableName=table)["Table"])
        cutoff_ns = int(cutoff.timestamp() * 1_000_000_000)
        for slot in range(canaries.MAX_SLOTS):
            key = canaries.canary_key(schema, prefix, slot)
            label = f"canary {canaries.key_text(key)} in table {table}"
            if dry_run:
                item = ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
                if item is not None and canaries.is_canary(item):
                    result.found.append(label)
                continue
            if canaries.delete_canary(ddb, table, key, written_before_ns=cutoff_ns):
                result.removed.append(label)
    except AWS_ERRORS as exc:
        if error_code(exc) == "ResourceNotFoundException":
            return  # a runbook's source that does not exist in this account/region: nothing left there
        result.failed.append(f"canaries in table {table}: {describe_error(exc)}")
    except ValueError as exc:
        result.failed.append(f"canaries in table {table}: {exc}")


def _replica_buckets(s3: Any, bucket: str) -> list[str]:
    """Destinations of the bucket's replication rules (the canary may have reached them)."""
    try:
        rules = s3.get_bucket_replication(Bucket=bucket)["ReplicationConfiguration"].get("Rules", [])
    except AWS_ERRORS:
        return []
    return sorted({str(r["Destination"]["Bucket"]).rsplit(":", 1)[-1] for r in rules if "Destination" in r})


def _bucket_canaries(
    s3: Any, bucket: str, prefix: str, cutoff: datetime, dry_run: bool, result: SweepResult
) -> None:
    try:
        if dry_run:
            page = s3.list_object_versions(Bucket=bucket, Prefix=prefix)
            for entry in page.get("Versions", []) + page.get("DeleteMarkers", []):
                if entry["LastModified"] < cutoff:
                    result.found.append(f"canary object s3://{bucket}/{entry['Key']} ({entry['VersionId']})")
            return
        count = remove_object_versions(s3, bucket, prefix, older_than=cutoff)
        if count:
            result.removed.append(f"{count} canary object versions under s3://{bucket}/{prefix}")
    except AWS_ERRORS as exc:
        if error_code(exc) == "NoSuchBucket":
            return
        result.failed.append(f"canary objects in s3://{bucket}/{prefix}: {describe_error(exc)}")
