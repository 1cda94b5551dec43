"""``supportops plan``: the offline plan of a stack (no Pulumi CLI, no cloud credentials)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated

import typer

from supportops.cli.errors import warn
from supportops.cli.options import (
    FormatOption,
    InventoryOutOption,
    OutFileOption,
    OutputFormat,
    ProjectOption,
    StackOption,
)
from supportops.cli.output import render, write_json


def plan(
    stack: StackOption,
    project: ProjectOption,
    fmt: FormatOption = OutputFormat.TABLE,
    out: OutFileOption = None,
    inventory_out: InventoryOutOption = None,
    preview: Annotated[
        bool,
        typer.Option("--preview", help="Plan as `pulumi preview` sees it: outputs of new resources unknown."),
    ] = False,
    watchdog: Annotated[
        float,
        typer.Option(
            "--watchdog",
            min=1.0,
            help="Stop the program after this many seconds without progress, naming what it waits for.",
        ),
    ] = 30.0,
) -> None:
    """Run the stack's program under Pulumi's mock runtime and show what it would create.

    Later phases are fed the planned outputs of the earlier phases for their StackReferences.
    A project whose Pulumi.yaml names its own virtualenv is planned with that interpreter.
    """
    from supportops.inventory.offline_plan.watchdog import exit_process
    from supportops.inventory.plan_tree import plan_tree
    from supportops.stacks.stack_plan import plan_stack  # imports Pulumi: only when planning

    # exit_process: a program stuck in its own code cannot be stopped cooperatively; never hang.
    inventory = plan_stack(project, stack, preview=preview, watchdog_seconds=watchdog, hard_exit=exit_process)
    for note in inventory.notes:
        warn(note)
    skipped = Counter(r.type.split(":", 1)[0] for r in inventory if not r.evaluated)
    if skipped:
        packages = ", ".join(f"{package} ({count})" for package, count in sorted(skipped.items()))
        warn(
            f"{sum(skipped.values())} resources not evaluated (providers the planner does not model: "
            f"{packages}); they are in the inventory with their inputs, their outputs are placeholders"
        )
    if fmt is OutputFormat.JSON:
        write_json(inventory.to_json(), out)
    else:
        render(plan_tree(inventory), out)
    if inventory_out is not None:
        write_json(inventory.to_json(), inventory_out)
