"""``pulumi stack export`` files (``apitype.UntypedDeployment`` holding a ``DeploymentV3``).

An export with no resources (a stack never deployed, or destroyed) is bad input: a compliance run over
it would pass with nothing checked. A stack holding only its root Stack resource is a real, empty
stack and loads (the report then counts 0 resources evaluated).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from supportops.errors import BadInput
from supportops.inventory.model import Inventory, Source, SourceKind
from supportops.inventory.sources._json import JsonDocument, first_problem
from supportops.inventory.sources._resources import Located, ResourceEnvelope, build_inventory
from supportops.loading import bounded

DEPLOYMENT_VERSION = 3


class _Deployment(BaseModel):
    model_config = ConfigDict(extra="ignore")  # manifest, secrets_providers, pending_operations, metadata

    resources: list[ResourceEnvelope] | None = None


class _Export(BaseModel):
    model_config = ConfigDict(extra="ignore")

    version: int
    deployment: _Deployment


def inventory_from_export(document: JsonDocument) -> Inventory:
    source = str(document.path)
    data: Any = document.data
    if not isinstance(data, dict):
        raise BadInput.at(source, "", "expected a JSON object from `pulumi stack export`")
    if "steps" in data and "deployment" not in data:
        raise BadInput.at(source, "", "this is a `pulumi preview --json` file; pass it with --preview-json")
    version = data.get("version")
    if "deployment" not in data or version is None:
        raise BadInput.at(source, "", "not a `pulumi stack export` file (needs 'version' and 'deployment')")
    if version != DEPLOYMENT_VERSION:
        raise BadInput.at(
            source, "version",
            f"deployment version {bounded(version)} is not supported; expected {DEPLOYMENT_VERSION} "
            "(export it again with a current Pulumi CLI)",
        )
    try:
        export = _Export.model_validate(data)
    except ValidationError as exc:
        raise first_problem(exc, source) from None
    envelopes = export.deployment.resources or []
    if not envelopes:
        raise BadInput.at(
            source, "deployment.resources",
            "the export holds no resources (a stack never deployed, or destroyed): nothing to check",
        )
    seen: dict[str, int] = {}
    live: list[Located] = []
    for index, envelope in enumerate(envelopes):
        if envelope.delete:
            continue  # the old copy of a resource being replaced; the engine deletes it next update
        if envelope.urn in seen:
            raise BadInput.at(
                source, f"deployment.resources[{index}].urn",
                f"duplicate URN (also at deployment.resources[{seen[envelope.urn]}]): "
                f"{bounded(envelope.urn, 200)}",
            )
        seen[envelope.urn] = index
        live.append((f"deployment.resources[{index}]", envelope))
    if not live:
        raise BadInput.at(
            source, "deployment.resources", "every resource is pending deletion: nothing to check"
        )
    return build_inventory(live, Source(SourceKind.STACK_EXPORT, source, document.sha256))
