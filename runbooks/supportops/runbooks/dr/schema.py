"""The DR runbook schema: a runbook names the targets it is measured against and its steps.

Field names are camelCase in YAML and snake_case in Python; unknown keys are rejected, step names are
unique, every wait has an upper bound. What a step of each ``type`` holds is declared by its step type
(``steps/<type>.py``); the union of those schemas is built by ``steps/registry.py``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from supportops.models import CamelInputModel, repeated
from supportops.stacks.config.model import AWS_REGION_PATTERN

# Step names become part of drill resource names (RDS identifiers: letters, digits, single hyphens).
STEP_NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
STEP_NAME_MAX = 32
RUNBOOK_NAME_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
DAY_SECONDS = 86_400.0

Region = Annotated[str, Field(pattern=AWS_REGION_PATTERN)]
Seconds = Annotated[float, Field(gt=0, le=DAY_SECONDS)]
PollSeconds = Annotated[float, Field(gt=0, le=300)]


class TargetOverrides(CamelInputModel):
    """Targets stated in the runbook itself; they win over the stack file's ``resilience`` block."""

    rto_minutes: Annotated[float, Field(gt=0, le=7 * 24 * 60)] | None = None
    rpo_minutes: Annotated[float, Field(gt=0, le=7 * 24 * 60)] | None = None


class StepSpec(CamelInputModel):
    """What every step has. A step type's schema subclasses this with ``type: Literal["<its name>"]``."""

    type: str
    name: Annotated[str, Field(pattern=STEP_NAME_PATTERN, max_length=STEP_NAME_MAX)]
    description: str = ""
    # The whole step (restore, waits, verification) ends by then; cleanup has its own bound.
    timeout_seconds: Seconds = 3600.0
    poll_seconds: PollSeconds = 10.0


class Runbook(CamelInputModel):
    """A runbook; ``steps`` is narrowed to the registry's discriminated union by ``StepRegistry``."""

    name: Annotated[str, Field(pattern=RUNBOOK_NAME_PATTERN, max_length=64)]
    description: str = ""
    # "example": for platforms that have the data store (e.g. a database); listed, never scheduled.
    status: Literal["active", "example"] = "active"
    # Read targets (and the region) from Pulumi.<stack>.yaml, the config the stacks use.
    stack: Annotated[str, Field(pattern=r"^[A-Za-z0-9_./-]{1,100}$")] | None = None
    region: Region | None = None
    targets: TargetOverrides = TargetOverrides()
    steps: Annotated[list[StepSpec], Field(min_length=1)]

    @field_validator("steps", mode="after")
    @classmethod
    def _unique_step_names(cls, value: list[StepSpec]) -> list[StepSpec]:
        names = [step.name for step in value]
        duplicates = repeated(names)
        if duplicates:
            raise ValueError(f"duplicate step names: {', '.join(duplicates)}")
        return value
