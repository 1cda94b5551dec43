"""Does a policy document grant administrator or wildcard privileges? Pure functions over the JSON."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from supportops.runbooks.access_review.inventory import Grant


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def load_document(document: Any) -> dict[str, Any]:
    """boto3 usually decodes IAM policy documents; accept URL-encoded JSON strings too."""
    if isinstance(document, dict):
        return document
    if isinstance(document, str):
        text = document if document.lstrip().startswith("{") else urllib.parse.unquote(document)
        loaded = json.loads(text)
        if isinstance(loaded, dict):
            return loaded
    raise ValueError("policy document is not a JSON object")


def grants_in(document: Any, source: str) -> tuple[Grant, ...]:
    """Admin grants (Action * on Resource *) and wildcard grants (service:* or NotAction with Allow)."""
    try:
        doc = load_document(document)
    except (ValueError, json.JSONDecodeError):
        return (Grant(source=source, level="wildcard", detail="unreadable policy document"),)
    found: list[Grant] = []
    for statement in _as_list(doc.get("Statement")):
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        resources = [str(r) for r in _as_list(statement.get("Resource"))]
        any_resource = "*" in resources
        if "NotAction" in statement:
            found.append(
                Grant(
                    source,
                    "admin" if any_resource else "wildcard",
                    f"Allow NotAction {statement['NotAction']} on {', '.join(resources) or '-'}",
                )
            )
            continue
        actions = [str(a) for a in _as_list(statement.get("Action"))]
        if any(a in ("*", "*:*") for a in actions):
            level = "admin" if any_resource else "wildcard"
            found.append(Grant(source, level, f"Action * on {', '.join(resources) or '-'}"))
            continue
        wild = sorted(a for a in actions if a.endswith(":*"))
        if wild and any_resource:
            found.append(Grant(source, "wildcard", f"{', '.join(wild)} on *"))
    return tuple(found)
