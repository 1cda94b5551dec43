"""Which plan resource a property names: the cross-resource links written as ``references``.

A known value is matched against the identities of the other converted resources (id, ARN, name,
bucket, key id, URL). Among several matches the attribute's declared link types and the resource's
recorded dependencies decide; a value still ambiguous is left a plain value, never guessed. Values
unknown at preview time of a declared link attribute are linked to the dependencies of a declared
type when there are exactly as many (one for a scalar, two for a list naming two groups). When a
resource links two attributes to one type (a bucket's logging names the bucket and its target
bucket, both unknown before apply), the first declared attribute takes the dependency created
nearest to it in the component tree (the bucket beside it in its component) and the others the one
left, each only if it is the only one; otherwise nothing is linked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from supportops.inventory.model import Resource, is_known, unwrap

# Pulumi output name -> Terraform attribute, for the values other resources use to name this one.
IDENTITY_FIELDS: Final = (("arn", "arn"), ("name", "name"), ("keyId", "key_id"), ("url", "url"))
# Types whose own name is in a field that names another resource on other types.
OWN_NAME_FIELDS: Final = {"aws_s3_bucket": ("bucket", "bucket")}
# Types whose ``name`` names another resource, not themselves (a recorder status names its recorder).
NAME_NAMES_ANOTHER: Final = frozenset({"aws_config_configuration_recorder_status"})
_MIN_LENGTH: Final = 3


@dataclass(frozen=True, slots=True)
class Target:
    urn: str
    address: str
    terraform_type: str
    attribute: str

    def references(self) -> list[str]:
        """As Terraform writes them: the attribute, then the resource."""
        return [f"{self.address}.{self.attribute}", self.address]


class LinkIndex:
    """Identities of every resource written to the plan."""

    def __init__(self, parents: Mapping[str, str | None] | None = None) -> None:
        self._by_value: dict[str, list[Target]] = defaultdict(list)
        self._by_urn: dict[str, tuple[str, str]] = {}
        self._parents: dict[str, str | None] = dict(parents or {})  # every resource's, components too

    def add(
        self, resource: Resource, address: str, terraform_type: str, properties: Mapping[str, Any]
    ) -> None:
        self._by_urn[resource.urn] = (address, terraform_type)
        self._parents.setdefault(resource.urn, resource.parent)
        seen: set[str] = set()

        def remember(value: Any, attribute: str) -> None:
            value = unwrap(value)
            if isinstance(value, str) and is_known(value) and len(value) >= _MIN_LENGTH and value not in seen:
                seen.add(value)
                self._by_value[value].append(Target(resource.urn, address, terraform_type, attribute))

        remember(resource.id, "id")
        for field, attribute in (*IDENTITY_FIELDS, *filter(None, [OWN_NAME_FIELDS.get(terraform_type)])):
            if not (field == "name" and terraform_type in NAME_NAMES_ANOTHER):
                remember(properties.get(field), attribute)
        arn = unwrap(properties.get("arn"))
        if terraform_type == "aws_cloudwatch_log_group" and isinstance(arn, str) and is_known(arn):
            remember(f"{arn}:*", "arn")  # services take a log group's ARN with the stream wildcard

    def resolver(self, resource: Resource, links: Mapping[str, tuple[str, ...]]) -> ResourceResolver:
        return ResourceResolver(self, resource, links)

    def candidates(self, value: str) -> list[Target]:
        return self._by_value.get(value, [])

    def terraform_type(self, urn: str) -> str:
        return self._by_urn[urn][1]

    def parent(self, urn: str) -> str | None:
        return self._parents.get(urn)

    def ancestors(self, urn: str) -> list[str]:
        chain: list[str] = []
        parent = self._parents.get(urn)
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = self._parents.get(parent)
        return chain

    def target(self, urn: str, attribute: str) -> Target | None:
        found = self._by_urn.get(urn)
        return Target(urn, found[0], found[1], attribute) if found else None


class ResourceResolver:
    """The :class:`~supportops.policies.checkov.attributes.Resolver` for one resource."""

    def __init__(self, index: LinkIndex, resource: Resource, links: Mapping[str, tuple[str, ...]]) -> None:
        self._index = index
        self._urn = resource.urn
        own = OWN_NAME_FIELDS.get(index.terraform_type(resource.urn))
        # A resource's own identity fields name the resource itself, never another one (state files
        # give sub-resources the id of what they configure: a bucket's versioning has its name).
        self._own_fields = {field for field, _ in IDENTITY_FIELDS} | ({own[0]} if own else set())
        if index.terraform_type(resource.urn) in NAME_NAMES_ANOTHER:
            self._own_fields.discard("name")
        self._dependencies = resource.dependencies
        self._links = links
        # The first declared link attribute of each Terraform type names what this resource
        # configures (a logging's ``bucket``, not its ``targetBucket``).
        claimed: set[str] = set()
        self._primary: set[str] = set()
        for path, types in links.items():
            if claimed.isdisjoint(types):
                self._primary.add(path)
            claimed.update(types)

    def by_value(self, value: str, path: str) -> list[str] | None:
        if path in self._own_fields:
            return None
        candidates = [t for t in self._index.candidates(value) if t.urn != self._urn]
        if not candidates:
            return None
        allowed = self._links.get(path)
        if allowed:
            candidates = sorted(
                (t for t in candidates if t.terraform_type in allowed),
                key=lambda t: allowed.index(t.terraform_type),
            )
        if self._dependencies:
            dependencies = set(self._dependencies)
            candidates = [t for t in candidates if t.urn in dependencies]
        if not candidates:
            return None
        ambiguous = len(candidates) > 1 and (
            not allowed or candidates[0].terraform_type == candidates[1].terraform_type
        )
        if ambiguous:
            return None  # leave the plain value rather than guess
        return candidates[0].references()

    def for_unknown(self, path: str, count: int = 1) -> list[str] | None:
        """The dependencies of a declared type when there are exactly as many as unknown values (a
        list of two unknown group ids, two group dependencies); see the module docstring."""
        allowed = self._links.get(path)
        if not allowed:
            return None
        attribute = "arn" if path.lower().endswith(("arn", "arns")) else "id"
        targets = [
            target
            for urn in dict.fromkeys(self._dependencies)
            if (target := self._index.target(urn, attribute)) is not None and target.terraform_type in allowed
        ]
        if count == 1 and len(targets) > 1:
            nearest = self._nearest(targets)
            if path in self._primary:
                targets = [nearest] if nearest else []
            else:
                targets = [t for t in targets if nearest and t.urn != nearest.urn]
        if len(targets) != count:
            return None
        return [reference for target in targets for reference in target.references()]

    def _nearest(self, targets: list[Target]) -> Target | None:
        """The one target created in this resource's closest enclosing component, if exactly one."""
        for ancestor in self._index.ancestors(self._urn):
            found = [t for t in targets if self._index.parent(t.urn) == ancestor]
            if found:
                return found[0] if len(found) == 1 else None
        return None
