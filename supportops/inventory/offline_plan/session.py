"""Run one Pulumi Python program in this interpreter under the mock runtime, from a fully resolved
:class:`ProgramSpec`. Needs only the Pulumi SDK and the standard library, so the same code runs in a
project's own virtualenv (see :mod:`.isolated`)."""

from __future__ import annotations

import asyncio
import contextvars
import os
import runpy
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.config import set_all_config
from pulumi.runtime.settings import SETTINGS, configure
from pulumi.runtime.stack import register_stack_transformation, run_in_stack

from supportops.errors import SupportopsError
from supportops.inventory.model import Inventory, Resource, Source, SourceKind
from supportops.inventory.offline_plan.mocks import PlanMocks
from supportops.inventory.offline_plan.recorder import RecordingMonitor
from supportops.inventory.offline_plan.source_locations import SourceRecorder
from supportops.inventory.offline_plan.urns import default_provider_urn
from supportops.inventory.offline_plan.watchdog import DEFAULT_SECONDS, Watchdog


class ProgramFailed(SupportopsError):
    """The planned program raised; the message points at the program's own frame."""


class ProgramStuck(SupportopsError):
    """The program stopped making progress; the message names what it was waiting for."""


@dataclass
class ProgramSpec:
    """Everything needed to plan a program, resolved from Pulumi.yaml and the stack file."""

    project_dir: Path
    main: Path
    project: str
    stack: str
    region: str
    config: dict[str, str]  # namespaced key -> string value, as the engine hands it to the program
    secret_keys: list[str]
    plain_config: dict[str, Any]  # non-secret values as written, for the inventory
    stack_references: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    preview: bool = False
    watchdog_seconds: float = DEFAULT_SECONDS

    def to_json(self) -> dict[str, Any]:
        return {
            "project_dir": str(self.project_dir),
            "main": str(self.main),
            "project": self.project,
            "stack": self.stack,
            "region": self.region,
            "config": self.config,
            "secret_keys": self.secret_keys,
            "plain_config": self.plain_config,
            "stack_references": {k: dict(v) for k, v in self.stack_references.items()},
            "preview": self.preview,
            "watchdog_seconds": self.watchdog_seconds,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProgramSpec:
        return cls(**{**data, "project_dir": Path(data["project_dir"]), "main": Path(data["main"])})


def run_program(spec: ProgramSpec, *, hard_exit: Callable[[str], None] | None = None) -> Inventory:
    mocks = PlanMocks(region=spec.region, stack_references=spec.stack_references, preview=spec.preview)
    monitor = RecordingMonitor(mocks)
    sources = SourceRecorder(spec.project_dir, spec.main)  # each resource's declaring program line
    stuck: list[str] = []

    def run() -> None:
        set_all_config(spec.config, spec.secret_keys)
        configure(
            pulumi_mocks.MockSettings(  # type: ignore[no-untyped-call]
                monitor=monitor,
                monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),  # type: ignore[no-untyped-call]
                engine=pulumi_mocks.MockEngine(None),
                project=spec.project,
                stack=spec.stack,
                dry_run=spec.preview,
                organization="organization",
                callbacks=None,
            )
        )
        _forget_stale_outputs()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        watchdog = Watchdog(loop, monitor, spec.watchdog_seconds, hard_exit=hard_exit)
        try:
            with _program_environment(spec.main), _without_stack_traces(), watchdog:
                try:
                    loop.run_until_complete(run_in_stack(lambda: _run_main(spec.main, sources)))
                except (asyncio.CancelledError, KeyboardInterrupt):
                    if watchdog.message is None:
                        raise
                except Exception:
                    if watchdog.message is None:
                        raise
            if watchdog.message is not None:
                stuck.append(watchdog.message)
        finally:
            _close(loop, monitor, clean=watchdog.message is None)
            asyncio.set_event_loop(None)

    try:
        # A fresh context: the SDK keeps its root resource and config in context variables.
        contextvars.Context().run(run)
    except SupportopsError:
        raise
    except Exception as exc:
        raise ProgramFailed(_describe_failure(exc, spec.project_dir)) from exc
    if stuck:
        raise ProgramStuck(stuck[0])
    return _inventory(spec, monitor, sources)


def _forget_stale_outputs() -> None:
    """The SDK tracks pending outputs in one set that outlives a run; a program stopped by the
    watchdog leaves tasks of its closed loop there, and the next run would wait on them."""
    outputs = SETTINGS.outputs
    if isinstance(outputs, set):
        with SETTINGS.lock:
            outputs.difference_update(
                {t for t in outputs if isinstance(t, asyncio.Future) and t.get_loop().is_closed()}
            )


