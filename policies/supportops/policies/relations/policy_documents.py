"""IAM and resource policy documents: parsing and the questions rules ask of them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from supportops.inventory.model import MISSING, UNKNOWN, is_known, unwrap
from supportops.policies.relations.values import parse_json

# Condition keys that narrow *who* may use a grant (a wildcard principal constrained by one of them
# is not open to the world).
CONSTRAINING_CONDITION_KEYS: Final = frozenset(
    {
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
        "aws:principalorgid",
        "aws:principalorgpaths",
        "aws:principalaccount",
        "aws:principalarn",
        "aws:principalservicename",
        "aws:sourcevpc",
        "aws:sourcevpce",
        "aws:sourceip",
        "aws:userid",
        "kms:calleraccount",
        "kms:viaservice",
    }
)


@dataclass(frozen=True, slots=True)
class Statement:
    sid: str
    effect: str  # "Allow" | "Deny"
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    principals: tuple[tuple[str, str], ...]  # ("AWS" | "Service" | "Federated" | "*", value)
    condition: Mapping[str, Any]

    @property
    def allows(self) -> bool:
        return self.effect.lower() == "allow"

    @property
    def wildcard_principal(self) -> bool:
        return any(value == "*" for _, value in self.principals)

    @property
    def condition_keys(self) -> set[str]:
        keys: set[str] = set()
        for operator_block in self.condition.values():
            if isinstance(operator_block, Mapping):
                keys.update(str(k).lower() for k in operator_block)
        return keys

    @property
    def constrained(self) -> bool:
        return bool(self.condition_keys & CONSTRAINING_CONDITION_KEYS)

    def allows_everything(self) -> bool:
        """Allow of every action ("*", "*:*" or a NotAction) on every resource."""
        if not self.allows:
            return False
        all_actions = any(a in ("*", "*:*") for a in self.actions) or bool(self.not_actions)
        all_resources = "*" in self.resources or bool(self.not_resources)
        return all_actions and all_resources


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    statements: tuple[Statement, ...]


class PolicyUnknown(Exception):
    """The document (or part of it) is unknown until apply."""


def _plain_strings(value: Any) -> tuple[str, ...]:
    """Strings of a decoded JSON document (no Pulumi encodings can occur inside a JSON string)."""
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(item) for item in value)
    return (str(value),)


def _strings(value: Any) -> tuple[str, ...]:
    value = unwrap(value)
    if value is None or value is MISSING:
        return ()
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        item = unwrap(item)
        if not is_known(item):
            raise PolicyUnknown()
        out.append(str(item))
    return tuple(out)


def _principals(value: Any) -> tuple[tuple[str, str], ...]:
    value = unwrap(value)
    if value is None or value is MISSING:
        return ()
    if not is_known(value):
        raise PolicyUnknown()
    if isinstance(value, str):
        return (("*", value),)
    if isinstance(value, Mapping):
        return tuple((str(kind), item) for kind, items in value.items() for item in _strings(items))
    raise ValueError(f"Principal must be a string or an object, not {type(value).__name__}")


def parse_policy(value: Any) -> PolicyDocument | None:
    """A policy document from a JSON string or an object; None when absent. Raises PolicyUnknown
    for unknown values and ValueError for a malformed document."""
    raw_value = unwrap(value)
    document = parse_json(value)
    if document is MISSING:
        return None
    if document == UNKNOWN:
        raise PolicyUnknown()
    if not isinstance(document, Mapping):
        raise ValueError("a policy document must be a JSON object")
    if isinstance(raw_value, str):
        return _plain_policy(document)
    raw = unwrap(document.get("Statement", []))
    if not is_known(raw):
        raise PolicyUnknown()
    items = raw if isinstance(raw, list) else [raw]
    statements = []
    for item in items:
        item = unwrap(item)
        if not is_known(item):
            raise PolicyUnknown()
        if not isinstance(item, Mapping):
            raise ValueError("a policy statement must be an object")
        condition = unwrap(item.get("Condition")) or {}
        if not is_known(condition):
            raise PolicyUnknown()
        effect = unwrap(item.get("Effect", ""))
        if not is_known(effect):
            raise PolicyUnknown()
        statements.append(
            Statement(
                sid=str(unwrap(item.get("Sid", "")) or ""),
                effect=str(effect),
                actions=_strings(item.get("Action")),
                not_actions=_strings(item.get("NotAction")),
                resources=_strings(item.get("Resource")),
                not_resources=_strings(item.get("NotResource")),
                principals=_principals(item.get("Principal"))
                + tuple(("Not", p) for _, p in _principals(item.get("NotPrincipal"))),
                condition=condition if isinstance(condition, Mapping) else {},
            )
        )
    return PolicyDocument(tuple(statements))


def _plain_policy(document: Mapping[str, Any]) -> PolicyDocument:
    """The fast path for a policy given as a JSON string: plain values only."""
    raw = document.get("Statement", [])
    statements = []
    for item in raw if isinstance(raw, list) else [raw]:
        if not isinstance(item, Mapping):
            raise ValueError("a policy statement must be an object")
        principal = item.get("Principal")
        principals: tuple[tuple[str, str], ...] = ()
        if isinstance(principal, str):
            principals = (("*", principal),)
        elif isinstance(principal, Mapping):
            principals = tuple((str(k), v) for k, items in principal.items() for v in _plain_strings(items))
        elif principal is not None:
            raise ValueError(f"Principal must be a string or an object, not {type(principal).__name__}")
        not_principal = item.get("NotPrincipal")
        if not_principal is not None:
            principals += tuple(("Not", v) for _, v in _principals(not_principal))
        condition = item.get("Condition") or {}
        statements.append(
            Statement(
                sid=str(item.get("Sid", "") or ""),
                effect=str(item.get("Effect", "")),
                actions=_plain_strings(item.get("Action")),
                not_actions=_plain_strings(item.get("NotAction")),
                resources=_plain_strings(item.get("Resource")),
                not_resources=_plain_strings(item.get("NotResource")),
                principals=principals,
                condition=condition if isinstance(condition, Mapping) else {},
            )
        )
    return PolicyDocument(tuple(statements))


def open_statements(document: PolicyDocument) -> list[Statement]:
    """Allow statements with a wildcard principal and no condition narrowing who may use them."""
    return [s for s in document.statements if s.allows and s.wildcard_principal and not s.constrained]


def denies_insecure_transport(document: PolicyDocument) -> bool:
    """A Deny for every principal when ``aws:SecureTransport`` is false."""
    for s in document.statements:
        if s.allows or not s.wildcard_principal:
            continue
        for operator, block in s.condition.items():
            if str(operator).lower() != "bool" or not isinstance(block, Mapping):
                continue
            for key, value in block.items():
                if str(key).lower() == "aws:securetransport" and str(unwrap(value)).lower() == "false":
                    return True
    return False


def denies_tls_below(document: PolicyDocument, version: float = 1.2) -> bool:
    """A Deny for every principal when ``s3:TlsVersion`` is below ``version``."""
    for s in document.statements:
        if s.allows or not s.wildcard_principal:
            continue
        for operator, block in s.condition.items():
            if str(operator).lower() != "numericlessthan" or not isinstance(block, Mapping):
                continue
            for key, value in block.items():
                if str(key).lower() == "s3:tlsversion":
                    try:
                        if float(str(unwrap(value))) >= version:
                            return True
                    except ValueError:
                        continue
    return False
