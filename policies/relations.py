"""Pure helpers the rules share: relations between resources, key resolution, policy documents,
tags, data classes, regions, and the verdict -> finding plumbing.

Everything a rule needs to look up across the inventory lives in :class:`Relations`, built once per
inventory (cached by ``id(inventory)`` while the inventory is alive), so no rule rescans the inventory
per resource. Unknown values (preview) are reported by rules as NOT_APPLICABLE, never PASS or FAIL.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final

from supportops.inventory.model import MISSING, UNKNOWN, Inventory, Resource, is_known, unwrap
from supportops.policies.rule import EvaluationContext, RuleMeta
from supportops.reports.model import Evidence, Finding, Status
from supportops.stacks.config import DataClassName, StackConfig

# ---------------------------------------------------------------------------------------------
# Type tokens
# ---------------------------------------------------------------------------------------------

AWS_PROVIDER: Final = "pulumi:providers:aws"
AWS_NATIVE_PROVIDER: Final = "pulumi:providers:aws-native"
KMS_KEY: Final = "aws:kms/key:Key"
KMS_ALIAS: Final = "aws:kms/alias:Alias"
S3_BUCKET: Final = "aws:s3/bucket:Bucket"
S3_BUCKET_V2: Final = "aws:s3/bucketV2:BucketV2"
S3_ENCRYPTION: Final = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
S3_ENCRYPTION_V2: Final = (
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
)
S3_VERSIONING: Final = "aws:s3/bucketVersioning:BucketVersioning"
S3_VERSIONING_V2: Final = "aws:s3/bucketVersioningV2:BucketVersioningV2"
S3_PUBLIC_ACCESS_BLOCK: Final = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
S3_POLICY: Final = "aws:s3/bucketPolicy:BucketPolicy"
S3_LIFECYCLE: Final = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
S3_LIFECYCLE_V2: Final = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
S3_LOGGING: Final = "aws:s3/bucketLogging:BucketLogging"
S3_LOGGING_V2: Final = "aws:s3/bucketLoggingV2:BucketLoggingV2"
S3_OBJECT_LOCK: Final = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"
S3_OBJECT_LOCK_V2: Final = "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"
S3_REPLICATION: Final = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
S3_OWNERSHIP: Final = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
LOG_GROUP: Final = "aws:cloudwatch/logGroup:LogGroup"
KINESIS_STREAM: Final = "aws:kinesis/stream:Stream"
FIREHOSE: Final = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
CONNECT_INSTANCE: Final = "aws:connect/instance:Instance"
CONNECT_STORAGE: Final = "aws:connect/instanceStorageConfig:InstanceStorageConfig"

BUCKET_TYPES: Final = (S3_BUCKET, S3_BUCKET_V2)

# Settings resources of a bucket, by the aspect they configure (pulumi-aws 7 splits them out).
BUCKET_SETTING_TYPES: Final[Mapping[str, str]] = {
    S3_ENCRYPTION: "encryption",
    S3_ENCRYPTION_V2: "encryption",
    S3_VERSIONING: "versioning",
    S3_VERSIONING_V2: "versioning",
    S3_PUBLIC_ACCESS_BLOCK: "public_access_block",
    S3_POLICY: "policy",
    S3_LIFECYCLE: "lifecycle",
    S3_LIFECYCLE_V2: "lifecycle",
    S3_LOGGING: "logging",
    S3_LOGGING_V2: "logging",
    S3_OBJECT_LOCK: "object_lock",
    S3_OBJECT_LOCK_V2: "object_lock",
    S3_REPLICATION: "replication",
    S3_OWNERSHIP: "ownership",
}

DATA_CLASSIFICATION_TAG: Final = "data-classification"

# ---------------------------------------------------------------------------------------------
# Verdicts: what a check says about one resource; turned into findings by `each`.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()


def passed(message: str, *evidence: Evidence) -> Verdict:
    return Verdict(Status.PASS, message, evidence)


def failed(message: str, *evidence: Evidence) -> Verdict:
    return Verdict(Status.FAIL, message, evidence)


def not_applicable(message: str, *evidence: Evidence) -> Verdict:
    return Verdict(Status.NOT_APPLICABLE, message, evidence)


def errored(message: str, *evidence: Evidence) -> Verdict:
    return Verdict(Status.ERROR, message, evidence)


def unknown(path: str) -> Verdict:
    """The value is unknown until apply (preview): neither a pass nor a fail."""
    return Verdict(Status.NOT_APPLICABLE, f"{path} is unknown until apply", (Evidence(path, "<unknown>"),))


def ev(path: str, observed: Any, expected: str | None = None) -> Evidence:
    return Evidence(path, _shown(observed), expected)


def _shown(value: Any) -> Any:
    if value is MISSING:
        return None
    if isinstance(value, str) and value == UNKNOWN:
        return "<unknown>"
    return value


Check = Callable[[Resource], Verdict | None]


def each(
    context: EvaluationContext,
    meta: RuleMeta,
    check: Check,
    types: tuple[str, ...] | None = None,
) -> Iterator[Finding]:
    """Run ``check`` over the resources of the rule's types; a check returning None skips the
    resource (not in scope); a value the check cannot interpret becomes ERROR, never PASS/FAIL."""
    for resource in context.inventory.of_type(*(types or meta.resource_types)):
        try:
            verdict = check(resource)
        except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
            verdict = errored(f"cannot interpret the resource's properties: {type(exc).__name__}: {exc}")
        if verdict is not None:
            yield context.finding(meta, resource, verdict.status, verdict.message, verdict.evidence)


# ---------------------------------------------------------------------------------------------
# Small value helpers
# ---------------------------------------------------------------------------------------------


def as_list(value: Any) -> list[Any]:
    """None/MISSING -> [], a scalar -> [scalar], a list -> itself (secrets unwrapped)."""
    value = unwrap(value)
    if value is None or value is MISSING:
        return []
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return [value]


def truthy(value: Any) -> bool | None:
    """Booleans as Pulumi may carry them (True, "true", "True"); None when absent/unknown."""
    value = unwrap(value)
    if value is MISSING or value is None or not is_known(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def number(value: Any) -> float | None:
    """A number as Pulumi may carry it (float, int or numeric string); None when absent."""
    value = unwrap(value)
    if value is MISSING or value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value != UNKNOWN:
        return float(value)
    return None


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
        return json.loads(value)
    return value


# ---------------------------------------------------------------------------------------------
# Policy documents
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------


class KeyKind(StrEnum):
    CUSTOMER_MANAGED = "customer-managed"  # a planned aws:kms/key:Key
    EXTERNAL = "external"  # a key ARN/id/alias not planned in this stack (e.g. an earlier phase's)
    AWS_MANAGED = "aws-managed"  # alias/aws/..., or no key at all
    MISSING = "missing"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class KeyRef:
    kind: KeyKind
    value: Any
    key: Resource | None = None

    @property
    def customer_managed(self) -> bool:
        return self.kind in (KeyKind.CUSTOMER_MANAGED, KeyKind.EXTERNAL)

    def describe(self) -> str:
        if self.kind is KeyKind.CUSTOMER_MANAGED and self.key is not None:
            return f"customer-managed key {self.key.name}"
        if self.kind is KeyKind.EXTERNAL:
            return f"customer-managed key {self.value} (declared outside this stack)"
        if self.kind is KeyKind.AWS_MANAGED:
            return f"AWS-managed key {self.value}"
        if self.kind is KeyKind.UNKNOWN:
            return "a key unknown until apply"
        return "no customer-managed key"


# ---------------------------------------------------------------------------------------------
# The per-inventory index
# ---------------------------------------------------------------------------------------------


@dataclass
class BucketSettings:
    """The settings resources of one bucket, by aspect (lists: a misconfigured stack may have two)."""

    encryption: list[Resource] = field(default_factory=list)
    versioning: list[Resource] = field(default_factory=list)
    public_access_block: list[Resource] = field(default_factory=list)
    policy: list[Resource] = field(default_factory=list)
    lifecycle: list[Resource] = field(default_factory=list)
    logging: list[Resource] = field(default_factory=list)
    object_lock: list[Resource] = field(default_factory=list)
    replication: list[Resource] = field(default_factory=list)
    ownership: list[Resource] = field(default_factory=list)


class Relations:
    """Lookup maps over one inventory, built once."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self._providers: dict[str, Resource] = {}
        for resource in inventory.of_type(AWS_PROVIDER, AWS_NATIVE_PROVIDER):
            self._providers[resource.urn] = resource
        self._default_tags: dict[str, dict[str, str]] = {}
        self._provider_regions: dict[str, Any] = {}

        # Keys: by ARN, key id and alias (name and ARN).
        self.keys: dict[str, Resource] = {}
        for key in inventory.of_type(KMS_KEY):
            for ref in (key.prop("arn", None), key.prop("keyId", None), key.id):
                if isinstance(ref, str) and is_known(ref) and ref:
                    self.keys[ref] = key
        for alias in inventory.of_type(KMS_ALIAS):
            target = alias.prop("targetKeyId", None)
            aliased = self.keys.get(target) if isinstance(target, str) else None
            if aliased is None:
                continue
            for ref in (alias.prop("name", None), alias.prop("arn", None), alias.id):
                if isinstance(ref, str) and is_known(ref) and ref:
                    self.keys[ref] = aliased

        # Buckets and their settings.
        self.buckets_by_name: dict[str, Resource] = {}
        self._bucket_urns: set[str] = set()
        for bucket in inventory.of_type(*BUCKET_TYPES):
            self._bucket_urns.add(bucket.urn)
            for ref in (bucket.prop("bucket", None), bucket.id):
                if isinstance(ref, str) and is_known(ref) and ref:
                    self.buckets_by_name[ref] = bucket
            arn = bucket.prop("arn", None)
            if isinstance(arn, str) and is_known(arn):
                self.buckets_by_name[arn] = bucket
        self._settings: dict[str, BucketSettings] = {}
        self.log_target_buckets: set[str] = set()  # URNs of buckets receiving server access logs
        # Preview: settings whose bucket name is unknown may configure any bucket they depend on.
        self._pending: dict[str, set[str]] = {}
        self._pending_log_targets: set[str] = set()
        for setting_type, aspect in BUCKET_SETTING_TYPES.items():
            for setting in inventory.of_type(setting_type):
                owner = self.bucket_of(setting)
                if owner is None:
                    if is_unknown(setting.prop("bucket", None)):
                        candidates = self._bucket_dependencies(setting)
                        self._pending.setdefault(aspect, set()).update(candidates)
                        if aspect == "logging":
                            self._pending_log_targets.update(candidates)
                    continue
                getattr(self._settings.setdefault(owner.urn, BucketSettings()), aspect).append(setting)
                if aspect == "logging":
                    target_name = setting.prop("targetBucket", None)
                    target = self.bucket_named(target_name)
                    if target is not None:
                        self.log_target_buckets.add(target.urn)
                    elif is_unknown(target_name):
                        self._pending_log_targets.update(
                            urn for urn in self._bucket_dependencies(setting) if urn != owner.urn
                        )

        # Log groups by name and ARN (with and without the ":*" suffix).
        self.log_groups: dict[str, Resource] = {}
        for group in inventory.of_type(LOG_GROUP):
            for ref in (group.prop("name", None), group.prop("arn", None), group.id):
                if isinstance(ref, str) and is_known(ref) and ref:
                    self.log_groups[ref] = group
                    self.log_groups[ref.removesuffix(":*")] = group

        # Kinesis streams and Firehose delivery streams by ARN and name.
        self.streams: dict[str, Resource] = {}
        for stream in inventory.of_type(KINESIS_STREAM, FIREHOSE):
            for ref in (stream.prop("arn", None), stream.prop("name", None), stream.id):
                if isinstance(ref, str) and is_known(ref) and ref:
                    self.streams[ref] = stream

        # Connect instances and their storage configs.
        self.connect_instances: dict[str, Resource] = {}
        for instance in inventory.of_type(CONNECT_INSTANCE):
            for ref in (instance.id, instance.prop("arn", None)):
                if isinstance(ref, str) and is_known(ref) and ref:
                    self.connect_instances[ref] = instance
        self.storage_configs: dict[str, list[Resource]] = {}
        for storage in inventory.of_type(CONNECT_STORAGE):
            instance_ref = storage.prop("instanceId", None)
            owner = self.connect_instances.get(instance_ref) if isinstance(instance_ref, str) else None
            if owner is None:
                owner = self._dependency_of(storage, CONNECT_INSTANCE)
            if owner is not None:
                self.storage_configs.setdefault(owner.urn, []).append(storage)
        # Buckets that are the destination of another bucket's replication (replicas).
        self.replica_buckets: set[str] = set()
        for bucket_urn, bucket_settings in self._settings.items():
            for config in bucket_settings.replication:
                for rule in as_list(config.prop("rules", None)):
                    destination = rule.get("destination") if isinstance(rule, Mapping) else None
                    if not isinstance(destination, Mapping):
                        continue
                    target = self.bucket_named(destination.get("bucket"))
                    if target is not None and target.urn != bucket_urn:
                        self.replica_buckets.add(target.urn)
                    elif target is None and is_unknown(destination.get("bucket")):
                        self.replica_buckets.update(
                            urn for urn in self._bucket_dependencies(config) if urn != bucket_urn
                        )
        self._policies: dict[tuple[str, str], PolicyDocument | None] = {}

    # -- buckets ----------------------------------------------------------------------------

    def bucket_named(self, name: Any) -> Resource | None:
        name = unwrap(name)
        if not isinstance(name, str) or not is_known(name):
            return None
        found = self.buckets_by_name.get(name)
        if found is None and name.startswith("arn:"):
            found = self.buckets_by_name.get(name.rsplit(":", 1)[-1])
        return found

    def bucket_of(self, setting: Resource) -> Resource | None:
        """The bucket a settings resource configures: by its ``bucket`` input, else (unknown name at
        preview) by the single bucket among its dependencies."""
        found = self.bucket_named(setting.prop("bucket", None))
        if found is not None:
            return found
        candidates = self._bucket_dependencies(setting)
        if len(candidates) == 1:
            return self.inventory.by_urn(candidates[0])
        return None

    def _bucket_dependencies(self, resource: Resource) -> list[str]:
        return [urn for urn in resource.dependencies if urn in self._bucket_urns]

    def pending(self, bucket: Resource, aspect: str) -> bool:
        """True when a settings resource of ``aspect`` names a bucket unknown until apply that may
        be this one (preview): a missing setting is then not a finding yet."""
        return bucket.urn in self._pending.get(aspect, ())

    def maybe_log_target(self, bucket: Resource) -> bool:
        return bucket.urn in self.log_target_buckets or bucket.urn in self._pending_log_targets

    def bucket_settings(self, bucket: Resource) -> BucketSettings:
        return self._settings.get(bucket.urn) or BucketSettings()

    def is_log_target(self, bucket: Resource) -> bool:
        return bucket.urn in self.log_target_buckets

    def _dependency_of(self, resource: Resource, type_token: str) -> Resource | None:
        matches = [
            found
            for urn in resource.dependencies
            if (found := self.inventory.by_urn(urn)) is not None and found.type == type_token
        ]
        return matches[0] if len(matches) == 1 else None

    # -- keys ---------------------------------------------------------------------------------

    def key(self, value: Any) -> KeyRef:
        """Resolve a key reference (ARN, key id, alias name or alias ARN)."""
        value = unwrap(value)
        if value is MISSING or value is None or value == "":
            return KeyRef(KeyKind.MISSING, None)
        if not is_known(value):
            return KeyRef(KeyKind.UNKNOWN, "<unknown>")
        if not isinstance(value, str):
            raise ValueError(f"a KMS key reference must be a string, not {type(value).__name__}")
        planned = self.keys.get(value)
        if planned is not None:
            return KeyRef(KeyKind.CUSTOMER_MANAGED, value, planned)
        if value.startswith("alias/aws/") or ":alias/aws/" in value:
            return KeyRef(KeyKind.AWS_MANAGED, value)
        return KeyRef(KeyKind.EXTERNAL, value)

    # -- log groups and streams -------------------------------------------------------------

    def log_group(self, ref: Any) -> Resource | None:
        ref = unwrap(ref)
        if not isinstance(ref, str) or not is_known(ref):
            return None
        return self.log_groups.get(ref) or self.log_groups.get(ref.removesuffix(":*"))

    def stream(self, ref: Any) -> Resource | None:
        ref = unwrap(ref)
        if not isinstance(ref, str) or not is_known(ref):
            return None
        return self.streams.get(ref)

    # -- policies -----------------------------------------------------------------------------

    def policy(self, resource: Resource, path: str) -> PolicyDocument | None:
        """The parsed policy document at ``path`` (parsed once per resource and path)."""
        key = (resource.urn, path)
        if key not in self._policies:
            self._policies[key] = parse_policy(resource.prop(path, MISSING))
        return self._policies[key]

    # -- providers, tags, regions -------------------------------------------------------------

    def provider_of(self, resource: Resource) -> Resource | None:
        ref = resource.provider
        if not ref:
            return None
        found = self._providers.get(ref)
        if found is None and "::" in ref:
            # State files reference providers as "<urn>::<id>".
            found = self._providers.get(ref.rsplit("::", 1)[0])
        return found

    def default_tags(self, resource: Resource) -> dict[str, str]:
        provider = self.provider_of(resource)
        if provider is None:
            return {}
        cached = self._default_tags.get(provider.urn)
        if cached is None:
            cached = {}
            raw = parse_json(provider.prop("defaultTags", MISSING))
            if isinstance(raw, Mapping):
                tags = raw.get("tags", raw)
                cached = normalize_tags(tags)
            self._default_tags[provider.urn] = cached
        return cached

    def tags(self, resource: Resource) -> dict[str, str]:
        """Provider default tags merged with the resource's own (``tagsAll`` wins when present)."""
        own = top(resource, "tagsAll")
        if not isinstance(own, Mapping):
            own = top(resource, "tags")
        defaults = self.default_tags(resource)
        return {**defaults, **normalize_tags(own)} if own else dict(defaults)

    def region(self, resource: Resource, config: StackConfig) -> str | None:
        """The resource's own ``region`` input, else its provider's region, else the region the
        source recorded, else the stack's; None while unknown."""
        own = unwrap(resource.inputs.get("region"))
        if isinstance(own, str) and own:
            return own if own != UNKNOWN else None
        ref = resource.provider
        if ref:
            region = self._provider_regions.get(ref, MISSING)
            if region is MISSING:
                provider = self.provider_of(resource)
                region = None
                if provider is not None and provider is not resource:
                    found = top(provider, "region")
                    region = found if isinstance(found, str) and found else None
                self._provider_regions[ref] = region
            if isinstance(region, str):
                return region if region != UNKNOWN else None
        return resource.region or config.region

    def data_class(self, resource: Resource) -> DataClassName | None:
        return data_class_from_tag(self.tags(resource).get(DATA_CLASSIFICATION_TAG))


