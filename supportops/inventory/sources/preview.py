"""``pulumi preview --json`` files: the resources the stack would hold after the update.

Steps that remove a resource (delete, discard, delete-replaced ...) are left out; every other step
contributes its ``newState`` (same, create, update, replace, create-replacement, read, import ...).

A preview with no steps (``{"changeSummary": {}}``), or whose every step removes its resource (a destroy
preview), is bad input: nothing would be checked, and that must not read as a pass.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel, ConfigDict, ValidationError

from supportops.errors import BadInput
from supportops.inventory.model import Inventory, Source, SourceKind
from supportops.inventory.sources._json import JsonDocument, first_problem
from supportops.inventory.sources._resources import Located, ResourceEnvelope, build_inventory
from supportops.inventory.sources.config_values import config_from_strings
from supportops.loading import bounded

REMOVING_OPS: Final = frozenset(
    {"delete", "discard", "delete-replaced", "discard-replaced", "remove-pending-replace"}
)


class _Step(BaseModel):
    model_config = ConfigDict(extra="ignore")  # provider, oldState, diffReasons, detailedDiff ...

    op: str
    urn: str
    newState: ResourceEnvelope | None = None  # Pulumi's field name


class _Preview(BaseModel):
    model_config = ConfigDict(extra="ignore")  # diagnostics, duration, changeSummary ...

    config: dict[str, Any] | None = None
    steps: list[_Step] | None = None
    changeSummary: dict[str, Any] | None = None  # Pulumi's field name


def inventory_from_preview(document: JsonDocument) -> Inventory:
    source = str(document.path)
    data: Any = document.data
    if not isinstance(data, dict):
        raise BadInput.at(source, "", "expected a JSON object from `pulumi preview --json`")
    if "deployment" in data and "steps" not in data:
        raise BadInput.at(source, "", "this is a `pulumi stack export` file; pass it with --state")
    if "steps" not in data and "changeSummary" not in data:
        raise BadInput.at(source, "", "not a `pulumi preview --json` file (no 'steps')")
    try:
        preview = _Preview.model_validate(data)
    except ValidationError as exc:
        raise first_problem(exc, source) from None
    if not preview.steps:
        counted = sum(v for v in (preview.changeSummary or {}).values() if isinstance(v, int))
        hint = f"changeSummary counts {counted} but " if counted else ""
        raise BadInput.at(source, "steps", f"{hint}the preview has no steps (truncated?): nothing to check")
    kept: dict[str, Located] = {}
    for index, step in enumerate(preview.steps):
        if step.op in REMOVING_OPS:
            continue
        if step.newState is None:
            raise BadInput.at(
                source, f"steps[{index}].newState",
                f"missing for op {bounded(step.op)} ({bounded(step.urn, 200)})",
            )
        # a replacement's steps share one URN and one new state
        kept[step.newState.urn] = (f"steps[{index}].newState", step.newState)
    if not kept:
        raise BadInput.at(
            source, "steps", "every step removes its resource (a destroy preview): nothing to check"
        )
    return build_inventory(
        list(kept.values()),
        Source(SourceKind.PREVIEW, source, document.sha256),
        config=config_from_strings(preview.config or {}),
    )
