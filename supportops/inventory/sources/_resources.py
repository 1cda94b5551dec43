"""The per-resource envelope shared by stack exports and preview steps (``apitype.ResourceV3``).

Only the envelope is validated: ``inputs`` and ``outputs`` are taken as they are (Pulumi's unknown
sentinel and secret signature objects stay in place), so loading does not walk every value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from supportops.inventory.model import STACK_TYPE, Inventory, Resource, Source, get, is_known, provider_urn

# pkg:module:Name, e.g. aws:s3/bucket:Bucket, pulumi:providers:aws, supportops:security:SecureBucket.
TYPE_TOKEN_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z0-9_./-]+:[A-Za-z_][A-Za-z0-9_.-]*$"
URN_PATTERN = r"^urn:pulumi:[^:]+::[^:]+::[^:].*::.+$"


class ResourceEnvelope(BaseModel):
    """Pulumi adds fields across versions (created, modified, propertyDependencies ...): ignored."""

    model_config = ConfigDict(extra="ignore")

    urn: Annotated[str, Field(pattern=URN_PATTERN)]
    type: Annotated[str, Field(pattern=TYPE_TOKEN_PATTERN)]
    custom: bool = False
    delete: bool = False
    id: str | None = None
    parent: str | None = None
    dependencies: list[str] | None = None
    provider: str | None = None
    # Checked to be objects, not copied or walked (a 10,000-resource file must load quickly).
    inputs: Any = None
    outputs: Any = None

    @field_validator("inputs", "outputs", mode="plain")
    @classmethod
    def _object(cls, value: Any) -> dict[str, Any] | None:
        if value is not None and not isinstance(value, dict):
            raise ValueError(f"expected a JSON object, got {type(value).__name__}")
        return value


def urn_parts(urn: str) -> tuple[str, str, str]:
    """(stack, project, name) of ``urn:pulumi:<stack>::<project>::<type>::<name>``."""
    head, project, _qualified_type, name = urn.split("::", 3)
    return head.removeprefix("urn:pulumi:"), project, name


def to_resources(envelopes: Iterable[ResourceEnvelope]) -> list[Resource]:
    resources = [
        Resource(
            urn=e.urn,
            type=e.type,
            name=urn_parts(e.urn)[2],
            custom=e.custom,
            parent=e.parent or None,
            dependencies=list(e.dependencies or ()),
            provider=provider_urn(e.provider),
            inputs=e.inputs or {},
            outputs=e.outputs or {},
            id=e.id or None,
        )
        for e in envelopes
    ]
    _assign_regions(resources)
    return resources


def _region_of(properties: dict[str, Any]) -> str | None:
    value = properties.get("region")
    if isinstance(value, dict):  # a secret region
        value = get(properties, "region", None)
    return value if isinstance(value, str) and value and is_known(value) else None


def _assign_regions(resources: list[Resource]) -> None:
    """inputs.region (pulumi-aws 7 takes it on every resource), else the provider's region, else
    outputs.region."""
    provider_regions = {
        r.urn: _region_of(r.inputs) or _region_of(r.outputs)
        for r in resources
        if r.type.startswith("pulumi:providers:")
    }
    for resource in resources:
        resource.region = (
            _region_of(resource.inputs)
            or (provider_regions.get(resource.provider) if resource.provider else None)
            or _region_of(resource.outputs)
        )


def build_inventory(
    envelopes: Iterable[ResourceEnvelope], source: Source, config: dict[str, Any] | None = None
) -> Inventory:
    """The inventory of a state or preview file: project and stack from the URNs, stack outputs from
    the root Stack resource."""
    resources = to_resources(envelopes)
    stack, project = ("unknown", "unknown")
    if resources:
        stack, project, _ = urn_parts(resources[0].urn)
    root = next((r for r in resources if r.type == STACK_TYPE and r.parent is None), None)
    return Inventory(
        project=project,
        stack=stack,
        source=source,
        resources=resources,
        config=config or {},
        outputs=dict(root.outputs) if root is not None else {},
    )
