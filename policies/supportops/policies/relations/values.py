"""Small value helpers: lists, booleans, numbers, unknowns, JSON strings."""

from __future__ import annotations

import json
import math
from typing import Any

from supportops.inventory.model import MISSING, UNKNOWN, is_known, unwrap
from supportops.policies.relations.typed import Malformed, flag


def as_list(value: Any) -> list[Any]:
    """None/MISSING -> [], a scalar -> [scalar], a list -> itself (secrets unwrapped)."""
    value = unwrap(value)
    if value is None or value is MISSING:
        return []
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return [value]


def truthy(value: Any, path: str = "value") -> bool | None:
    """Strict: :func:`~supportops.policies.relations.typed.flag` (prefer it, with the property path).
    ``"true"`` or ``1`` is not a boolean; None when absent or unknown."""
    if is_unknown(value):
        return None
    return flag(value, path)


def number(value: Any, path: str = "value") -> float | None:
    """Strict: a finite JSON number, never a bool, a numeric string, NaN or Infinity (prefer
    :func:`~supportops.policies.relations.typed.whole_number` with the property path and range)."""
    value = unwrap(value)
    if value is MISSING or value is None or is_unknown(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Malformed(path, value, "is not a finite number", "a number", violation=False)
    return float(value)


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
        try:
            return json.loads(value, parse_constant=_not_a_number)
        except RecursionError:
            raise ValueError("the JSON document is nested too deeply") from None
    return value


def _not_a_number(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
