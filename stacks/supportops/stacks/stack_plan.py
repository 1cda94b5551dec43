"""Plan a stack of a phased project, feeding each later phase the planned outputs of the phases
before it (what its StackReferences would read after their `pulumi up`).

It lives with the stacks because it knows the platform's phases (`<env>-<phase>` stack names); the
planner it drives is the core's (supportops.inventory.offline_plan)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from supportops.inventory.model import Inventory
from supportops.inventory.offline_plan import PlanRequest, plan_program
from supportops.inventory.offline_plan.watchdog import DEFAULT_SECONDS
from supportops.stacks.config import Phase

_PHASE_SUFFIXES = {f"-{phase.value}": phase for phase in Phase}


def upstream_stacks(stack: str) -> list[str]:
    """For ``<env>-<phase>``, the stacks of the earlier phases, in order; [] for other names."""
    for suffix, phase in _PHASE_SUFFIXES.items():
        if stack.endswith(suffix):
            environment = stack[: -len(suffix)]
            earlier = list(Phase)[: list(Phase).index(phase)]
            return [f"{environment}-{p.value}" for p in earlier]
    return []


def plan_stack(
    project_dir: Path,
    stack: str,
    *,
    preview: bool = False,
    watchdog_seconds: float = DEFAULT_SECONDS,
    hard_exit: Callable[[str], None] | None = None,
) -> Inventory:
    references: dict[str, dict[str, Any]] = {}
    for upstream in upstream_stacks(stack):
        if (project_dir / f"Pulumi.{upstream}.yaml").is_file():
            planned = plan_program(
                PlanRequest(
                    project_dir,
                    upstream,
                    stack_references=references,
                    watchdog_seconds=watchdog_seconds,
                    hard_exit=hard_exit,
                )
            )
            references[upstream] = planned.outputs
    return plan_program(
        PlanRequest(
            project_dir,
            stack,
            stack_references=references,
            preview=preview,
            watchdog_seconds=watchdog_seconds,
            hard_exit=hard_exit,
        )
    )
