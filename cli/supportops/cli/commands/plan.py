"""``supportops plan``: the offline plan of a stack (no Pulumi CLI, no cloud credentials)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer

from supportops.cli import comply_stacks
from supportops.cli.errors import warn
from supportops.cli.options import (
    InventoryOutOption,
    OutOption,
    PreviewFlag,
    ProjectOption,
    StackOption,
    formats_from,
    formats_option,
)
from supportops.cli.output import announce, render, write_json, write_outputs

FORMATS = ("table", "json")


def plan(
    stack: StackOption,
    project: ProjectOption,
    fmt: Annotated[list[str] | None, formats_option(FORMATS, "table")] = None,
    out: OutOption = None,
    inventory_out: InventoryOutOption = None,
    preview: PreviewFlag = False,
    watchdog: Annotated[
        float,
        typer.Option(
            "--watchdog",
            min=1.0,
            help="Stop the program after this many seconds without progress, naming what it waits for.",
        ),
    ] = 30.0,
    no_cache: comply_stacks.NoCacheOption = False,
    cache_dir: comply_stacks.CacheDirOption = None,
) -> None:
    """Run the stack's program under Pulumi's mock runtime and show what it would create.

    Later phases are fed the planned outputs of the earlier phases for their StackReferences.
    A project whose Pulumi.yaml names its own virtualenv is planned with that interpreter.
    """
    from supportops.inventory.plan_tree import plan_tree
    from supportops.stacks.stack_plan import plan_stack  # imports Pulumi: only when planning

    chosen = formats_from(fmt, FORMATS, "table")
    # exit_process: a program stuck in its own code cannot be stopped cooperatively; never hang.
    inventory = plan_stack(
        project, stack, preview=preview, watchdog_seconds=watchdog, hard_exit=comply_stacks.hard_exit,
        cache=comply_stacks.cache_from(no_cache, cache_dir),  # a program runs only when its inputs changed
    )
    for note in inventory.notes:
        warn(note)
    skipped = Counter(r.type.split(":", 1)[0] for r in inventory if not r.evaluated)
    if skipped:
        packages = ", ".join(f"{package} ({count})" for package, count in sorted(skipped.items()))
        warn(
            f"{sum(skipped.values())} resources not evaluated (providers the planner does not model: "
            f"{packages}); they are in the inventory with their inputs, their outputs are placeholders"
        )
    written = write_outputs(
        chosen,
        out,
        {
            "json": lambda path: write_json(inventory.to_json(), path),
            "table": lambda path: render(plan_tree(inventory), path),
        },
        name="inventory",
    )
    announce(written if len(chosen) > 1 else [])
    if inventory_out is not None:
        write_json(inventory.to_json(), inventory_out)