def key_verdict(index: Relations, path: str, value: Any, what: str = "") -> Verdict:
    """PASS for a customer-managed key, FAIL for an AWS-managed or missing one, NOT_APPLICABLE while
    unknown. ``what`` names the data encrypted (for the message)."""
    ref = index.key(value)
    subject = f"{what} " if what else ""
    if ref.kind is KeyKind.UNKNOWN:
        return unknown(path)
    evidence = ev(path, value, "a customer-managed KMS key (ARN, id or alias of an aws:kms/key:Key)")
    if ref.customer_managed:
        return passed(f"{subject}encrypted with {ref.describe()}", evidence)
    if ref.kind is KeyKind.AWS_MANAGED:
        return failed(f"{subject}encrypted with {ref.describe()}, not a customer-managed key", evidence)
    return failed(f"{subject}not encrypted with a customer-managed key ({path} is not set)", evidence)


def combine(verdicts: Iterable[Verdict]) -> Verdict | None:
    """Several sub-checks of one resource: the first FAIL, else the first ERROR, else the first
    NOT_APPLICABLE (unknown), else a PASS carrying every sub-check's evidence."""
    collected = list(verdicts)
    if not collected:
        return None
    for status in (Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE):
        for verdict in collected:
            if verdict.status is status:
                return verdict
    return Verdict(
        Status.PASS,
        "; ".join(v.message for v in collected),
        tuple(e for v in collected for e in v.evidence),
    )


