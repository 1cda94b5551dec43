"""Drift: a stack's state export against what is live, resource by resource.

For every managed resource of the export (custom resources, not Pulumi's own providers and stack):

- found live (by type and physical id, else type and ARN): each security-relevant property
  (:mod:`supportops.drift.properties`) is compared; any difference is ``changed`` with the state and
  the live value (a property the state holds as a secret shows neither);
- not found live: ``deleted`` — unless a fault of the collection may be why (a list call of its
  service failed in its region, the account could not be read): then ``unverified``, never deleted;
- a type no collector reads, or a region the run did not read: not compared, and said so.

Live resources of a collected type that carry the stack's tags and match no state resource are
``unmanaged``. The stack's tags are the AWS providers' ``defaultTags`` of the export, without the keys
that resources override (a per-resource data classification): what every resource of the stack has.

Which value of the state is compared: the output (what the provider last read from AWS), else the
input; this is what ``pulumi refresh`` would compare too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from supportops.drift.properties import TAGS, compared_properties
from supportops.drift.values import canonical, canonical_tags
from supportops.inventory.live.model import CollectionFault, LiveCollection, index_by_identity, match
from supportops.inventory.model import MISSING, REDACTED, Inventory, Resource, get, is_known, is_secret
from supportops.live_findings import describe_fault

PROVIDER_PREFIX: Final = "pulumi:"
AWS_PROVIDER: Final = "pulumi:providers:aws"
# A fault of this service means no account could be read at all (no credentials for it).
IDENTITY_SERVICE: Final = "sts"


class DriftKind(StrEnum):
    IN_SYNC = "in-sync"
    CHANGED = "changed"
    DELETED = "deleted"
    UNMANAGED = "unmanaged"
    UNVERIFIED = "unverified"  # a fault stopped the comparison: never a verdict


@dataclass(frozen=True)
class PropertyChange:
    name: str
    state: Any
    live: Any


@dataclass(frozen=True)
class ResourceDrift:
    kind: DriftKind
    urn: str  # the state URN; the live URN for an unmanaged resource
    type: str
    physical_id: str
    region: str | None
    changes: tuple[PropertyChange, ...] = ()
    live_urn: str | None = None
    reason: str = ""  # why unverified: the fault


@dataclass(frozen=True)
class CollectorCatalog:
    """What the live collectors read: the boto3 service of each type, and the types read once per
    account (global) rather than per region."""

    service_of: Mapping[str, str]
    global_types: frozenset[str] = frozenset()
    skipped: Mapping[str, str] = field(default_factory=dict)  # type -> why its collector did not run

    @property
    def types(self) -> frozenset[str]:
        return frozenset(self.service_of)

    @classmethod
    def of_collectors(cls, services: Sequence[str] | None = None) -> CollectorCatalog:
        """The catalog of the live collectors (supportops.inventory.live.registry), of ``services``
        only when given (the types of the others are then not collected, and said so)."""
        from supportops.inventory.live import registry

        modules = registry.select(services)
        return cls(
            {t: m.SERVICE for m in modules for t in m.TYPES},
            frozenset(t for m in modules if m.GLOBAL for t in m.TYPES),
            {
                t: f"its service ({m.SERVICE}) was not selected (--service)"
                for m in registry.COLLECTORS
                if m not in modules
                for t in m.TYPES
            },
        )


@dataclass
class DriftResult:
    drifts: list[ResourceDrift]
    managed: int  # managed resources in the export
    stack_tags: dict[str, str]
    # type -> (managed resources of it, why it is not compared)
    not_collected: dict[str, tuple[int, str]] = field(default_factory=dict)
    outside_regions: dict[str, int] = field(default_factory=dict)  # region not read -> resources

    def of(self, *kinds: DriftKind) -> list[ResourceDrift]:
        return [d for d in self.drifts if d.kind in kinds]

    @property
    def drifted(self) -> bool:
        return any(d.kind in (DriftKind.CHANGED, DriftKind.DELETED, DriftKind.UNMANAGED) for d in self.drifts)


def managed_resources(state: Inventory) -> list[Resource]:
    return [r for r in state if r.custom and not r.type.startswith(PROVIDER_PREFIX)]


def compare(
    state: Inventory, collection: LiveCollection, catalog: CollectorCatalog, regions: Iterable[str]
) -> DriftResult:
    read_regions = frozenset(regions)
    live_resources = collection.inventory.resources
    by_identity = index_by_identity(live_resources)
    faulted_subjects = {f.subject: f for f in collection.faults if f.subject}
    list_faults = [f for f in collection.faults if not f.subject]
    managed = managed_resources(state)
    result = DriftResult(drifts=[], managed=len(managed), stack_tags=stack_tags(state))
    not_collected: Counter[str] = Counter()
    reasons: dict[str, str] = {}
    outside: Counter[str] = Counter()
    compared: list[tuple[Resource, Resource | None]] = []
    for resource in managed:
        why_not = _not_collected(resource.type, catalog, collection.uncollected_types)
        if why_not is not None:
            not_collected[resource.type] += 1
            reasons[resource.type] = why_not
        elif (
            resource.type not in catalog.global_types
            and resource.region
            and resource.region not in read_regions
        ):
            outside[resource.region] += 1
        else:
            compared.append((resource, match(resource, by_identity)))
    # A call that failed for one live resource (a queue's attributes) also hides the settings read with
    # it, which are resources of their own here (the queue's policy): same physical id in the state.
    hidden = {_physical_id(urn): fault for urn, fault in faulted_subjects.items()}
    hidden.update(
        (state_resource.id, faulted_subjects[live.urn])
        for state_resource, live in compared
        if live is not None and live.urn in faulted_subjects and state_resource.id
    )
    for resource, live in compared:
        if live is not None:
            fault = faulted_subjects.get(live.urn)
            result.drifts.append(
                _unverified(resource, fault, live.urn) if fault else _compared(resource, live)
            )
            continue
        is_global = resource.type in catalog.global_types
        fault = _list_fault(resource, is_global, catalog, list_faults) or hidden.get(resource.id or "")
        result.drifts.append(
            _unverified(resource, fault)
            if fault is not None
            else ResourceDrift(
                DriftKind.DELETED, resource.urn, resource.type, resource.id or "", resource.region
            )
        )
    matched = {live.urn for _, live in compared if live is not None}
    result.drifts.extend(_unmanaged(live_resources, matched, catalog, result.stack_tags))
    result.not_collected = {t: (n, reasons[t]) for t, n in sorted(not_collected.items())}
    result.outside_regions = dict(sorted(outside.items()))
    return result


def _physical_id(live_urn: str) -> str:
    """The physical id a live URN ends with (``urn:pulumi:ACCOUNT::REGION::TYPE::ID``)."""
    return live_urn.split("::", 3)[-1]


def _not_collected(type_token: str, catalog: CollectorCatalog, uncollected: Mapping[str, str]) -> str | None:
    if type_token not in catalog.types:
        why = catalog.skipped.get(type_token) or uncollected.get(type_token)
        return why or "no live collector reads this type"
    return None


def _list_fault(
    resource: Resource, is_global: bool, catalog: CollectorCatalog, faults: list[CollectionFault]
) -> CollectionFault | None:
    """A failed list call that may be why the resource was not found: its service's in its region
    (any region for a global type), or the account's identity."""
    service = catalog.service_of.get(resource.type)
    for fault in faults:
        if fault.service == IDENTITY_SERVICE:
            return fault
        if fault.service == service and (is_global or fault.region == resource.region):
            return fault
    return None


