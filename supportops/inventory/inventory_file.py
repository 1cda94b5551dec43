"""Read an inventory JSON that ``supportops plan -f json`` (or ``--inventory-out``) wrote, so that
``comply --inventory FILE`` checks a plan made earlier (another machine, a CI step) without
planning again. The file is user input: read with the state-file limits, validated, one line on error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from supportops.errors import BadInput
from supportops.inventory.model import SCHEMA_ID, Inventory, Resource, Source, SourceKind
from supportops.inventory.secrets import document_secrets, remember
from supportops.inventory.sources._json import first_problem, read_json
from supportops.locations import SourceLocation


class _Model(BaseModel):
    # Newer writers may add keys: ignore them (the schema id says which version this is).
    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)


class _Source(_Model):
    kind: SourceKind
    location: str = ""
    sha256: str | None = None


class _Resource(_Model):
    urn: str
    type: str
    name: str
    custom: bool = True
    parent: str | None = None
    dependencies: list[str] = []
    provider: str | None = None
    inputs: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    id: str | None = None
    region: str | None = None
    invented: list[str] = []
    evaluated: bool = True
    sourceLocation: dict[str, Any] | None = None


class _Inventory(_Model):
    schema_: str
    project: str
    stack: str
    source: _Source
    config: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    notes: list[str] = []
    resources: list[_Resource]


def load_inventory_file(path: Path) -> Inventory:
    document = read_json(path)
    source = str(path)
    data = document.data
    remember(document_secrets(data))
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_ID:
        found = data.get("schema") if isinstance(data, dict) else None
        raise BadInput.at(
            source, "schema",
            f"not a supportops inventory (expected schema {SCHEMA_ID!r}, found {found!r}); write one with "
            "`supportops plan -s STACK -f json -o FILE`",
        )
    try:
        model = _Inventory.model_validate({**data, "schema_": data["schema"]})
    except ValidationError as exc:
        raise first_problem(exc, source) from None
    urns = [r.urn for r in model.resources]
    if len(set(urns)) != len(urns):
        raise BadInput.at(source, "resources", "duplicate URN: the file was edited or concatenated")
    return Inventory(
        project=model.project,
        stack=model.stack,
        # Where the plan was made stays recorded; the file read (and its digest) is the input.
        source=Source(model.source.kind, model.source.location, document.sha256),
        resources=[
            Resource(
                urn=r.urn, type=r.type, name=r.name, custom=r.custom, parent=r.parent,
                dependencies=list(r.dependencies), provider=r.provider, inputs=dict(r.inputs),
                outputs=dict(r.outputs), id=r.id, region=r.region, invented=list(r.invented),
                evaluated=r.evaluated, source_location=SourceLocation.from_json(r.sourceLocation),
            )
            for r in model.resources
        ],
        config=dict(model.config),
        outputs=dict(model.outputs),
        notes=list(model.notes),
    )
