"""An inventory written as a Terraform plan (JSON) that checkov's terraform_plan framework scans.

pulumi-aws is bridged from Terraform's AWS provider, so a Pulumi resource is a Terraform resource
under another name: the type comes from the table generated from the pulumi-aws SDK
(:mod:`.type_table`), attribute names and shapes from :mod:`.attributes`, cross-resource links from
:mod:`.links`, values unknown at preview time as the resource change's ``after_unknown``. Component
resources, providers and the stack are not cloud resources and are skipped; every other type that is
not converted is listed (never dropped silently).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from supportops.inventory.model import Inventory, Resource, is_known, unwrap
from supportops.policies.checkov.attributes import AttributeConverter, scalar, snake_case
from supportops.policies.checkov.links import LinkIndex
from supportops.policies.checkov.type_table import TypeMapping, TypeTable, default_type_table

TERRAFORM_VERSION: Final = "1.9.8"  # the plan format checkov reads; no Terraform is involved
PROVIDER_NAME: Final = "registry.terraform.io/hashicorp/aws"
_NAME_CHARACTERS: Final = re.compile(r"[^A-Za-z0-9_-]")
AWS_PROVIDER: Final = "pulumi:providers:aws"
# Provider inputs written to the provider block (checkov looks for hard-coded credentials there).
PROVIDER_SETTINGS: Final = ("region", "accessKey", "secretKey", "token", "profile")


@dataclass
class PlanConversion:
    plan: dict[str, Any]
    addresses: dict[str, str] = field(default_factory=dict)  # Terraform address -> Pulumi URN
    unmapped: dict[str, list[str]] = field(default_factory=dict)  # Pulumi type -> URNs
    without_equivalent: dict[str, list[str]] = field(default_factory=dict)  # Pulumi type -> URNs
    references: int = 0  # expressions written with references

    @property
    def resource_count(self) -> int:
        return len(self.plan["planned_values"]["root_module"]["resources"])

    def problems(self) -> list[str]:
        """Report lines for resources checkov did not see."""
        lines: list[str] = []
        if self.unmapped:
            listed = ", ".join(f"{t} ({len(urns)})" for t, urns in sorted(self.unmapped.items()))
            lines.append(f"checkov: not scanned, no Terraform type mapped for: {listed}")
        if self.without_equivalent:
            listed = ", ".join(f"{t} ({len(urns)})" for t, urns in sorted(self.without_equivalent.items()))
            lines.append(f"checkov: not scanned, no Terraform equivalent for: {listed}")
        return lines


def is_cloud_resource(resource: Resource) -> bool:
    """A custom resource of a cloud provider (not a component, provider, stack or stack reference)."""
    return resource.custom and not resource.type.startswith("pulumi:")


def sanitize_name(name: str) -> str:
    """A Terraform resource name: letters, digits, ``_`` and ``-``, starting with a letter or ``_``."""
    cleaned = _NAME_CHARACTERS.sub("_", name) or "resource"
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"r_{cleaned}"


class _Addresses:
    def __init__(self) -> None:
        self._used: set[str] = set()

    def new(self, terraform_type: str, name: str) -> str:
        base = f"{terraform_type}.{sanitize_name(name)}"
        address, counter = base, 1
        while address in self._used:
            counter += 1
            address = f"{base}_{counter}"
        self._used.add(address)
        return address


def _default_tags(provider: Resource) -> dict[str, Any]:
    raw = unwrap(provider.prop("defaultTags", None))
    if isinstance(raw, str) and is_known(raw):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    tags = raw.get("tags") if isinstance(raw, Mapping) else None
    return {str(k): v for k, v in tags.items() if is_known(v)} if isinstance(tags, Mapping) else {}


class _Providers:
    """The providers of the inventory: their default tags, and their Terraform provider blocks
    (checkov checks those too, e.g. for hard-coded credentials)."""

    def __init__(self, inventory: Inventory) -> None:
        self._tags: dict[str, dict[str, Any]] = {}
        self._defaults: dict[str, dict[str, Any]] = {}
        self.config: dict[str, dict[str, Any]] = {}
        self.addresses: dict[str, str] = {}  # checkov's provider address -> provider URN
        for resource in inventory:
            if resource.type.startswith("pulumi:providers:"):
                tags = _default_tags(resource)
                self._tags[resource.urn] = tags
                if resource.name.startswith("default"):
                    self._defaults[resource.type.removeprefix("pulumi:providers:")] = tags
            if resource.type == AWS_PROVIDER:
                self._add_block(resource)

    def _add_block(self, provider: Resource) -> None:
        alias = "default" if not self.config else sanitize_name(provider.name)
        while alias != "default" and f"aws.{alias}" in self.config:
            alias = f"{alias}_{len(self.config) + 1}"
        key = "aws" if alias == "default" else f"aws.{alias}"
        expressions = {
            snake_case(name): {"constant_value": scalar(value)}
            for name in PROVIDER_SETTINGS
            if isinstance(value := provider.inputs.get(name), str) and is_known(value)
        }  # a secret (Pulumi-encrypted config) is no hard-coded credential: left out
        block: dict[str, Any] = {"name": "aws", "full_name": PROVIDER_NAME, "expressions": expressions}
        if alias != "default":
            block["alias"] = alias
        self.config[key] = block
        self.addresses[f"aws.{alias}"] = provider.urn

    def default_tags(self, resource: Resource) -> dict[str, Any]:
        reference = resource.provider
        if not reference:
            return self._defaults.get(resource.type.split(":", 1)[0], {})
        # State files write "<provider urn>::<provider id>"; the offline plan writes the URN.
        return self._tags.get(reference) or self._tags.get(reference.rsplit("::", 1)[0], {})


def _tag_map(tags: Any) -> dict[str, Any] | None:
    """Tags as a map; pulumi-aws-native writes CloudFormation's list of ``{key, value}``."""
    if isinstance(tags, Mapping):
        return dict(tags)
    if isinstance(tags, list) and all(isinstance(t, Mapping) and "key" in t for t in tags):
        return {str(t["key"]): t.get("value") for t in tags}
    return None


