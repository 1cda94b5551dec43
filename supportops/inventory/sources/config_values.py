"""Stack config as Pulumi hands it out as strings (``pulumi preview --json``'s ``config``, the
``PULUMI_CONFIG`` environment of a policy pack) turned back into the values the config model reads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

BLINDED_SECRET = "[secret]"


def config_from_strings(
    raw: Mapping[str, Any], *, secret_keys: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Lists and objects arrive JSON-encoded; a blinded secret (``[secret]``) or a key known to be
    secret becomes ``{"secure": ...}``, the shape a stack file gives a secret."""
    values: dict[str, Any] = {}
    for key, value in raw.items():
        name = str(key).partition(":")[2]
        if value == BLINDED_SECRET or name in secret_keys:
            values[key] = {"secure": BLINDED_SECRET}
        elif isinstance(value, str) and value[:1] in ("[", "{"):
            try:
                values[key] = json.loads(value)
            except json.JSONDecodeError:
                values[key] = value
        else:
            values[key] = value
    return values