def missing_setting(
    index: Relations, bucket: Resource, aspect: str, message: str, evidence: Evidence
) -> Verdict:
    """FAIL for a bucket without a settings resource of ``aspect``, unless one whose bucket name is
    unknown until apply may configure it (then NOT_APPLICABLE)."""
    if index.pending(bucket, aspect):
        return not_applicable(f"a {aspect} resource names a bucket unknown until apply", evidence)
    return failed(message, evidence)


def top(resource: Resource, key: str) -> Any:
    """A top-level property (input, else output of the same name), unwrapped; None when absent.
    The fast path of ``Resource.prop`` for the per-resource checks every resource goes through."""
    value = resource.inputs.get(key, MISSING)
    if value is MISSING or value is None:
        value = resource.outputs.get(key) if resource.outputs else None
    return unwrap(value)


def normalize_tags(tags: Any) -> dict[str, str]:
    """Tags as a dict whether given as a mapping (pulumi-aws) or a key/value list (aws-native)."""
    tags = unwrap(tags)
    if isinstance(tags, Mapping):
        if not any(isinstance(v, dict) for v in tags.values()):
            return (
                dict(tags) if None not in tags.values() else {k: v for k, v in tags.items() if v is not None}
            )
        return {str(k): unwrap(v) for k, v in tags.items() if unwrap(v) is not None}
    if isinstance(tags, list):
        out: dict[str, str] = {}
        for item in tags:
            item = unwrap(item)
            if isinstance(item, Mapping):
                key = item.get("key", item.get("Key"))
                value = item.get("value", item.get("Value"))
                if key is not None:
                    out[str(key)] = value
        return out
    return {}


