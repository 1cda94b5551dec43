"""``supportops plan``: the offline plan of a stack (no Pulumi CLI, no cloud credentials)."""

from __future__ import annotations

from typing import Annotated

import typer

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
) -> None:
    """Run the stack's program under Pulumi's mock runtime and show what it would create.

    Later phases are fed the planned outputs of the earlier phases for their StackReferences.
    """
    from supportops.inventory.plan_tree import plan_tree
    from supportops.inventory.stack_plan import plan_stack  # imports Pulumi: only when planning

    inventory = plan_stack(project, stack, preview=preview)
    if fmt is OutputFormat.JSON:
        write_json(inventory.to_json(), out)
    else:
        render(plan_tree(inventory), out)
    if inventory_out is not None:
        write_json(inventory.to_json(), inventory_out)
