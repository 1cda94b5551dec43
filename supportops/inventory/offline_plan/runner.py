"""Run a Pulumi Python program under the mock runtime and return what it would register."""

from __future__ import annotations

import asyncio
import contextvars
import os
import runpy
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime.config import set_all_config
from pulumi.runtime.settings import configure
from pulumi.runtime.stack import run_in_stack

from supportops.errors import SupportopsError
from supportops.inventory.model import Inventory, Resource, Source, SourceKind
from supportops.inventory.offline_plan.mocks import PlanMocks
from supportops.inventory.offline_plan.project import program_path, read_project, read_stack_settings
from supportops.inventory.offline_plan.recorder import RecordingMonitor
from supportops.inventory.offline_plan.urns import default_provider_urn

DEFAULT_REGION = "us-east-1"


class ProgramFailed(SupportopsError):
    """The planned program raised; the message points at the program's own frame."""


@dataclass
class PlanRequest:
    project_dir: Path
    stack: str
    # Planned outputs of other stacks, by stack name, answered to the program's StackReferences.
    stack_references: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # With preview=True, outputs of new resources are unknown, as in `pulumi preview`.
    preview: bool = False


def plan_program(request: PlanRequest) -> Inventory:
    project_dir = request.project_dir.resolve()
    project = read_project(project_dir)
    main = program_path(project_dir, project)
    settings = read_stack_settings(project_dir, project, request.stack)
    region = settings.values.get("aws:region", DEFAULT_REGION).strip('"')
    mocks = PlanMocks(region=region, stack_references=request.stack_references, preview=request.preview)
    monitor = RecordingMonitor(mocks)

    def run() -> None:
        set_all_config(settings.values, settings.secret_keys)
        configure(
            pulumi_mocks.MockSettings(  # type: ignore[no-untyped-call]
                monitor=monitor,
                monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),  # type: ignore[no-untyped-call]
                engine=pulumi_mocks.MockEngine(None),
                project=project.name,
                stack=request.stack,
                dry_run=request.preview,
                organization="organization",
                callbacks=None,
            )
        )
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            with _program_environment(main):
                loop.run_until_complete(run_in_stack(lambda: _run_main(main)))
        finally:
            loop.close()
            asyncio.set_event_loop(None)

    try:
        # A fresh context: the SDK keeps its root resource and config in context variables.
        contextvars.Context().run(run)
    except SupportopsError:
        raise
    except Exception as exc:
        raise ProgramFailed(_describe_failure(exc, project_dir)) from exc

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
            provider = default_provider_urn(request.stack, project.name, reg.type)
        declared_region = reg.inputs.get("region")
        if not isinstance(declared_region, str):
            declared_region = provider_regions.get(provider or "", region)
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
            )
        )
    return Inventory(
        project=project.name,
        stack=request.stack,
        source=Source(SourceKind.PREVIEW if request.preview else SourceKind.OFFLINE_PLAN, str(project_dir)),
        resources=resources,
        config=settings.plain,
        outputs=monitor.stack_outputs,
    )


def _run_main(main: Path) -> None:
    runpy.run_path(str(main), run_name="__main__")


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
    return f"the program failed under the mock runtime: {type(exc).__name__}: {exc}{where}"