def _close(loop: asyncio.AbstractEventLoop, monitor: RecordingMonitor, *, clean: bool) -> None:
    """Finish every task before closing the loops, so nothing is left for the garbage collector to
    complain about ("Task was destroyed but it is pending", BaseEventLoop.__del__)."""
    for each in [loop, *monitor.thread_loops]:
        if each.is_closed() or each.is_running():
            continue
        try:
            pending = asyncio.all_tasks(each)
            for task in pending:
                task.cancel()
            if pending:
                each.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            each.run_until_complete(each.shutdown_asyncgens())
            if each is loop and clean:
                # Joins the SDK's executor threads; a stopped program may have one stuck: only then.
                each.run_until_complete(each.shutdown_default_executor())
        except (asyncio.CancelledError, RuntimeError):
            pass  # a loop another thread still uses, or a stop arriving late: closing is enough
        finally:
            each.close()


def _inventory(
    spec: ProgramSpec, monitor: RecordingMonitor, sources: SourceRecorder | None = None
) -> Inventory:
    # A resource's region: its own `region` input, else its explicit provider's, else the stack's.
    provider_regions = {
        reg.urn: reg.inputs["region"]
        for reg in monitor.registrations.values()
        if reg.type.startswith("pulumi:providers:") and isinstance(reg.inputs.get("region"), str)
    }
    resources = []
    # Registration order depends on the event loop; sort for a reproducible inventory.
    for reg in sorted(monitor.registrations.values(), key=lambda r: r.urn):
        provider = reg.provider
        if provider is None and reg.custom and not reg.type.startswith("pulumi:"):
            provider = default_provider_urn(spec.stack, spec.project, reg.type)
        declared_region = reg.inputs.get("region")
        if not isinstance(declared_region, str):
            declared_region = provider_regions.get(provider or "", spec.region)
        resources.append(
            Resource(
                urn=reg.urn,
                type=reg.type,
                name=reg.name,
                custom=reg.custom,
                parent=reg.parent,
                dependencies=reg.dependencies,
                provider=provider,
                inputs=reg.inputs,
                outputs=reg.outputs,
                id=reg.id,
                region=declared_region,
                invented=reg.invented,
                evaluated=reg.evaluated,
                source_location=sources.location_for(reg.urn) if sources is not None else None,
            )
        )
    return Inventory(
        project=spec.project,
        stack=spec.stack,
        source=Source(SourceKind.PREVIEW if spec.preview else SourceKind.OFFLINE_PLAN, str(spec.project_dir)),
        resources=resources,
        config=spec.plain_config,
        outputs=monitor.stack_outputs,
        notes=sorted(set(monitor.notes) | set(monitor.plan_mocks.notes)),
    )


def _run_main(main: Path, sources: SourceRecorder | None = None) -> None:
    if sources is not None:
        register_stack_transformation(sources.transformation)
    runpy.run_path(str(main), run_name="__main__")


@contextmanager
def _without_stack_traces() -> Iterator[None]:
    """For every resource, the SDK extracts the whole Python stack with each frame's source line, to
    send the engine source positions (~1.2 ms a resource: ~0.6 s of the demo's three phases). The
    mock monitor drops them (:class:`.SourceRecorder` finds the declaring line itself), so the
    SDK's own empty trace (what it sends when it finds no user frame) stands in during the run:
    nothing the monitor records changes. An SDK without the function is left as it is."""
    from pulumi.runtime import resource as sdk_resource

    original = getattr(sdk_resource, "_get_stack_trace", None)
    if original is None:
        yield
        return
    from pulumi.runtime.proto import source_pb2

    sdk_resource._get_stack_trace = source_pb2.StackTrace
    try:
        yield
    finally:
        sdk_resource._get_stack_trace = original


@contextmanager
def _program_environment(main: Path) -> Iterator[None]:
    """As the language host does: the program's folder first on sys.path and as the working dir."""
    previous_cwd = Path.cwd()
    sys.path.insert(0, str(main.parent))
    os.chdir(main.parent)
    try:
        yield
    finally:
        os.chdir(previous_cwd)
        if sys.path and sys.path[0] == str(main.parent):
            sys.path.pop(0)


def _describe_failure(exc: BaseException, project_dir: Path) -> str:
    """One line with the exception and the deepest frame that belongs to the program's own files
    (falling back to the deepest frame outside the toolkit and the Pulumi SDK)."""
    frames = traceback.extract_tb(exc.__traceback__)
    cause = exc.__cause__ or exc.__context__
    while cause is not None:  # errors raised inside outputs arrive wrapped
        frames.extend(traceback.extract_tb(cause.__traceback__))
        cause = cause.__cause__ or cause.__context__
    project_root = str(project_dir)
    own = [f for f in frames if f.filename.startswith(project_root) and "site-packages" not in f.filename]
    chosen = own[-1] if own else None
    where = ""
    if chosen is not None:
        try:
            shown = str(Path(chosen.filename).relative_to(project_dir))
        except ValueError:
            shown = chosen.filename
        where = f" (at {shown}:{chosen.lineno} in {chosen.name}: {(chosen.line or '').strip()})"
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"the program failed under the mock runtime: {type(exc).__name__}: {first_line}{where}"
