"""pulumi_policy's resource objects as inventory resources.

The engine hands a policy pack deserialized properties wrapped in proxies that raise on unknown
values; rules expect plain values with Pulumi's unknown sentinel, so the proxies are unwrapped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Protocol

from supportops.inventory.model import UNKNOWN, Inventory, Resource, Source, SourceKind

# pulumi_policy.proxy's per-type unknown sentinels, all read as the inventory's UNKNOWN.
UNKNOWN_SENTINELS: Final = frozenset({
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
})


class ProviderLike(Protocol):
    @property
    def urn(self) -> str: ...
    @property
    def props(self) -> Mapping[str, Any]: ...


class ResourceLike(Protocol):
    """What ResourceValidationArgs and PolicyResource have in common."""

    @property
    def resource_type(self) -> str: ...
    @property
    def props(self) -> Mapping[str, Any]: ...
    @property
    def urn(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def provider(self) -> ProviderLike | None: ...


def plain(value: Any) -> Any:
    """Unwrap pulumi_policy proxies and Secret wrappers into plain dicts/lists; unknowns -> UNKNOWN."""
    if isinstance(value, str):
        return UNKNOWN if value in UNKNOWN_SENTINELS else value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Mapping):
        return plain(_target(value))
    if isinstance(value, Sequence):
        return plain(list(_target(value)))
    secret_value = getattr(value, "value", None) if type(value).__name__ == "Secret" else None
    return plain(secret_value) if secret_value is not None else value


def _target(proxy: Any) -> Any:
    """The object a pulumi_policy proxy wraps (its ``["__target"]`` escape hatch)."""
    try:
        return proxy["__target"]
    except (KeyError, IndexError, TypeError):
        return dict(proxy) if isinstance(proxy, Mapping) else list(proxy)


def _region(props: Mapping[str, Any], provider: ProviderLike | None) -> str | None:
    for source in (props, plain(provider.props) if provider is not None else {}):
        value = source.get("region")
        if isinstance(value, str) and value and value != UNKNOWN:
            return value
    return None


def to_resource(
    resource: ResourceLike, parent: str | None = None, dependencies: Iterable[str] = ()
) -> Resource:
    props = plain(resource.props)
    return Resource(
        urn=resource.urn,
        type=resource.resource_type,
        name=resource.name,
        parent=parent,
        dependencies=list(dependencies),
        provider=resource.provider.urn if resource.provider is not None else None,
        inputs=props,
        outputs=props,  # stack policies see outputs; rules read inputs first, then outputs
        region=_region(props, resource.provider),
    )


def inventory_of(resources: Iterable[Resource]) -> Inventory:
    listed = list(resources)
    stack, project = "unknown", "unknown"
    if listed and listed[0].urn.startswith("urn:pulumi:"):
        head, project, *_ = listed[0].urn.split("::")
        stack = head.removeprefix("urn:pulumi:")
    return Inventory(project=project, stack=stack, source=Source(SourceKind.PREVIEW, "crossguard"),
                     resources=listed)
