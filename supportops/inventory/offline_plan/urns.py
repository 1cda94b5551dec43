"""URNs in the shape the real engine produces.

The mock monitor prefixes every child's type chain with the root stack type
(``pulumi:pulumi:Stack$aws:s3/bucket:Bucket``); the engine does not. We strip it.
"""

from __future__ import annotations

from supportops.inventory.model import STACK_TYPE

_STACK_PREFIX = STACK_TYPE + "$"


def normalize_urn(urn: str) -> str:
    if not urn:
        return urn
    parts = urn.split("::")
    if len(parts) >= 4 and parts[2].startswith(_STACK_PREFIX):
        parts[2] = parts[2][len(_STACK_PREFIX) :]
        return "::".join(parts)
    return urn


def default_provider_urn(stack: str, project: str, type_token: str) -> str:
    package = type_token.split(":", 1)[0]
    return f"urn:pulumi:{stack}::{project}::pulumi:providers:{package}::default"
