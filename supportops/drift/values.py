"""Comparing a state value with a live one: the same setting written two ways is not drift.

A state export and a live read spell equal settings differently: a policy as a JSON string or as an
object, a statement's ``Action`` as a string or a one-item list, ``300.0`` for ``300``, an absent
key for ``""`` or ``[]``. :func:`canonical` maps each to one form; :func:`same` compares those.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from supportops.inventory.model import MISSING, unwrap

# Statement keys whose value is a set (order and one-item lists are spelling, not meaning).
_SET_VALUED = frozenset({"Action", "NotAction", "Resource", "NotResource"})
_MAX_JSON_TEXT = 1_000_000
# AWS adds tags under its own prefix (CloudFormation, Service Catalog): never the stack's doing.
AWS_TAG_PREFIX = "aws:"


def canonical(value: Any) -> Any:
    """One spelling of ``value``: secrets unwrapped, JSON text parsed, unset forms as None."""
    value = unwrap(value)
    if value is MISSING or value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return _parsed(value)
    if isinstance(value, Mapping):
        document = {str(k): canonical(v) for k, v in value.items()}
        document = {k: v for k, v in document.items() if v is not None}
        if "Statement" in document:
            document = _policy(document)
        return document or None
    if isinstance(value, list):
        items = [canonical(item) for item in value]
        return items or None
    return value


def _parsed(text: str) -> Any:
    stripped = text.strip()
    if stripped[:1] in ("{", "[") and len(stripped) <= _MAX_JSON_TEXT:
        try:
            return canonical(json.loads(stripped))
        except (ValueError, RecursionError):
            return text
    return text


def _policy(document: dict[str, Any]) -> dict[str, Any]:
    statements = document["Statement"]
    if isinstance(statements, dict):
        statements = [statements]
    if isinstance(statements, list):
        document["Statement"] = sorted((_statement(s) for s in statements), key=_sort_key)
    return document


def _statement(statement: Any) -> Any:
    if not isinstance(statement, dict):
        return statement
    out = dict(statement)
    for key in _SET_VALUED & out.keys():
        out[key] = _as_set(out[key])
    for key in ("Principal", "NotPrincipal"):
        principal = out.get(key)
        if isinstance(principal, dict):
            out[key] = {k: _as_set(v) for k, v in principal.items()}
    return out


def _as_set(value: Any) -> Any:
    items = value if isinstance(value, list) else [value]
    return sorted(items, key=_sort_key) if all(isinstance(i, str) for i in items) else value


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def canonical_tags(tags: Any) -> dict[str, str] | None:
    """Tags as a plain mapping without AWS's own ``aws:`` tags (a key/value list accepted too)."""
    tags = unwrap(tags)
    if isinstance(tags, list):  # aws-native spells tags as [{"key": ..., "value": ...}]
        pairs = [t for t in tags if isinstance(t, dict)]
        tags = {str(t.get("key", t.get("Key"))): t.get("value", t.get("Value")) for t in pairs}
    if not isinstance(tags, Mapping):
        return None
    kept = {str(k): str(unwrap(v)) for k, v in tags.items() if not str(k).startswith(AWS_TAG_PREFIX)}
    return kept or None


def same(state: Any, live: Any) -> bool:
    return bool(canonical(state) == canonical(live))
