"""Removing drill resources (restored tables, DB instances and clusters): idempotent, bounded, and
refusing anything that is not a drill resource (name shape ``dr-<stamp>-<hex>-<step>``)."""

from __future__ import annotations

from typing import Any

from supportops.runbooks.dr.aws import error_code
from supportops.runbooks.dr.naming import is_drill_resource_name
from supportops.runbooks.dr.polling import Deadline, poll_until

_GONE = {
    "ResourceNotFoundException",
    "DBInstanceNotFound",
    "DBInstanceNotFoundFault",
    "DBClusterNotFoundFault",
}


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
    current = poll_until(
        f"DB instance {identifier} deletable",
        lambda: _db_status(client, identifier, False),
        lambda s: s not in _BUSY,
        deadline,
        poll,
        max_interval=60,
    )
    if current in ("gone", "deleting"):
        return current == "deleting"
    try:
        client.delete_db_instance(
            DBInstanceIdentifier=identifier, SkipFinalSnapshot=True, DeleteAutomatedBackups=True
        )
    except Exception as exc:
        if error_code(exc) in _GONE:
            return False
        raise
    return True


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
    current = poll_until(
        f"DB cluster {identifier} deletable",
        lambda: _db_status(client, identifier, True),
        lambda s: s not in _BUSY,
        deadline,
        poll,
        max_interval=60,
    )
    if current in ("gone", "deleting"):
        return current == "deleting"
    try:
        client.delete_db_cluster(DBClusterIdentifier=identifier, SkipFinalSnapshot=True)
    except Exception as exc:
        if error_code(exc) in _GONE:
            return False
        raise
    return True
