"""The per-resource envelope shared by stack exports and preview steps (``apitype.ResourceV3``).

Only the envelope is validated: ``inputs`` and ``outputs`` are taken as they are (Pulumi's unknown
sentinel and secret signature objects stay in place), so loading does not walk every value. What
decides which resources exist and where they run is checked strictly, as bad input with its location:
``custom``/``delete`` are JSON booleans (``"true"`` would otherwise drop a resource), a provider
reference must name a provider in the same file, and a ``region`` must be an AWS region name (a
garbage region must not quietly fall back to the stack's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from supportops.errors import BadInput
from supportops.inventory.model import (
    STACK_TYPE,
    Inventory,
    Resource,
    Source,
    get,
    is_known,
    is_secret,
    provider_urn,
)
from supportops.loading import bounded
from supportops.models import StrictFlag

# pkg:module:Name, e.g. aws:s3/bucket:Bucket, pulumi:providers:aws, supportops:security:SecureBucket.
TYPE_TOKEN_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*:[A-Za-z0-9_./-]+:[A-Za-z_][A-Za-z0-9_.-]*$"
URN_PATTERN = r"^urn:pulumi:[^:]+::[^:]+::[^:].*::.+$"
# us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-5, il-central-1 ...
REGION_PATTERN = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-[1-9][0-9]?$")


class ResourceEnvelope(BaseModel):
    """Pulumi adds fields across versions (created, modified, propertyDependencies ...): ignored."""

    model_config = ConfigDict(extra="ignore")

    urn: Annotated[str, Field(pattern=URN_PATTERN)]
    type: Annotated[str, Field(pattern=TYPE_TOKEN_PATTERN)]
    custom: StrictFlag = False
    delete: StrictFlag = False
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


#: (where in the file, the envelope): e.g. ("deployment.resources[4]", envelope)
Located = tuple[str, ResourceEnvelope]


def to_resources(envelopes: Sequence[Located], source: str) -> list[Resource]:
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
        for _, e in envelopes
    ]
    _check_providers(resources, [where for where, _ in envelopes], source)
    _assign_regions(resources, [where for where, _ in envelopes], source)
    return resources


def _check_providers(resources: list[Resource], where: list[str], source: str) -> None:
    """Every provider reference names a provider resource of the same file: a dangling one would
    leave the resource's region (and default tags) silently undecided."""
    providers = {r.urn for r in resources if r.type.startswith("pulumi:providers:")}
    for resource, location in zip(resources, where, strict=True):
        if resource.provider and resource.provider not in providers:
            raise BadInput.at(
                source,
                f"{location}.provider",
                f"names no provider resource of this file ({bounded(resource.provider, 120)})",
            )


def _region_of(properties: dict[str, Any], location: str, source: str) -> str | None:
    """A region name, None when absent or unknown; anything else is bad input."""
    if "region" not in properties:
        return None
    value = get(properties, "region", None)  # a secret region unwrapped
    if value is None or (isinstance(value, str) and not is_known(value)):
        return None
    if not isinstance(value, str) or not REGION_PATTERN.match(value):
        shown = "value hidden: a secret" if is_secret(properties["region"]) else f"got {bounded(value)}"
        raise BadInput.at(source, f"{location}.region", f"not an AWS region name ({shown})")
    return value


def _assign_regions(resources: list[Resource], where: list[str], source: str) -> None:
    """inputs.region (pulumi-aws 7 takes it on every resource), else the provider's region, else
    outputs.region; only AWS resources and providers carry a region we read."""
    from_inputs: dict[str, str | None] = {}
    from_outputs: dict[str, str | None] = {}
    for resource, location in zip(resources, where, strict=True):
        if resource.type.startswith(_REGIONAL_PREFIXES):
            from_inputs[resource.urn] = _region_of(resource.inputs, f"{location}.inputs", source)
            from_outputs[resource.urn] = _region_of(resource.outputs, f"{location}.outputs", source)
    for resource in resources:
        provider = resource.provider
        resource.region = (
            from_inputs.get(resource.urn)
            or (from_inputs.get(provider) or from_outputs.get(provider) if provider else None)
            or from_outputs.get(resource.urn)
        )


_REGIONAL_PREFIXES = ("aws:", "aws-native:", "pulumi:providers:aws")


def build_inventory(
    envelopes: Sequence[Located], source: Source, config: dict[str, Any] | None = None
) -> Inventory:
    """The inventory of a state or preview file: project and stack from the URNs, stack outputs from
    the root Stack resource."""
    resources = to_resources(envelopes, source.location)
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
