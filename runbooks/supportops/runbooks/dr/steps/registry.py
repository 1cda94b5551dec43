"""The closed set of DR step types. Adding one: a new module in ``steps/`` and one entry below.

Everything that needs to know the types — the runbook schema's discriminated union, the executor, the
plan, `dr cleanup`, the local demo — asks the registry, never a type name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Union

from pydantic import Field, create_model

from supportops.runbooks.dr.leftovers import ResourceKind
from supportops.runbooks.dr.schema import Runbook, StepSpec
from supportops.runbooks.dr.steps.backup_restore import BackupRestore
from supportops.runbooks.dr.steps.base import StepType
from supportops.runbooks.dr.steps.connect_readiness import ConnectReadiness
from supportops.runbooks.dr.steps.dynamodb_pitr import DynamoDbPitr
from supportops.runbooks.dr.steps.rds_pitr import RdsPitr
from supportops.runbooks.dr.steps.s3_replication import S3Replication

STEP_TYPES: tuple[StepType[Any], ...] = (
    DynamoDbPitr(),
    RdsPitr(),
    S3Replication(),
    BackupRestore(),
    ConnectReadiness(),
)


class StepRegistry:
    """Step types by name, and the runbook model whose ``steps`` are exactly their schemas."""

    def __init__(self, types: Iterable[StepType[Any]]) -> None:
        self.types = tuple(types)
        if not self.types:
            raise ValueError("a registry needs at least one step type")
        self._by_name = {t.name: t for t in self.types}
        if len(self._by_name) != len(self.types):
            raise ValueError(f"step type names are not unique: {[t.name for t in self.types]}")
        self.runbook_model = _runbook_model(tuple(t.schema for t in self.types))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._by_name)

    def of(self, step: StepSpec) -> StepType[Any]:
        return self._by_name[step.type]

    def with_types(self, *more: StepType[Any]) -> StepRegistry:
        """This registry plus ``more`` (e.g. a team's own step type, or a test's)."""
        return StepRegistry((*self.types, *more))

    def resource_kinds(self) -> tuple[ResourceKind, ...]:
        """Every kind of drill resource the types create, each once, in registry order."""
        kinds: dict[int, ResourceKind] = {}
        for step_type in self.types:
            for kind in step_type.creates:
                kinds.setdefault(id(kind), kind)
        return tuple(kinds.values())


def _runbook_model(schemas: tuple[type[StepSpec], ...]) -> type[Runbook]:
    member: Any = Union[schemas] if len(schemas) > 1 else schemas[0]  # noqa: UP007 - built at run time
    step = Annotated[member, Field(discriminator="type")]
    steps: Any = Annotated[list[step], Field(min_length=1)]  # type: ignore[valid-type]
    model: type[Runbook] = create_model("Runbook", __base__=Runbook, steps=(steps, ...))
    return model


REGISTRY = StepRegistry(STEP_TYPES)
