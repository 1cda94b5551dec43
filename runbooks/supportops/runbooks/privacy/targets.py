"""The data map bound to one deployment: each store's resource name from the stack outputs and its
retention from the stack config (never a hard-coded name)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supportops.errors import BadInput
from supportops.loading import STATE_LIMITS, load_document
from supportops.runbooks.privacy.schema import DataMap, Service, Store
from supportops.stacks.components.resilience.schedule import backup_schedule
from supportops.stacks.config import DataClassName, StackConfig


@dataclass(frozen=True)
class Target:
    store: Store
    resource: str | None  # None: the outputs do not have it (not deployed in these stacks)
    retention_days: int
    max_days: int
    backup_retention_days: int  # the AWS Backup plan's, sized from the resilience targets
    lake_query: LakeQuery | None = None  # lake stores: where Athena finds their records


@dataclass(frozen=True)
class LakeQuery:
    database: str
    workgroup: str


def load_outputs(path: Path) -> dict[str, Any]:
    """``pulumi stack output --json`` of one stack, or the outputs of several merged into one mapping."""
    document = load_document(path, limits=STATE_LIMITS, fmt="json")
    if not isinstance(document.data, dict):
        raise document.problem([], "expected a mapping of stack output names to values")
    return document.data


def resolve(data_map: DataMap, outputs: Mapping[str, Any], config: StackConfig) -> list[Target]:
    targets = []
    backups = backup_schedule(config.resilience).retention_days
    crm = f"{config.crm.provider.value}:{config.crm.instance}"
    for store in data_map.stores:
        try:
            data_class = config.data_class(DataClassName(store.data_class))
        except ValueError:
            known = ", ".join(c.value for c in DataClassName)
            raise BadInput.at(
                "data map", f"stores.{store.name}.dataClass", f"unknown data class; known: {known}"
            ) from None
        targets.append(
            Target(
                store,
                crm if store.service is Service.CRM else _resource(store, outputs.get(store.output or "")),
                data_class.retention_days,
                data_class.max_days,
                backups,
                _lake_query(store, outputs),
            )
        )
    return targets


def _lake_query(store: Store, outputs: Mapping[str, Any]) -> LakeQuery | None:
    if store.lake is None:
        return None
    names = []
    for output in (store.lake.database_output, store.lake.workgroup_output):
        value = outputs.get(output)
        if value is None:
            return None  # not deployed: the store is reported as such (its bucket output decides)
        if not isinstance(value, str) or not value:
            raise BadInput.at("outputs", output, "expected a resource name (text)")
        names.append(value)
    return LakeQuery(*names)


def _resource(store: Store, value: Any) -> str | None:
    if store.output is None:
        return None
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise BadInput.at("outputs", store.output, "expected a resource name (text)")
    return store.name_format.format(value=value, arnName=value.rsplit(":", 1)[-1])
