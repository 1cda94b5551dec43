"""The shared work of one ``comply`` run over one or several stacks of a project.

Each program is planned once (earlier phases reused for the StackReferences of later ones), from the
cache when nothing it depends on changed; checkov scans every stack's plan and the project's secrets
in ONE process (:mod:`supportops.policies.checkov.joint`), in a thread, while our rules evaluate.
When a program has to run, checkov is started at the same time so that its start-up (seconds of
imports) overlaps with the planning.

A :func:`session` holds this work for the per-stack reports; commands ask it for a stack's inventory
(:meth:`StackRun.inventory`) and checkov outcomes (:meth:`StackRun.checkov_results`).
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from supportops.cache.store import Cache, using
from supportops.policies.checkov.runner import CheckovProcess

if TYPE_CHECKING:
    from supportops.inventory.model import Inventory
    from supportops.policies.checkov.joint import JointScan
    from supportops.policies.checkov.scan import CheckovOutcome


@dataclass
class StackRun:
    project: Path
    stacks: list[str]
    cache: Cache
    checkov: bool
    preview: bool = False
    hard_exit: Callable[[str], None] | None = None
    inventories: dict[str, Inventory] | None = None
    planned: int = 0  # programs that ran (not answered from the cache)
    programs: int = 0  # programs the run needed (earlier phases included)
    scan: Future[JointScan] | None = None
    _process: CheckovProcess = field(default_factory=CheckovProcess)
    _executor: ThreadPoolExecutor | None = None

    def inventory(self, stack: str) -> Inventory:
        """The plan of ``stack`` (the first call plans every stack of the run and starts checkov)."""
        if self.inventories is None:
            from supportops.stacks.stack_plan import plan_stacks

            def overlap(_stack: str) -> None:
                self.planned += 1
                if self.checkov:
                    self._process.start(self.project)

            self.inventories = plan_stacks(
                self.project, self.stacks, cache=self.cache, preview=self.preview,
                hard_exit=self.hard_exit, on_miss=overlap, on_plan=self._count,
            )
            if self.checkov:
                # Imported once the plans exist: planning (and checkov's start) goes first.
                from supportops.policies.checkov.joint import scan_stacks

                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checkov")
                self.scan = self._executor.submit(
                    scan_stacks, self.inventories, secrets_root=self.project, cache=self.cache,
                    process=self._process,
                )
        return self.inventories[stack]

    def _count(self, _stack: str) -> None:
        self.programs += 1

    def checkov_results(self, stack: str) -> Callable[[], list[CheckovOutcome]]:
        """Waits for the joint scan; this stack's plan outcome and (a copy of) the secrets outcome."""

        def results() -> list[CheckovOutcome]:
            self.inventory(stack)
            assert self.scan is not None
            joint = self.scan.result()
            outcomes = [copy.deepcopy(joint.plans[stack])]
            if joint.secrets is not None:
                outcomes.append(copy.deepcopy(joint.secrets))
            return outcomes

        return results

    def summary(self) -> str:
        """One line: what came from the cache and what ran (empty before anything was planned)."""
        if self.inventories is None:
            return ""
        plans = f"{self.planned} of {self.programs} program(s) run"
        if self.scan is None or not self.scan.done() or self.scan.exception() is not None:
            return f"cache: {plans}"
        joint = self.scan.result()
        checkov = (
            f"checkov ran once ({joint.checkov_seconds:.1f} s)" if joint.checkov_runs else "checkov not run"
        )
        return (
            f"cache: {plans}; checkov rescanned {joint.resources_scanned} of "
            f"{joint.resources_scanned + joint.resources_cached} resources and {joint.files_scanned} of "
            f"{joint.files_scanned + joint.files_cached} files; {checkov}"
        )

    def close(self) -> None:
        self._process.close()  # first: a scan still running ends now instead of being waited for
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


_CURRENT: ContextVar[StackRun | None] = ContextVar("supportops_stack_run", default=None)


def current() -> StackRun | None:
    return _CURRENT.get()


@contextlib.contextmanager
def session(
    project: Path,
    stacks: Sequence[str],
    *,
    cache: Cache,
    checkov: bool,
    preview: bool = False,
    hard_exit: Callable[[str], None] | None = None,
) -> Iterator[StackRun]:
    run = StackRun(project, list(stacks), cache, checkov, preview, hard_exit)
    token = _CURRENT.set(run)
    try:
        with using(cache):  # also for the rules' helpers (the program secrets scan)
            yield run
    finally:
        _CURRENT.reset(token)
        run.close()
