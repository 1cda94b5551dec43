"""Write an inventory in Pulumi's own file shapes (a deployment-v3 stack export, a preview
document): fixtures for the tests and bench/bench_rules.py, built from offline plans."""

from __future__ import annotations

import json
from typing import Any

from supportops.inventory.model import Inventory, Resource

SECRETS_PROVIDER = {"type": "passphrase", "state": {"salt": "v1:fixture"}}


def _provider_ref(inventory: Inventory, resource: Resource) -> str | None:
    if not resource.provider:
        return None
    provider = inventory.by_urn(resource.provider)
    provider_id = provider.id if provider is not None and provider.id else "unknown-id"
    return f"{resource.provider}::{provider_id}"


def _state(inventory: Inventory, resource: Resource) -> dict[str, Any]:
    state: dict[str, Any] = {"urn": resource.urn, "custom": resource.custom, "type": resource.type}
    if resource.id:
        state["id"] = resource.id
    state["inputs"] = resource.inputs
    state["outputs"] = resource.outputs
    if resource.parent:
        state["parent"] = resource.parent
    state["dependencies"] = resource.dependencies
    provider = _provider_ref(inventory, resource)
    if provider:
        state["provider"] = provider
    state["created"] = "2026-01-01T00:00:00Z"
    state["modified"] = "2026-01-01T00:00:00Z"
    return state


def export_document(inventory: Inventory) -> dict[str, Any]:
    """``pulumi stack export`` of ``inventory`` (version 3)."""
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2026-01-01T00:00:00Z", "magic": "fixture", "version": "v3.200.0"},
            "secrets_providers": SECRETS_PROVIDER,
            "resources": [_state(inventory, r) for r in inventory.resources],
        },
    }


def preview_document(inventory: Inventory, op: str = "create") -> dict[str, Any]:
    """``pulumi preview --json`` creating every resource of ``inventory``."""
    config = {k: v if isinstance(v, str) else _json(v) for k, v in inventory.config.items()}
    return {
        "config": config,
        "steps": [
            {"op": op, "urn": r.urn, "provider": _provider_ref(inventory, r) or "",
             "newState": _state(inventory, r)}
            for r in inventory.resources
        ],
        "changeSummary": {op: len(inventory.resources)},
    }


def _json(value: Any) -> str:
    return json.dumps(value)
