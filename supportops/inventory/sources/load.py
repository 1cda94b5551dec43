"""Load an inventory from a Pulumi file, by the kind the user named (``--state`` / ``--preview``)."""

from __future__ import annotations

from pathlib import Path

from supportops.inventory.model import Inventory, SourceKind
from supportops.inventory.secrets import document_secrets, remember
from supportops.inventory.sources._json import read_json
from supportops.inventory.sources.gc_pause import gc_paused
from supportops.inventory.sources.preview import inventory_from_preview
from supportops.inventory.sources.stack_export import inventory_from_export


def load_inventory(path: Path, kind: SourceKind) -> Inventory:
    """Read ``path`` once (its SHA-256 goes into ``inventory.source``); BadInput on any problem."""
    with gc_paused():
        document = read_json(path)
        remember(document_secrets(document.data))  # before validation: error lines are scrubbed too
        if kind is SourceKind.STACK_EXPORT:
            return inventory_from_export(document)
        if kind is SourceKind.PREVIEW:
            return inventory_from_preview(document)
    raise ValueError(f"{kind.value} inventories are not loaded from files")