_CLASS_BY_TAG: Final = {name.tag_value: name for name in DataClassName}


def data_class_from_tag(value: Any) -> DataClassName | None:
    if not isinstance(value, str):
        return None
    return _CLASS_BY_TAG.get(value) or _CLASS_BY_TAG.get(_kebab(value))


def _kebab(value: str) -> str:
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in value)


_CACHE: dict[int, tuple[weakref.ref[Inventory], Relations]] = {}


def relations(inventory: Inventory) -> Relations:
    """The inventory's lookup maps, built on first use and reused by every rule of the run."""
    key = id(inventory)
    cached = _CACHE.get(key)
    if cached is not None and cached[0]() is inventory:
        return cached[1]
    built = Relations(inventory)

    cache = _CACHE  # held here: at interpreter exit the module global may already be gone

    def forget(_ref: weakref.ref[Inventory]) -> None:
        cache.pop(key, None)

    _CACHE[key] = (weakref.ref(inventory, forget), built)
    return built


# ---------------------------------------------------------------------------------------------
# Amazon Connect flows (content is a JSON string in the Flow Language)
# ---------------------------------------------------------------------------------------------

FLOW_TYPES: Final = (
    "aws:connect/contactFlow:ContactFlow",
    "aws:connect/contactFlowModule:ContactFlowModule",
    "aws-native:connect:ContactFlow",
    "aws-native:connect:ContactFlowModule",
)
RECORDING_ACTION: Final = "UpdateContactRecordingBehavior"


