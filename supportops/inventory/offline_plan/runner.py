"""Plan a Pulumi Python program: read its project and stack config, then run it under the mock
runtime — in this interpreter, or in the project's own virtualenv when it declares one that is not
ours (so programs that import SDKs we do not have still plan)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportops.inventory.model import Inventory
from supportops.inventory.offline_plan.session import ProgramFailed, ProgramSpec, ProgramStuck, run_program
from supportops.inventory.offline_plan.watchdog import DEFAULT_SECONDS

DEFAULT_REGION = "us-east-1"

__all__ = ["DEFAULT_REGION", "PlanRequest", "ProgramFailed", "ProgramStuck", "plan_program"]


@dataclass
class PlanRequest:
    project_dir: Path
    stack: str
    # Planned outputs of other stacks, by stack name, answered to the program's StackReferences.
    stack_references: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # With preview=True, outputs of new resources are unknown, as in `pulumi preview`.
    preview: bool = False
    # Seconds without progress before the program is stopped (see .watchdog).
    watchdog_seconds: float = DEFAULT_SECONDS
    # Called with the message when a stuck program cannot be stopped cooperatively (the CLI exits).
    hard_exit: Callable[[str], None] | None = None
    # False: always run in this interpreter, even if the project declares its own virtualenv.
    use_project_virtualenv: bool = True


def plan_program(request: PlanRequest) -> Inventory:
    # Reading Pulumi.yaml needs the YAML/pydantic stack; the isolated child gets a resolved spec.
    from supportops.inventory.offline_plan.isolated import plan_in_interpreter, project_interpreter
    from supportops.inventory.offline_plan.project import program_path, read_project, read_stack_settings

    project_dir = request.project_dir.resolve()
    project = read_project(project_dir)
    main = program_path(project_dir, project)
    settings = read_stack_settings(project_dir, project, request.stack)
    spec = ProgramSpec(
        project_dir=project_dir,
        main=main,
        project=project.name,
        stack=request.stack,
        region=settings.values.get("aws:region", DEFAULT_REGION).strip('"'),
        config=settings.values,
        secret_keys=settings.secret_keys,
        plain_config=settings.plain,
        stack_references=request.stack_references,
        preview=request.preview,
        watchdog_seconds=request.watchdog_seconds,
    )
    interpreter = project_interpreter(project_dir, project) if request.use_project_virtualenv else None
    if interpreter is not None:
        return plan_in_interpreter(interpreter, spec)
    return run_program(spec, hard_exit=request.hard_exit)
