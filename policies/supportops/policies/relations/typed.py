"""Typed reads of resource properties for rules: a value of the expected type and range, or a reason.

A security property whose value is malformed must never read as compliant: ``-1`` is not "rotates
every -1 days", ``NaN`` is not "kept forever", ``0`` is not an authorization type. Each accessor
returns a valid typed value (or ``None`` when the property is absent) and otherwise raises:

- :class:`Unknown` for a value only known after apply (NOT_APPLICABLE, as at preview);
- :class:`Malformed` with ``violation=True`` when the value is well-typed but itself a violation
  (out of range, an unrecognised enum value): a FAIL;
- :class:`Malformed` with ``violation=False`` when it cannot be evaluated (wrong type, non-finite):
  an ERROR.

:func:`supportops.policies.relations.verdicts.each` turns both into findings carrying the observed
value, rendered with :func:`supportops.loading.bounded` so no message shows an unbounded value.
Types are strict: Pulumi state carries JSON numbers and booleans, so ``"1"``, ``true`` (for a
number) and ``1`` (for a flag) are wrong types, not spellings. Integral floats are integers: the
mock runtime and JSON round-trips deliver ``365.0``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from typing import Any

from supportops.inventory.model import MISSING, is_known, unwrap
from supportops.loading import bounded


class Unknown(Exception):
    """The value is unknown until apply."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class Malformed(Exception):
    """A property value a rule cannot accept as it stands."""

    def __init__(self, path: str, observed: Any, problem: str, expected: str, *, violation: bool) -> None:
        super().__init__(f"{path} {problem} (got {bounded(observed)})")
        self.path = path
        self.observed = bounded(observed)
        self.problem = problem
        self.expected = expected
        self.violation = violation


def _present(value: Any, path: str) -> Any:
    """The plain value, MISSING for absent/null; raises Unknown for an unknown value."""
    value = unwrap(value)
    if value is None or value is MISSING:
        return MISSING
    if not is_known(value):
        raise Unknown(path)
    return value


def whole_number(
    value: Any,
    path: str,
    *,
    minimum: int | None = 0,
    maximum: int | None = None,
) -> int | None:
    """A whole number within ``[minimum, maximum]`` (``None`` when absent). Out of range is a
    violation (FAIL); a non-number, a bool, a numeric string, a fraction, NaN or Infinity is an
    ERROR."""
    value = _present(value, path)
    if value is MISSING:
        return None
    expected = _range_text(minimum, maximum)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Malformed(path, value, "is not a number", expected, violation=False)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Malformed(path, value, "is not a finite number", expected, violation=False)
        if not value.is_integer():
            raise Malformed(path, value, "is not a whole number", expected, violation=False)
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise Malformed(path, number, "is out of range", expected, violation=True)
    return number


def _range_text(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"a whole number from {minimum} to {maximum}"
    if minimum is not None:
        return f"a whole number >= {minimum}"
    if maximum is not None:
        return f"a whole number <= {maximum}"
    return "a whole number"


def flag(value: Any, path: str) -> bool | None:
    """``True``/``False`` (``None`` when absent); anything else ("true", 1, []) is an ERROR."""
    value = _present(value, path)
    if value is MISSING:
        return None
    if not isinstance(value, bool):
        raise Malformed(path, value, "is not a boolean", "true or false", violation=False)
    return value


def text(value: Any, path: str) -> str | None:
    """A string (``None`` when absent); any other type is an ERROR."""
    value = _present(value, path)
    if value is MISSING:
        return None
    if not isinstance(value, str):
        raise Malformed(path, value, "is not a string", "a string", violation=False)
    return value


def choice(value: Any, path: str, allowed: Collection[str]) -> str | None:
    """One of ``allowed`` (``None`` when absent). Another string is a violation (FAIL: nothing we
    recognise as compliant); a non-string is an ERROR."""
    expected = "one of " + ", ".join(sorted(allowed))
    found = text(value, path)
    if found is None:
        return None
    if found not in allowed:
        raise Malformed(path, found, "is not a recognised value", expected, violation=True)
    return found


def items(value: Any, path: str) -> list[Any]:
    """A list (``[]`` when absent), entries unwrapped; a scalar or a mapping is an ERROR."""
    value = _present(value, path)
    if value is MISSING:
        return []
    if not isinstance(value, list):
        raise Malformed(path, value, "is not a list", "a list", violation=False)
    return [unwrap(v) for v in value]


def strings(value: Any, path: str) -> list[str]:
    """A list of strings (``[]`` when absent; one string counts as a list of one, as IAM and Connect
    accept); a mapping, a number or a non-string entry is an ERROR (it could hide a permission)."""
    value = _present(value, path)
    if isinstance(value, str):
        return [value]
    found = items(value, path) if value is not MISSING else []
    for index, entry in enumerate(found):
        if not isinstance(entry, str):
            raise Malformed(f"{path}[{index}]", entry, "is not a string", "a string", violation=False)
    return found


def records(value: Any, path: str) -> list[dict[str, Any]]:
    """A list of mappings (``[]`` when absent), such as a plan's rules; any other entry is an ERROR."""
    found = items(value, path)
    for index, entry in enumerate(found):
        if not isinstance(entry, dict):
            raise Malformed(f"{path}[{index}]", entry, "is not a mapping", "a mapping", violation=False)
    return found


# us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1, ap-southeast-5, il-central-1 ...
_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-[1-9][0-9]?$")


def region_name(value: Any, path: str) -> str | None:
    """An AWS region name (``None`` when absent); anything else is an ERROR, never "the stack's
    region" by default."""
    found = text(value, path)
    if found is not None and not _REGION.match(found):
        expected = "a region name such as eu-west-1"
        raise Malformed(path, found, "is not an AWS region name", expected, violation=False)
    return found