@dataclass(frozen=True, slots=True)
class FlowAction:
    identifier: str
    type: str
    parameters: Mapping[str, Any]
    targets: tuple[str, ...]

    @property
    def stores_input(self) -> bool:
        """A "Store customer input" block: what card capture uses."""
        return (
            self.type == "GetParticipantInput"
            and str(self.parameters.get("StoreInput", "")).lower() == "true"
        )

    @property
    def recorded_participants(self) -> list[Any] | None:
        """The participants a recording block records ([] pauses); None when it does not set them."""
        behavior = self.parameters.get("RecordingBehavior")
        if not isinstance(behavior, Mapping) or "RecordedParticipants" not in behavior:
            return None
        participants = behavior.get("RecordedParticipants")
        return list(participants) if isinstance(participants, list) else [participants]


@dataclass(frozen=True, slots=True)
class FlowDocument:
    start: str
    actions: Mapping[str, FlowAction]

    def of_type(self, action_type: str) -> list[FlowAction]:
        return [a for a in self.actions.values() if a.type == action_type]


def parse_flow(resource: Resource) -> FlowDocument | None:
    """The flow's content parsed; None without content. Raises PolicyUnknown for an unknown content
    and ValueError for content that is not a flow."""
    document = parse_json(resource.prop("content", MISSING))
    if document is MISSING:
        return None
    if document == UNKNOWN:
        raise PolicyUnknown()
    if not isinstance(document, Mapping) or not isinstance(document.get("Actions"), list):
        raise ValueError("flow content has no Actions list")
    actions: dict[str, FlowAction] = {}
    for raw in document["Actions"]:
        if not isinstance(raw, Mapping):
            raise ValueError("a flow action must be an object")
        transitions = raw.get("Transitions") or {}
        targets = [transitions.get("NextAction")] if isinstance(transitions, Mapping) else []
        if isinstance(transitions, Mapping):
            for branch in (*(transitions.get("Errors") or ()), *(transitions.get("Conditions") or ())):
                if isinstance(branch, Mapping):
                    targets.append(branch.get("NextAction"))
        parameters = raw.get("Parameters") or {}
        identifier = str(raw.get("Identifier", ""))
        actions[identifier] = FlowAction(
            identifier=identifier,
            type=str(raw.get("Type", "")),
            parameters=parameters if isinstance(parameters, Mapping) else {},
            targets=tuple(str(t) for t in targets if t),
        )
    return FlowDocument(start=str(document.get("StartAction", "")), actions=actions)


def recording_at_capture(flow: FlowDocument) -> list[str]:
    """Input-storing blocks reachable while recording is on, on some path from the start.

    A flow (or module) may be entered while the caller's recording runs, so the walk starts with
    recording on; a recording block with no participants pauses it and one with participants
    resumes it."""
    reached: set[tuple[str, bool]] = set()
    pending = [(flow.start, True)]
    exposed: set[str] = set()
    while pending:
        identifier, recording = pending.pop()
        if (identifier, recording) in reached or identifier not in flow.actions:
            continue
        reached.add((identifier, recording))
        action = flow.actions[identifier]
        if action.stores_input and recording:
            exposed.add(identifier)
        if action.type == RECORDING_ACTION:
            participants = action.recorded_participants
            if participants is not None:
                recording = bool(participants)
        pending.extend((target, recording) for target in action.targets)
    return sorted(exposed)