def _unverified(resource: Resource, fault: CollectionFault, live_urn: str | None = None) -> ResourceDrift:
    return ResourceDrift(
        DriftKind.UNVERIFIED,
        resource.urn,
        resource.type,
        resource.id or "",
        resource.region,
        live_urn=live_urn,
        reason=describe_fault(fault),
    )


def _compared(state: Resource, live: Resource) -> ResourceDrift:
    changes: list[PropertyChange] = []
    for name in compared_properties(state.type):
        change = _tags_change(state, live) if name == TAGS else _property_change(state, live, name)
        if change is not None:
            changes.append(change)
    kind = DriftKind.CHANGED if changes else DriftKind.IN_SYNC
    return ResourceDrift(kind, state.urn, state.type, state.id or "", state.region, tuple(changes), live.urn)


def _state_value(resource: Resource, name: str) -> tuple[Any, bool]:
    """(the value, whether the state holds it as a secret): the output, else the input."""
    for properties in (resource.outputs, resource.inputs):
        if properties and name in properties:
            return get(properties, name), is_secret(properties[name])
    return MISSING, False


def _property_change(state: Resource, live: Resource, name: str) -> PropertyChange | None:
    value, secret = _state_value(state, name)
    if value is MISSING or not is_known(value):
        return None  # the state never recorded it (or only as unknown): nothing to compare against
    live_value = live.prop(name, None)
    if not is_known(live_value):
        return None  # the live read left it unknown (its fault is reported with the resource)
    before, after = canonical(value), canonical(live_value)
    if before == after:
        return None
    if secret:
        return PropertyChange(name, REDACTED, REDACTED)
    return PropertyChange(name, before, after)


def _tags_change(state: Resource, live: Resource) -> PropertyChange | None:
    live_tags = live.tags
    if not is_known(live.prop("tags", None)):
        return None
    before, after = canonical_tags(state.tags), canonical_tags(live_tags)
    return None if before == after else PropertyChange(TAGS, before, after)


def stack_tags(state: Inventory) -> dict[str, str]:
    """Tags every resource of the stack carries: the AWS providers' default tags, minus the keys a
    resource sets to another value (those vary per resource, e.g. its data classification)."""
    defaults: dict[str, str] = {}
    for provider in state.of_type(AWS_PROVIDER):
        # A provider's nested config is JSON text in a state (Pulumi serialises provider inputs).
        default_tags = canonical(provider.prop("defaultTags", None))
        tags = canonical_tags(default_tags.get("tags") if isinstance(default_tags, dict) else None)
        defaults.update(tags or {})
    overridden = {
        key
        for resource in managed_resources(state)
        for tags in (resource.tags, resource.inputs.get("tags"))
        for key, value in (canonical_tags(tags) or {}).items()
        if defaults.get(key) != value
    }
    return {k: v for k, v in sorted(defaults.items()) if k not in overridden}


def _unmanaged(
    live_resources: list[Resource], matched: set[str], catalog: CollectorCatalog, tags: dict[str, str]
) -> list[ResourceDrift]:
    if not tags:
        return []
    found = []
    for resource in live_resources:
        if resource.urn in matched or resource.type not in catalog.types:
            continue
        carried = canonical_tags(resource.tags) or {}
        if all(carried.get(k) == v for k, v in tags.items()):
            found.append(
                ResourceDrift(
                    DriftKind.UNMANAGED,
                    resource.urn,
                    resource.type,
                    resource.id or "",
                    resource.region,
                    live_urn=resource.urn,
                )
            )
    return found
