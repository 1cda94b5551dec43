"""Small hand-made rules and inventories for the engine, waiver, framework and CrossGuard tests."""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable

from supportops.findings import Finding, Severity, Status
from supportops.inventory.model import Inventory, Resource, Source, SourceKind
from supportops.policies.rule import Category, EvaluationContext, RuleMeta, RuleModule

STACK_URN = "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev"
BUCKET_TYPE = "aws:s3/bucket:Bucket"
QUEUE_TYPE = "aws:sqs/queue:Queue"


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::shop::{type_}::{name}"


Evaluate = Callable[[EvaluationContext], Iterable[Finding]]


def make_rule(
    rule_id: str, evaluate: Evaluate, severity: Severity = Severity.HIGH,
    resource_types: tuple[str, ...] = (BUCKET_TYPE,),
) -> RuleModule:
    module = types.ModuleType(f"fake_rules.{rule_id}")
    module.META = RuleMeta(  # type: ignore[attr-defined]
        id=rule_id, title=f"title of {rule_id}", severity=severity, category=Category.ENCRYPTION_AT_REST,
        rationale="because", remediation="fix()", resource_types=resource_types,
    )
    module.evaluate = evaluate  # type: ignore[attr-defined]
    return module  # type: ignore[return-value]


def tagged_rule(rule_id: str = "bucket_tagged", severity: Severity = Severity.HIGH) -> RuleModule:
    """FAIL for every bucket without an ``owner`` tag, PASS otherwise; NOT_APPLICABLE if unknown."""

    def evaluate(context: EvaluationContext) -> Iterable[Finding]:
        meta = rule.META
        for bucket in context.inventory.of_type(BUCKET_TYPE):
            owner = bucket.tags.get("owner")
            if owner is None:
                yield context.finding(meta, bucket, Status.FAIL, "no owner tag")
            else:
                yield context.finding(meta, bucket, Status.PASS, f"owner {owner}")

    rule = make_rule(rule_id, evaluate, severity)
    return rule


def build_inventory(*resources: Resource) -> Inventory:
    stack = Resource(urn=STACK_URN, type="pulumi:pulumi:Stack", name="shop-dev", custom=False)
    return Inventory("shop", "dev", Source(SourceKind.STACK_EXPORT, "state.json", "0" * 64),
                     [stack, *resources])


def bucket(name: str, tags: dict[str, str] | None = None) -> Resource:
    return Resource(urn=urn(BUCKET_TYPE, name), type=BUCKET_TYPE, name=name, parent=STACK_URN,
                    inputs={"tags": tags or {}})


def shop_inventory() -> Inventory:
    """Buckets 'logs' (no owner), 'media' (owner ops) and 'public' (no owner), and a queue."""
    queue = Resource(urn=urn(QUEUE_TYPE, "jobs"), type=QUEUE_TYPE, name="jobs", parent=STACK_URN)
    return build_inventory(bucket("logs", {"tier": "audit"}), bucket("media", {"owner": "ops"}),
                           bucket("public"), queue)
