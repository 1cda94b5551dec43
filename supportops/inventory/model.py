"""One resource model for every source: offline plan, stack export, preview file, live account.

Values keep Pulumi's own encodings so that loading a 10,000-resource state file does not walk every
value: an unknown value is Pulumi's unknown sentinel string, a secret is Pulumi's secret signature
object. Use :func:`get` / :func:`is_known` / :func:`unwrap` rather than inspecting values directly.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from supportops.locations import SourceLocation

SCHEMA_VERSION: Final = 1
SCHEMA_ID: Final = f"supportops.inventory/v{SCHEMA_VERSION}"

# Pulumi's encodings (pulumi.runtime.rpc): the unknown sentinel and the secret signature.
UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SIG_KEY: Final = "4dabf18193072939515e22adb298388d"
SECRET_SIG: Final = "1b47061264138c4ac30d75fd1eb44270"
REDACTED: Final = "[secret]"

STACK_TYPE: Final = "pulumi:pulumi:Stack"

_B64 = r"[A-Za-z0-9+/]+={0,2}"
#: What `pulumi config set --secret` writes under ``secure:`` in a stack file: the passphrase and
#: cloud-KMS providers write ``v1:<nonce>:<ciphertext>`` (base64 parts), the Pulumi Cloud provider
#: bare base64 (``AAABA...``). Nothing else is a value Pulumi encrypted.
PULUMI_CIPHERTEXT: Final = re.compile(rf"^(?:v1:{_B64}:{_B64}|[A-Za-z0-9+/]{{16,}}={{0,2}})$")


def is_ciphertext(value: Any) -> bool:
    """True for a ``secure:`` value Pulumi could have written (never for plain text or a non-string)."""
    return isinstance(value, str) and len(value) <= 65536 and PULUMI_CIPHERTEXT.match(value) is not None


class SourceKind(StrEnum):
    OFFLINE_PLAN = "offline-plan"
    STACK_EXPORT = "stack-export"
    PREVIEW = "preview"
    LIVE = "live"


class _Missing:
    """Marker for a property path that does not exist (distinct from an explicit null)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()


def provider_urn(reference: str | None) -> str | None:
    """A provider reference is ``<provider URN>::<provider id>``; the URN is what we index by."""
    if not reference:
        return None
    urn, sep, _id = reference.rpartition("::")
    return urn if sep else reference


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def unwrap(value: Any) -> Any:
    """The plain value behind a secret wrapper; UNKNOWN for a secret whose plaintext is not present."""
    if is_secret(value):
        if "plaintext" in value:
            # `pulumi stack export --show-secrets` writes the secret's value JSON-encoded.
            plaintext = value["plaintext"]
            if isinstance(plaintext, str):
                with contextlib.suppress(ValueError, RecursionError):
                    return json.loads(plaintext)
            return plaintext
        if "value" in value:
            return value["value"]
        return UNKNOWN
    return value


def is_known(value: Any) -> bool:
    """False for the unknown sentinel, an opaque secret, or a container holding either at top level."""
    value = unwrap(value)
    return not (isinstance(value, str) and value == UNKNOWN)


def get(properties: Mapping[str, Any], path: str, default: Any = MISSING) -> Any:
    """Follow a dotted path (``serverSideEncryptionConfiguration.rules.0.kmsKeyId``) through
    dicts and lists, unwrapping secrets; returns UNKNOWN as soon as an unknown value is met."""
    current: Any = properties
    for part in path.split("."):
        current = unwrap(current)
        if isinstance(current, str) and current == UNKNOWN:
            return UNKNOWN
        if isinstance(current, dict):
            if part not in current:
                return default
            current = current[part]
        elif isinstance(current, list) and part.isdigit():
            index = int(part)
            if index >= len(current):
                return default
            current = current[index]
        else:
            return default
    return unwrap(current)


