"""The per-inventory index (:class:`Relations`), built once per inventory and shared by rules."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from supportops.findings import Evidence, Status
from supportops.inventory.model import MISSING, UNKNOWN, Inventory, Resource, is_known, unwrap
from supportops.policies.relations.keys import KeyKind, KeyRef
from supportops.policies.relations.policy_documents import PolicyDocument, parse_policy
from supportops.policies.relations.type_tokens import (
    AWS_NATIVE_PROVIDER,
    AWS_PROVIDER,
    BUCKET_SETTING_TYPES,
    BUCKET_TYPES,
    CONNECT_INSTANCE,
    CONNECT_STORAGE,
    DATA_CLASSIFICATION_TAG,
    FIREHOSE,
    KINESIS_STREAM,
    KMS_ALIAS,
    KMS_KEY,
    LOG_GROUP,
)
from supportops.policies.relations.typed import Malformed, region_name
from supportops.policies.relations.values import as_list, is_unknown, parse_json
from supportops.policies.relations.verdicts import Verdict, ev, failed, not_applicable, passed, unknown
from supportops.stacks.config import DataClassName, StackConfig


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
        if own is not None:
            # A region given but unusable is an ERROR (Malformed), never the stack's region.
            return None if own == UNKNOWN else region_name(own, "region")
        ref = resource.provider
        if ref:
            region = self._provider_regions.get(ref, MISSING)
            if region is MISSING:
                region = self._provider_region(resource)
                self._provider_regions[ref] = region
            if isinstance(region, Malformed):
                raise region
            if isinstance(region, str):
                return region if region != UNKNOWN else None
        return resource.region or config.region

    def _provider_region(self, resource: Resource) -> str | Malformed | None:
        provider = self.provider_of(resource)
        if provider is None or provider is resource:
            return None
        found = top(provider, "region")
        if found is None or found == UNKNOWN:
            return None if found is None else UNKNOWN
        try:
            return region_name(found, f"{provider.name}.region")
        except Malformed as exc:
            return exc

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
