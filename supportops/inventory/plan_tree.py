"""The table view of an inventory: the component tree, then counts per resource type."""

from __future__ import annotations

from collections import Counter

from rich.console import Group, RenderableType
from rich.table import Table
from rich.tree import Tree

from supportops.inventory.model import STACK_TYPE, Inventory, Resource


def _label(resource: Resource) -> str:
    kind = resource.type if resource.custom else f"component {resource.type}"
    return f"[bold]{resource.name}[/bold]  [dim]{kind}[/dim]"


def plan_tree(inventory: Inventory) -> RenderableType:
    roots = [r for r in inventory if r.parent is None or inventory.by_urn(r.parent) is None]
    stack = next((r for r in roots if r.type == STACK_TYPE), None)
    title = (
        f"[bold]{inventory.project}/{inventory.stack}[/bold] — "
        f"{sum(1 for r in inventory if r.type != STACK_TYPE)} resources "
        f"({inventory.source.kind.value})"
    )
    tree = Tree(title)

    def add(node: Tree, resource: Resource) -> None:
        branch = node.add(_label(resource))
        for child in sorted(inventory.children(resource.urn), key=lambda r: (r.custom, r.name, r.type)):
            add(branch, child)

    top = inventory.children(stack.urn) if stack else [r for r in roots if r.type != STACK_TYPE]
    for resource in sorted(top, key=lambda r: (r.custom, r.name, r.type)):
        add(tree, resource)

    counts = Counter(r.type for r in inventory if r.type != STACK_TYPE)
    table = Table(title="Resources by type", show_lines=False)
    table.add_column("type")
    table.add_column("count", justify="right")
    for type_token, count in sorted(counts.items()):
        table.add_row(type_token, str(count))
    table.add_row("[bold]total[/bold]", f"[bold]{sum(counts.values())}[/bold]")
    return Group(tree, table)