@dataclass(slots=True)
class Resource:
    """One resource as the engine sees it. ``inputs`` use Pulumi camelCase input names."""

    urn: str
    type: str
    name: str
    custom: bool = True
    parent: str | None = None
    dependencies: list[str] = field(default_factory=list)
    provider: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    region: str | None = None
    # Offline plan only: property paths ("outputs.arn", "inputs.ami") whose value the planner made
    # up (a data-source answer, a computed output), and False for a resource of a provider the
    # planner does not model (its outputs are placeholders; a remote component's children missing).
    invented: list[str] = field(default_factory=list)
    evaluated: bool = True
    # Offline plan only: the program line that declared the resource (see supportops.locations).
    source_location: SourceLocation | None = None

    def get(self, path: str, default: Any = MISSING) -> Any:
        """An input property by dotted path (see :func:`get`)."""
        return get(self.inputs, path, default)

    def prop(self, path: str, default: Any = MISSING) -> Any:
        """An input, falling back to the output of the same name (state files hold both)."""
        value = get(self.inputs, path, MISSING)
        if value is MISSING and self.outputs:
            value = get(self.outputs, path, MISSING)
        return default if value is MISSING else value

    @property
    def tags(self) -> dict[str, Any]:
        tags = self.prop("tagsAll", None) or self.prop("tags", None)
        return tags if isinstance(tags, dict) else {}

    def to_json(self) -> dict[str, Any]:
        return {
            "urn": self.urn,
            "type": self.type,
            "name": self.name,
            "custom": self.custom,
            "id": self.id,
            "parent": self.parent,
            "dependencies": self.dependencies,
            "provider": self.provider,
            "region": self.region,
            "inputs": self.inputs,
            "outputs": self.outputs,
            "invented": self.invented,
            "evaluated": self.evaluated,
            "sourceLocation": self.source_location.to_json() if self.source_location else None,
        }


@dataclass(slots=True)
class Source:
    kind: SourceKind
    location: str = ""  # file path, project dir or account id
    sha256: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "location": self.location, "sha256": self.sha256}


@dataclass
class Inventory:
    """The resources of one stack from one source, with indexes rules need."""

    project: str
    stack: str
    source: Source
    resources: list[Resource]
    # Non-secret stack config (namespaced keys) and stack outputs, where the source has them.
    config: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    # What the source noticed and a person should read (the offline plan's notes on the program).
    notes: list[str] = field(default_factory=list)
    _by_urn: dict[str, Resource] = field(init=False, repr=False)
    _by_type: dict[str, list[Resource]] = field(init=False, repr=False)
    _children: dict[str, list[Resource]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_urn = {}
        self._by_type = defaultdict(list)
        self._children = defaultdict(list)
        for resource in self.resources:
            self._by_urn[resource.urn] = resource
            self._by_type[resource.type].append(resource)
            if resource.parent:
                self._children[resource.parent].append(resource)

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources)

    def __len__(self) -> int:
        return len(self.resources)

    def by_urn(self, urn: str) -> Resource | None:
        return self._by_urn.get(urn)

    def of_type(self, *types: str) -> list[Resource]:
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        return [r for t in types for r in self._by_type.get(t, [])]

    def types(self) -> Iterable[str]:
        return self._by_type.keys()

    def children(self, urn: str) -> list[Resource]:
        return self._children.get(urn, [])

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_ID,
            "project": self.project,
            "stack": self.stack,
            "source": self.source.to_json(),
            "config": self.config,
            "outputs": self.outputs,
            "notes": self.notes,
            "resources": [r.to_json() for r in self.resources],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Inventory:
        """The inverse of :meth:`to_json`, for documents this package wrote itself (the planner's
        child process, a cache entry): no validation, no Pulumi import. A user's file goes through
        ``supportops.inventory.inventory_file`` instead."""
        source = data["source"]
        return cls(
            project=data["project"],
            stack=data["stack"],
            source=Source(SourceKind(source["kind"]), source.get("location", ""), source.get("sha256")),
            resources=[
                Resource(
                    urn=r["urn"],
                    type=r["type"],
                    name=r["name"],
                    custom=r["custom"],
                    parent=r.get("parent"),
                    dependencies=list(r.get("dependencies") or []),
                    provider=r.get("provider"),
                    inputs=r.get("inputs") or {},
                    outputs=r.get("outputs") or {},
                    id=r.get("id"),
                    region=r.get("region"),
                    invented=list(r.get("invented") or []),
                    evaluated=bool(r.get("evaluated", True)),
                    source_location=SourceLocation.from_json(r.get("sourceLocation")),
                )
                for r in data["resources"]
            ],
            config=data.get("config") or {},
            outputs=data.get("outputs") or {},
            notes=list(data.get("notes") or []),
        )
