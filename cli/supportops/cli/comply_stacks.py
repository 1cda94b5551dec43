"""``comply`` over several stacks: ``--stack`` repeated or ``--all-stacks``, and the cache options.

The command itself checks one stack; this runs it once per stack inside one
:func:`supportops.policies.stack_runs.session`, so every program is planned once and checkov runs
once for all of them. With several stacks, ``--out`` is a directory (``<stack>.<format>`` for one
format, ``<stack>/`` for several) and ``--evidence DIR`` gets one bundle per stack (``DIR/<stack>``).
The exit code is 1 when any stack has an unwaived failure, else the highest other code, else 0.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from supportops.cli.errors import stderr_console, warn
from supportops.errors import EXIT_FINDINGS, BadInput

if TYPE_CHECKING:
    from supportops.cache.store import Cache
    from supportops.inventory.model import Inventory
    from supportops.policies.checkov.scan import CheckovOutcome

AllStacksOption = Annotated[
    bool, typer.Option("--all-stacks", help="Check every stack of the project (each Pulumi.<stack>.yaml).")
]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache", help="Plan every program and run checkov on everything, reading and writing no cache."
    ),
]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(
        "--cache-dir", metavar="DIR",
        help="Cache of plans and checkov results (default: $SUPPORTOPS_CACHE_DIR, else the user cache dir).",
    ),
]


def requested_stacks(project: Path, stacks: list[str] | None, all_stacks: bool) -> list[str]:
    if all_stacks:
        from supportops.stacks.stack_plan import project_stacks

        if stacks:
            raise BadInput.at("--all-stacks", "", "give --all-stacks or --stack, not both")
        found = project_stacks(project)
        if not found:
            problem = "--all-stacks: the project has no Pulumi.<stack>.yaml"
            raise BadInput.at(project / "Pulumi.yaml", "", problem)
        return found
    return list(dict.fromkeys(stacks or []))


def cache_from(no_cache: bool, cache_dir: Path | None) -> Cache:
    from supportops.cache.store import Cache, NoCache, default_cache_dir

    if no_cache:
        return NoCache()
    return Cache(cache_dir if cache_dir is not None else default_cache_dir(), warn=warn)


def hard_exit(message: str) -> None:
    """End a stuck program's run (imported only then: the watchdog module imports Pulumi, which a
    cache hit never needs)."""
    from supportops.inventory.offline_plan.watchdog import exit_process

    exit_process(message)


def in_session() -> bool:
    from supportops.policies import stack_runs

    return stack_runs.current() is not None


def run_each(
    params: dict[str, Any], stacks: list[str], command: Callable[..., None], formats: list[str]
) -> int:
    """Run ``command`` (the comply command) once per stack in one session; the combined exit code."""
    from supportops.policies import stack_runs

    codes: list[int] = []
    cache = cache_from(params["no_cache"], params["cache_dir"])
    several = len(stacks) > 1
    with stack_runs.session(
        params["project"], stacks, cache=cache, checkov=params["checkov"], preview=params["preview"],
        hard_exit=hard_exit,
    ) as run:
        for stack in stacks:
            out, evidence = params["out"], params["evidence"]
            if several:
                stderr_console().print(f"== {stack}", markup=False)
                if out is not None:
                    out = out / (f"{stack}.{_extension(formats[0])}" if len(formats) == 1 else stack)
                if evidence is not None:
                    evidence = evidence / stack
            try:
                command(**{**params, "stack": [stack], "all_stacks": False, "out": out, "evidence": evidence})
                codes.append(0)
            except typer.Exit as done:
                codes.append(done.exit_code)
        summary = run.summary()
    if summary:
        stderr_console().print(summary, markup=False)
    if EXIT_FINDINGS in codes:
        return EXIT_FINDINGS
    return max(codes, default=0)


def _extension(fmt: str) -> str:
    return "txt" if fmt == "table" else fmt


def planned(stack: str) -> Inventory:
    from supportops.policies import stack_runs

    run = stack_runs.current()
    assert run is not None, "comply plans stacks inside a stack_runs.session"
    return run.inventory(stack)


def checkov_results(stack: str) -> Callable[[], list[CheckovOutcome]]:
    from supportops.policies import stack_runs

    run = stack_runs.current()
    assert run is not None, "comply scans stacks inside a stack_runs.session"
    return run.checkov_results(stack)
