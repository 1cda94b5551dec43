"""A converted plan cut into the units checkov's results are cached by.

checkov's per-resource checks read one resource's block; its graph checks (CKV2_*) follow the
references between blocks, some over three links (API stage -> API -> WAF association -> web ACL).
So a unit is a group of resources linked by references (a resource linked to nothing is a unit of
its own) and its key is the digest of every block in it: planned values, configuration expressions
and the change entry, with their addresses. Editing one resource rescans its linked group only; the
provider blocks (checked for hard-coded credentials, and linked to every resource) are in every key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from supportops.cache.keys import digest

PROVIDERS_UNIT = "providers"


@dataclass(frozen=True)
class Unit:
    key: str
    addresses: frozenset[str]  # resource addresses (the provider unit: provider addresses)
    providers: bool = False


def _references(expressions: Any) -> Iterator[str]:
    stack = [expressions]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            for name, value in current.items():
                if name == "references" and isinstance(value, list):
                    yield from (item for item in value if isinstance(item, str))
                else:
                    stack.append(value)
        elif isinstance(current, list):
            stack.extend(current)


def plan_units(plan: Mapping[str, Any], provider_addresses: list[str], context: Any) -> list[Unit]:
    """The units of ``plan``; ``context`` (checkov's identity and options) goes into every key."""
    planned = {r["address"]: r for r in plan["planned_values"]["root_module"]["resources"]}
    configured = {r["address"]: r for r in plan["configuration"]["root_module"]["resources"]}
    changes = {r["address"]: r for r in plan.get("resource_changes", [])}
    providers = plan["configuration"].get("provider_config", {})
    links: dict[str, set[str]] = defaultdict(set)
    for address, block in configured.items():
        for reference in _references(block.get("expressions")):
            target = ".".join(reference.split(".")[:2])
            if target in planned and target != address:
                links[address].add(target)
                links[target].add(address)
    units = [Unit(digest(context, PROVIDERS_UNIT, providers), frozenset(provider_addresses), providers=True)]
    seen: set[str] = set()
    for address in planned:
        if address in seen:
            continue
        group: set[str] = set()
        pending = [address]
        while pending:
            current = pending.pop()
            if current not in group:
                group.add(current)
                pending.extend(links[current] - group)
        seen |= group
        blocks = [
            (member, planned[member], configured.get(member), changes.get(member)) for member in sorted(group)
        ]
        units.append(Unit(digest(context, providers, blocks), frozenset(group)))
    return units


def partial_plan(plan: Mapping[str, Any], addresses: set[str]) -> dict[str, Any]:
    """``plan`` keeping only the resources at ``addresses`` (whole linked groups) and every provider."""
    keep: dict[str, Any] = {
        "format_version": plan["format_version"],
        "terraform_version": plan["terraform_version"],
        "planned_values": {
            "root_module": {
                "resources": [
                    r for r in plan["planned_values"]["root_module"]["resources"] if r["address"] in addresses
                ]
            }
        },
        "configuration": {
            "provider_config": plan["configuration"].get("provider_config", {}),
            "root_module": {
                "resources": [
                    r for r in plan["configuration"]["root_module"]["resources"] if r["address"] in addresses
                ]
            },
        },
    }
    changes = [r for r in plan.get("resource_changes", []) if r["address"] in addresses]
    if changes:
        keep["resource_changes"] = changes
    return keep
