"""Pulumi property values -> Terraform plan values and configuration expressions.

Pulumi names are Terraform's, camelCased, with list blocks pluralized (``rules`` for Terraform's
``rule`` blocks) and blocks of at most one item flattened to an object. A Terraform plan writes every
block as a list, so an object becomes a one-element list. Free-form maps (tags, environment
variables, ...) keep their keys verbatim.

A string naming another resource of the plan is not written as a value: it becomes a
``references`` expression at the same place in the configuration, which is what checkov's
terraform_plan parser turns into a graph edge (it substitutes the reference for a value the plan
does not know, as Terraform leaves values computed from other resources out of a plan).

A value unknown at preview time (and naming no resource) is left out of the values and marked in
``unknown``, which the plan writes as the resource change's ``after_unknown``, as Terraform does for
values known only after apply. checkov (with ``EVAL_TF_PLAN_AFTER_UNKNOWN``, which the runner sets)
then reads it as present with an unknown value: a check that an attribute is set passes, a check
of its value does not (a Lambda permission's ``source_arn`` computed from an API's ARN).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from supportops.inventory.model import REDACTED, UNKNOWN, is_secret
from supportops.policies.checkov.type_table import TypeMapping

TAG_KEYS: Final = frozenset({"tags", "tagsAll"})
_CAMEL_BOUNDARY: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(name: str) -> str:
    """``kmsMasterKeyId`` -> ``kms_master_key_id``; ``s3BucketName`` -> ``s3_bucket_name``."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


class Resolver(Protocol):
    """Finds the plan resources a property value names (both return None when it names none)."""

    def by_value(self, value: str, path: str) -> list[str] | None:
        """References for a known string value at a camelCase path (``rules.kmsMasterKeyId``)."""

    def for_unknown(self, path: str, count: int = 1) -> list[str] | None:
        """References for ``count`` values unknown at preview time at a camelCase path (the items of
        one list: ``vpcSecurityGroupIds`` naming two groups not yet created)."""


@dataclass
class Converted:
    values: dict[str, Any] = field(default_factory=dict)
    expressions: dict[str, Any] = field(default_factory=dict)
    unknown: dict[str, Any] = field(default_factory=dict)  # Terraform's after_unknown shape


def _is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value == UNKNOWN


def scalar(value: Any) -> Any:
    """A plain value as a plan holds it: secrets redacted, whole floats as ints (mocks send floats)."""
    if is_secret(value):
        return REDACTED
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def plain_map(value: Any) -> Any:
    """A free-form map: keys kept verbatim, secrets redacted, unknown entries left out."""
    if is_secret(value):
        return REDACTED
    if isinstance(value, Mapping):
        return {str(key): plain_map(item) for key, item in value.items() if not _is_unknown(item)}
    if isinstance(value, list):
        return [plain_map(item) for item in value if not _is_unknown(item)]
    return scalar(value)


class AttributeConverter:
    """Converts the properties of resources of one type (see module docstring)."""

    def __init__(self, mapping: TypeMapping) -> None:
        self._renames = mapping.renames
        self._maps = frozenset(mapping.maps)
        self._names: dict[str, str] = {}

    def name(self, key: str, path: str) -> str:
        """The Terraform name of ``key`` found at the dotted camelCase ``path``."""
        name = self._names.get(path)
        if name is None:
            name = self._renames.get(path) or self._renames.get(key) or snake_case(key)
            self._names[path] = name
        return name

    def convert(self, properties: Mapping[str, Any], resolver: Resolver | None) -> Converted:
        return self._block(properties, "", resolver)

    def _block(self, obj: Mapping[str, Any], prefix: str, resolver: Resolver | None) -> Converted:
        out = Converted()
        for key, raw in obj.items():
            if key.startswith("__"):
                continue
            path = f"{prefix}.{key}" if prefix else key
            name = self.name(key, path)
            if is_secret(raw):
                out.values[name] = REDACTED
            elif _is_unknown(raw):
                refs = resolver.for_unknown(path) if resolver else None
                if refs:
                    out.expressions[name] = {"references": refs}
                else:
                    out.unknown[name] = True
            elif path in self._maps or (not prefix and key in TAG_KEYS):
                out.values[name] = plain_map(raw)
            elif isinstance(raw, Mapping):
                inner = self._block(raw, path, resolver)
                out.values[name] = [inner.values]
                if inner.expressions:
                    out.expressions[name] = [inner.expressions]
                if inner.unknown:
                    out.unknown[name] = [inner.unknown]
            elif isinstance(raw, list):
                self._list(out, name, raw, path, resolver)
            elif isinstance(raw, str):
                refs = resolver.by_value(raw, path) if resolver else None
                if refs:
                    out.expressions[name] = {"references": refs}
                else:
                    out.values[name] = raw
            else:
                out.values[name] = scalar(raw)
        return out

    def _list(
        self, out: Converted, name: str, items: list[Any], path: str, resolver: Resolver | None
    ) -> None:
        if any(isinstance(item, Mapping) for item in items):
            blocks = [self._block(item, path, resolver) for item in items if isinstance(item, Mapping)]
            out.values[name] = [block.values for block in blocks]
            if any(block.expressions for block in blocks):
                out.expressions[name] = [block.expressions for block in blocks]
            if any(block.unknown for block in blocks):
                out.unknown[name] = [block.unknown for block in blocks]
            return
        values: list[Any] = []
        references: list[str] = []
        unknown = 0
        for item in items:
            refs = resolver.by_value(item, path) if resolver and isinstance(item, str) else None
            if refs:
                values.append(None)  # checkov puts the reference in place of the unknown item
                references.extend(refs)
            elif _is_unknown(item):
                values.append(None)
                unknown += 1
            else:
                values.append(scalar(item))
        if unknown:
            references.extend((resolver.for_unknown(path, unknown) if resolver else None) or ())
        out.values[name] = values
        if references:
            out.expressions[name] = {"references": references}
