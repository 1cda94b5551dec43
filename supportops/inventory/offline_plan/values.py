"""Turn values the mock runtime hands us into the inventory's JSON encoding."""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown
from pulumi.runtime import rpc

from supportops.inventory.model import REDACTED, SECRET_SIG, SIG_KEY, UNKNOWN


def to_inventory_value(value: Any) -> Any:
    """Unknowns become Pulumi's sentinel, secrets a redacted secret object, integral floats ints
    (protobuf carries every number as a double), resource references their URN."""
    if isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN):
        return UNKNOWN
    if rpc.is_rpc_secret(value):
        return {SIG_KEY: SECRET_SIG, "ciphertext": REDACTED}
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        if value.get(rpc._special_sig_key) == rpc._special_resource_sig:
            return value.get("urn", UNKNOWN)
        return {str(k): to_inventory_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_inventory_value(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    # Assets, archives and resource objects: keep a readable marker rather than fail.
    urn = getattr(value, "urn", None)
    if isinstance(urn, str):
        return urn
    path = getattr(value, "path", None)
    if isinstance(path, str):
        return {"asset": path}
    assets = getattr(value, "assets", None)  # AssetArchive: name -> asset or archive
    if isinstance(assets, dict):
        return {"archive": {str(k): to_inventory_value(v) for k, v in sorted(assets.items())}}
    return repr(value)