def _properties(resource: Resource, mapping: TypeMapping, default_tags: Mapping[str, Any]) -> dict[str, Any]:
    """Outputs overlaid by known inputs (state files hold both), with the default tags merged in."""
    properties = dict(resource.outputs)
    for key, value in resource.inputs.items():
        if is_known(value) or key not in properties:
            properties[key] = value
    own = _tag_map(unwrap(properties.get("tags")))
    if own is not None:
        properties["tags"] = own
    if mapping.tags and default_tags:
        own = own or {}
        every = unwrap(properties.get("tagsAll"))
        every = every if isinstance(every, Mapping) else {}
        properties["tags"] = {**default_tags, **own}
        properties["tagsAll"] = {**default_tags, **every, **own}
    return properties


def to_terraform_plan(
    inventory: Inventory, *, references: bool = True, table: TypeTable | None = None
) -> PlanConversion:
    """Write the inventory as a Terraform plan. With ``references=False`` every link is left a
    plain value (what a naive conversion gives; checkov's connected checks then see no links)."""
    table = table or default_type_table()
    providers = _Providers(inventory)
    addresses = _Addresses()
    index = LinkIndex({r.urn: r.parent for r in inventory})
    unmapped: dict[str, list[str]] = defaultdict(list)
    without_equivalent: dict[str, list[str]] = defaultdict(list)
    selected: list[tuple[Resource, TypeMapping, str, dict[str, Any]]] = []

    for resource in inventory:
        if not is_cloud_resource(resource):
            continue
        mapping = table.mapping(resource.type)
        if mapping is None:
            if resource.type in table.no_terraform_equivalent:
                without_equivalent[resource.type].append(resource.urn)
            else:
                unmapped[resource.type].append(resource.urn)
            continue
        address = addresses.new(mapping.terraform, resource.name)
        properties = _properties(resource, mapping, providers.default_tags(resource))
        index.add(resource, address, mapping.terraform, properties)
        selected.append((resource, mapping, address, properties))

    converters: dict[str, AttributeConverter] = {}
    planned: list[dict[str, Any]] = []
    configured: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []  # only resources with values unknown at preview time
    written = 0
    for resource, mapping, address, properties in selected:
        converter = converters.get(resource.type)
        if converter is None:
            converter = converters[resource.type] = AttributeConverter(mapping)
        resolver = index.resolver(resource, mapping.links) if references else None
        converted = converter.convert(properties, resolver)
        name = address.split(".", 1)[1]
        planned.append(
            {
                "address": address,
                "mode": "managed",
                "type": mapping.terraform,
                "name": name,
                "provider_name": PROVIDER_NAME,
                "schema_version": 0,
                "values": converted.values,
            }
        )
        if converted.unknown:
            changes.append(
                {
                    "address": address,
                    "mode": "managed",
                    "type": mapping.terraform,
                    "name": name,
                    "provider_name": PROVIDER_NAME,
                    "change": {
                        "actions": ["create"],
                        "before": None,
                        "after": converted.values,
                        "after_unknown": converted.unknown,
                    },
                }
            )
        if converted.expressions:
            written += len(converted.expressions)
            configured.append(
                {
                    "address": address,
                    "mode": "managed",
                    "type": mapping.terraform,
                    "name": name,
                    "provider_config_key": "aws",
                    "expressions": converted.expressions,
                    "schema_version": 0,
                }
            )

    plan: dict[str, Any] = {
        "format_version": "1.2",
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {"root_module": {"resources": planned}},
        "configuration": {
            "provider_config": providers.config or {"aws": {"name": "aws", "full_name": PROVIDER_NAME}},
            "root_module": {"resources": configured},
        },
    }
    if changes:
        plan["resource_changes"] = changes
    return PlanConversion(
        plan=plan,
        addresses={**providers.addresses, **{address: r.urn for r, _, address, _ in selected}},
        unmapped=dict(unmapped),
        without_equivalent=dict(without_equivalent),
        references=written,
    )
