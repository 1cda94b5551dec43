"""Removing drill resources (restored tables, DB instances and clusters): idempotent, bounded, and
refusing anything that is not a drill resource (name shape ``dr-<stamp>-<hex>-<step>``).

Idempotent under botocore's retries too: a delete whose first response was lost is retried by botocore
and answered "not found" or "already being deleted"; both mean the delete took effect. The
:class:`ResourceKind` s here tell ``dr cleanup`` how to find and remove each kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from supportops.polling import Deadline, poll_until
from supportops.runbooks.dr.aws import AWS_ERRORS, describe_error, error_code
from supportops.runbooks.dr.canaries import DEFAULT_KEY_PREFIX, TableCanaries
from supportops.runbooks.dr.leftovers import CanarySite, ResourceKind, SweepScope
from supportops.runbooks.dr.naming import TAG_SOURCE, is_drill_resource_name

MAX_PAGES = 100

_GONE = {
    "ResourceNotFoundException",
    "DBInstanceNotFound",
    "DBInstanceNotFoundFault",
    "DBClusterNotFoundFault",
}
# A retried delete of something our first attempt already started deleting.
_BEING_DELETED = {"ResourceInUseException", "InvalidDBInstanceState", "InvalidDBClusterStateFault"}
_GOING = ("deleting", "gone")


def _guard(name: str) -> None:
    if not is_drill_resource_name(name):
        raise ValueError(f"refusing to delete {name!r}: not a drill resource name")


def delete_table(client: Any, name: str, deadline: Deadline, poll: float = 2.0) -> bool:
    """Delete a drill table once it can be deleted (a restore keeps it CREATING). False if absent."""
    _guard(name)

    def status() -> str:
        try:
            return str(client.describe_table(TableName=name)["Table"]["TableStatus"])
        except Exception as exc:
            if error_code(exc) in _GONE:
                return "GONE"
            raise

    current = poll_until(
        f"table {name} deletable",
        status,
        lambda s: s not in ("CREATING", "UPDATING"),
        deadline,
        poll,
        max_interval=15,
    )
    if current == "GONE":
        return False
    if current == "DELETING":
        return True
    description = client.describe_table(TableName=name)["Table"]
    if description.get("DeletionProtectionEnabled"):
        client.update_table(TableName=name, DeletionProtectionEnabled=False)
    try:
        client.delete_table(TableName=name)
    except Exception as exc:
        if error_code(exc) in _GONE:
            return False
        if error_code(exc) in _BEING_DELETED and status() in ("DELETING", "GONE"):
            return True
        raise
    return True


def _db_status(client: Any, identifier: str, cluster: bool) -> str:
    try:
        if cluster:
            return str(client.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]["Status"])
        return str(
            client.describe_db_instances(DBInstanceIdentifier=identifier)["DBInstances"][0][
                "DBInstanceStatus"
            ]
        )
    except Exception as exc:
        if error_code(exc) in _GONE:
            return "gone"
        raise


_BUSY = (
    "creating",
    "backing-up",
    "modifying",
    "configuring-enhanced-monitoring",
    "starting",
    "rebooting",
    "upgrading",
    "renaming",
    "resetting-master-credentials",
    "storage-optimization",
)


def delete_db_instance(client: Any, identifier: str, deadline: Deadline, poll: float = 10.0) -> bool:
    _guard(identifier)
    return _delete_when_idle(
        client,
        identifier,
        cluster=False,
        delete=lambda: client.delete_db_instance(
            DBInstanceIdentifier=identifier, SkipFinalSnapshot=True, DeleteAutomatedBackups=True
        ),
        deadline=deadline,
        poll=poll,
    )


def delete_db_cluster(client: Any, identifier: str, deadline: Deadline, poll: float = 10.0) -> bool:
    """Delete a drill cluster after its member instances are gone (their deletion takes minutes)."""
    _guard(identifier)

    def members() -> int:
        try:
            cluster = client.describe_db_clusters(DBClusterIdentifier=identifier)["DBClusters"][0]
        except Exception as exc:
            if error_code(exc) in _GONE:
                return -1
            raise
        return len(cluster.get("DBClusterMembers", []))

    remaining = poll_until(
        f"DB cluster {identifier} without instances",
        members,
        lambda n: n <= 0,
        deadline,
        poll,
        max_interval=60,
    )
    if remaining < 0:
        return False
    return _delete_when_idle(
        client,
        identifier,
        cluster=True,
        delete=lambda: client.delete_db_cluster(DBClusterIdentifier=identifier, SkipFinalSnapshot=True),
        deadline=deadline,
        poll=poll,
    )


def _delete_when_idle(
    client: Any, identifier: str, *, cluster: bool, delete: Callable[[], Any], deadline: Deadline, poll: float
) -> bool:
    """Wait until the instance or cluster accepts a delete, then delete it. True when a deletion is
    under way (ours, or one a retried call already started); False when it was already gone."""
    kind = "cluster" if cluster else "instance"
    current = poll_until(
        f"DB {kind} {identifier} deletable",
        lambda: _db_status(client, identifier, cluster),
        lambda s: s not in _BUSY,
        deadline,
        poll,
        max_interval=60,
    )
    if current in ("gone", "deleting"):
        return current == "deleting"
    try:
        delete()
    except Exception as exc:
        if error_code(exc) in _GONE:
            return False
        if error_code(exc) in _BEING_DELETED and _db_status(client, identifier, cluster) in _GOING:
            return True
        raise
    return True


# --- what `dr cleanup` looks for --------------------------------------------------------------------


class DynamoDbTables(ResourceKind):
    """Restored drill tables; their source tables may still hold canaries."""

    # ... and the canary sweep of the source tables leftovers point at.
    api_calls = (
        "dynamodb:DeleteTable",
        "dynamodb:DescribeTable",
        "dynamodb:ListTables",
        "dynamodb:UpdateTable",
        *TableCanaries.api_calls,
    )

    def claims(self, arn: str, tags: dict[str, str]) -> bool:
        return ":dynamodb:" in arn and ":table/" in arn

    def names(self, scope: SweepScope) -> list[str]:
        ddb = scope.clients("dynamodb", scope.region)
        found: list[str] = []
        kwargs: dict[str, Any] = {}
        try:
            for _ in range(MAX_PAGES):
                page = ddb.list_tables(**kwargs)
                found.extend(page.get("TableNames", []))
                if not page.get("LastEvaluatedTableName"):
                    break
                kwargs["ExclusiveStartTableName"] = page["LastEvaluatedTableName"]
        except AWS_ERRORS as exc:
            scope.result.failed.append(f"{scope.region}: list_tables failed: {describe_error(exc)}")
        return found

    def label(self, name: str, arn: str | None, tags: dict[str, str]) -> str:
        return f"dynamodb table {name}"

    def canary_sites(self, scope: SweepScope, name: str, tags: dict[str, str]) -> tuple[CanarySite, ...]:
        source = tags.get(TAG_SOURCE) or _table_source(scope.clients("dynamodb", scope.region), name)
        return (TableCanaries(scope.region, source, DEFAULT_KEY_PREFIX),) if source else ()

    def remove(self, scope: SweepScope, name: str, arn: str | None, tags: dict[str, str]) -> None:
        delete_table(scope.clients("dynamodb", scope.region), name, scope.deadline)


def _table_source(ddb: Any, name: str) -> str | None:
    try:
        summary = ddb.describe_table(TableName=name)["Table"].get("RestoreSummary", {})
    except AWS_ERRORS:
        return None
    arn = summary.get("SourceTableArn")
    return str(arn).rsplit("/", 1)[-1] if arn else None


class _RdsKind(ResourceKind):
    _method: str
    _list_key: str
    _id_key: str
    _arn_part: str
    _label: str

    def claims(self, arn: str, tags: dict[str, str]) -> bool:
        return ":rds:" in arn and self._arn_part in arn

    def names(self, scope: SweepScope) -> list[str]:
        rds = scope.clients("rds", scope.region)
        found: list[str] = []
        kwargs: dict[str, Any] = {}
        try:
            for _ in range(MAX_PAGES):
                page = getattr(rds, self._method)(**kwargs)
                found.extend(entry[self._id_key] for entry in page.get(self._list_key, []))
                if not page.get("Marker"):
                    break
                kwargs["Marker"] = page["Marker"]
        except AWS_ERRORS as exc:
            scope.result.failed.append(f"{scope.region}: {self._method} failed: {describe_error(exc)}")
        return found

    def label(self, name: str, arn: str | None, tags: dict[str, str]) -> str:
        return f"{self._label} {name}"


class RdsInstances(_RdsKind):
    api_calls = ("rds:DeleteDBInstance", "rds:DescribeDBInstances")
    _method, _list_key, _id_key = "describe_db_instances", "DBInstances", "DBInstanceIdentifier"
    _arn_part, _label = ":db:", "RDS instance"

    def remove(self, scope: SweepScope, name: str, arn: str | None, tags: dict[str, str]) -> None:
        delete_db_instance(scope.clients("rds", scope.region), name, scope.deadline)


class RdsClusters(_RdsKind):
    api_calls = ("rds:DeleteDBCluster", "rds:DescribeDBClusters")
    _method, _list_key, _id_key = "describe_db_clusters", "DBClusters", "DBClusterIdentifier"
    _arn_part, _label = ":cluster:", "RDS cluster"

    def remove(self, scope: SweepScope, name: str, arn: str | None, tags: dict[str, str]) -> None:
        delete_db_cluster(scope.clients("rds", scope.region), name, scope.deadline)


DYNAMODB_TABLES = DynamoDbTables()
RDS_INSTANCES = RdsInstances()
RDS_CLUSTERS = RdsClusters()
