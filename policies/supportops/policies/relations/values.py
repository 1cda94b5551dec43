"""Small value helpers: lists, booleans, numbers, unknowns, JSON strings."""

from __future__ import annotations

import json
from typing import Any

from supportops.inventory.model import MISSING, UNKNOWN, is_known, unwrap


def as_list(value: Any) -> list[Any]:
    """None/MISSING -> [], a scalar -> [scalar], a list -> itself (secrets unwrapped)."""
    value = unwrap(value)
    if value is None or value is MISSING:
        return []
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return [value]


def truthy(value: Any) -> bool | None:
    """Booleans as Pulumi may carry them (True, "true", "True"); None when absent/unknown."""
    value = unwrap(value)
    if value is MISSING or value is None or not is_known(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def number(value: Any) -> float | None:
    """A number as Pulumi may carry it (float, int or numeric string); None when absent."""
    value = unwrap(value)
    if value is MISSING or value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value != UNKNOWN:
        return float(value)
    return None


def is_unknown(value: Any) -> bool:
    """The unknown sentinel (or an opaque secret): a value only known after apply."""
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, dict):
        return not is_known(value)
    return False


def parse_json(value: Any) -> Any:
    """A JSON string parsed, a dict/list returned as is, UNKNOWN for unknown values, MISSING for
    absent ones. Raises ValueError for a string that is not JSON."""
    value = unwrap(value)
    if value is MISSING or value is None or value == "":
        return MISSING
    if not is_known(value):
        return UNKNOWN
    if isinstance(value, str):
        return json.loads(value)
    return value
