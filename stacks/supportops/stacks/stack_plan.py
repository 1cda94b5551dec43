"""Plan the stacks of a phased project, feeding each later phase the planned outputs of the phases
before it (what its StackReferences would read after their `pulumi up`).

It lives with the stacks because it knows the platform's phases (`<env>-<phase>` stack names); the
planner it drives is the core's (supportops.inventory.offline_plan). :func:`plan_stacks` plans each
program once per run, however many of the requested stacks read it, and with a cache
(:mod:`supportops.cache.plans`) only the programs whose inputs changed run at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from supportops.cache.plans import PlanInputs, cached_plan
from supportops.cache.store import Cache, NoCache
from supportops.inventory.model import Inventory
from supportops.stacks.config import Phase

DEFAULT_WATCHDOG_SECONDS: Final = 30.0  # the planner's own default (offline_plan.watchdog), kept in step
_PHASE_SUFFIXES = {f"-{phase.value}": phase for phase in Phase}


def upstream_stacks(stack: str) -> list[str]:
    """For ``<env>-<phase>``, the stacks of the earlier phases, in order; [] for other names."""
    for suffix, phase in _PHASE_SUFFIXES.items():
        if stack.endswith(suffix):
            environment = stack[: -len(suffix)]
            earlier = list(Phase)[: list(Phase).index(phase)]
            return [f"{environment}-{p.value}" for p in earlier]
    return []


def project_stacks(project_dir: Path) -> list[str]:
    """Every stack of the project (a ``Pulumi.<stack>.yaml`` beside Pulumi.yaml), each environment's
    phases in phase order."""
    names = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))
    order = {phase: index for index, phase in enumerate(Phase)}

    def rank(stack: str) -> tuple[str, int, str]:
        for suffix, phase in _PHASE_SUFFIXES.items():
            if stack.endswith(suffix):
                return stack[: -len(suffix)], order[phase], stack
        return stack, -1, stack

    return sorted(names, key=rank)


def plan_stacks(
    project_dir: Path,
    stacks: Sequence[str],
    *,
    cache: Cache | None = None,
    preview: bool = False,
    watchdog_seconds: float = DEFAULT_WATCHDOG_SECONDS,
    hard_exit: Callable[[str], None] | None = None,
    on_plan: Callable[[str], None] = lambda _stack: None,
    on_miss: Callable[[str], None] = lambda _stack: None,
) -> dict[str, Inventory]:
    """The plans of ``stacks`` (by name, in the order asked). Each program runs at most once: an
    earlier phase that several requested stacks read is planned once and its outputs reused. Earlier
    phases are planned as `pulumi up` would have left them (never as a preview). ``on_miss`` is told
    each stack whose program is about to run (not answered from the cache)."""
    store = cache if cache is not None else NoCache()
    planned: dict[str, Inventory] = {}

    def plan(stack: str, *, as_preview: bool) -> Inventory:
        references: dict[str, dict[str, Any]] = {}
        for upstream in upstream_stacks(stack):
            if (project_dir / f"Pulumi.{upstream}.yaml").is_file():
                if upstream not in planned:
                    planned[upstream] = plan(upstream, as_preview=False)
                references[upstream] = planned[upstream].outputs
        on_plan(stack)
        inputs = PlanInputs(project_dir, stack, stack_references=references, preview=as_preview)
        planner = _planner(watchdog_seconds, hard_exit)
        return cached_plan(store, inputs, planner, on_miss=lambda: on_miss(stack))

    results: dict[str, Inventory] = {}
    for stack in stacks:
        if stack in planned and not preview:
            results[stack] = planned[stack]
            continue
        inventory = plan(stack, as_preview=preview)
        if not preview:
            planned[stack] = inventory
        results[stack] = inventory
    store.trim()
    return results


def plan_stack(
    project_dir: Path,
    stack: str,
    *,
    preview: bool = False,
    watchdog_seconds: float = DEFAULT_WATCHDOG_SECONDS,
    hard_exit: Callable[[str], None] | None = None,
    cache: Cache | None = None,
) -> Inventory:
    """One stack's plan (its earlier phases planned first for their outputs)."""
    return plan_stacks(
        project_dir, [stack], cache=cache, preview=preview, watchdog_seconds=watchdog_seconds,
        hard_exit=hard_exit,
    )[stack]


def _planner(
    watchdog_seconds: float, hard_exit: Callable[[str], None] | None
) -> Callable[[PlanInputs], Inventory]:
    def run(inputs: PlanInputs) -> Inventory:
        # Imports Pulumi: only when a program actually runs (a cache hit never gets here).
        from supportops.inventory.offline_plan import PlanRequest, plan_program

        return plan_program(
            PlanRequest(
                inputs.project_dir,
                inputs.stack,
                stack_references=inputs.stack_references,
                preview=inputs.preview,
                watchdog_seconds=watchdog_seconds,
                hard_exit=hard_exit,
                use_project_virtualenv=inputs.use_project_virtualenv,
            )
        )

    return run
