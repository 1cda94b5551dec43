"""``pulumi preview --json`` files: the resources the stack would hold after the update.

Steps that remove a resource (delete, discard, delete-replaced ...) are left out; every other step
contributes its ``newState`` (same, create, update, replace, create-replacement, read, import ...).
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel, ConfigDict, ValidationError

from supportops.errors import BadInput
from supportops.inventory.model import Inventory, Source, SourceKind
from supportops.inventory.sources._json import JsonDocument, first_problem
from supportops.inventory.sources._resources import ResourceEnvelope, build_inventory
from supportops.inventory.sources.config_values import config_from_strings

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
    kept: dict[str, ResourceEnvelope] = {}
    for index, step in enumerate(preview.steps or []):
        if step.op in REMOVING_OPS:
            continue
        if step.newState is None:
            raise BadInput.at(source, f"steps[{index}].newState", f"missing for op {step.op!r} ({step.urn})")
        kept[step.newState.urn] = step.newState  # a replacement's steps share one URN and one new state
    return build_inventory(
        kept.values(),
        Source(SourceKind.PREVIEW, source, document.sha256),
        config=config_from_strings(preview.config or {}),
    )
