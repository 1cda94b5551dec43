"""The drift comparison on hand-made state and live inventories: which resources are changed,
deleted, unmanaged or unverified, and what is never called drift (spelling, regions not read,
types not collected)."""

from __future__ import annotations

import io
import json
from typing import Any

from rich.console import Console

from supportops.drift.compare import CollectorCatalog, DriftKind, DriftResult, compare, stack_tags
from supportops.drift.report import drift_report
from supportops.drift.values import canonical
from supportops.findings import Status
from supportops.inventory.live.model import CollectionFault, LiveCollection, live_urn
from supportops.inventory.model import REDACTED, SECRET_SIG, SIG_KEY, Inventory, Resource, Source, SourceKind

QUEUE = "aws:sqs/queue:Queue"
BUCKET = "aws:s3/bucket:Bucket"
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
ROLE = "aws:iam/role:Role"
CONNECT = "aws:connect/instance:Instance"
PROVIDER = "pulumi:providers:aws"
ACCOUNT = "123456789012"
STACK_TAGS = {"owner": "team", "environment": "demo", "managed-by": "supportops"}
CATALOG = CollectorCatalog(
    {QUEUE: "sqs", BUCKET: "s3", POLICY: "s3", ROLE: "iam"}, global_types=frozenset({ROLE})
)
KEY = "arn:aws:kms:us-east-1:123456789012:key/k1"
POLICY_DOC = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": ["s3:*"],
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ],
}


def urn(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::shop::{type_}::{name}"


def state_resource(
    type_: str, name: str, physical_id: str, outputs: dict[str, Any], region: str | None = "us-east-1"
) -> Resource:
    return Resource(
        urn=urn(type_, name),
        type=type_,
        name=name,
        id=physical_id,
        outputs=outputs,
        inputs={},
        region=region,
        provider=urn(PROVIDER, "aws"),
    )


def live_resource(
    type_: str, physical_id: str, inputs: dict[str, Any], region: str = "us-east-1"
) -> Resource:
    return Resource(
        urn=live_urn(ACCOUNT, region, type_, physical_id),
        type=type_,
        name=physical_id,
        id=physical_id,
        inputs=inputs,
        region=region,
    )


def state_of(*resources: Resource) -> Inventory:
    provider = Resource(
        urn=urn(PROVIDER, "aws"),
        type=PROVIDER,
        name="aws",
        inputs={"region": "us-east-1", "defaultTags": {"tags": {**STACK_TAGS, "data-class": "x"}}},
    )
    return Inventory(
        "shop", "dev", Source(SourceKind.STACK_EXPORT, "state.json", "0" * 64), [provider, *resources]
    )


def live_of(
    *resources: Resource, faults: tuple[CollectionFault, ...] = (), uncollected: dict[str, str] | None = None
) -> LiveCollection:
    inventory = Inventory("live", ACCOUNT, Source(SourceKind.LIVE, ACCOUNT), list(resources))
    return LiveCollection(inventory, faults, uncollected or {})


def queue_state(key: str | None = KEY) -> Resource:
    outputs = {"name": "q", "kmsMasterKeyId": key or "", "tagsAll": {**STACK_TAGS, "data-class": "pii"}}
    return state_resource(QUEUE, "q", "https://sqs/123456789012/q", outputs)


def queue_live(key: str | None = KEY, **extra: Any) -> Resource:
    inputs = {"name": "q", "tags": {**STACK_TAGS, "data-class": "pii", "aws:cloudformation:x": "y"}, **extra}
    if key:
        inputs["kmsMasterKeyId"] = key
    return live_resource(QUEUE, "https://sqs/123456789012/q", inputs)


def run(state: Inventory, live: LiveCollection, regions: tuple[str, ...] = ("us-east-1",)) -> DriftResult:
    return compare(state, live, CATALOG, regions)


def kinds(result: DriftResult) -> dict[str, str]:
    return {d.urn: d.kind.value for d in result.drifts}


def test_a_resource_as_deployed_is_in_sync_whatever_the_spelling() -> None:
    # The state holds the policy as JSON text with one-item strings; AWS returns an object with lists,
    # 300.0 for 300, and its own aws: tags: none of that is drift.
    policy_state = state_resource(
        POLICY,
        "p",
        "b1",
        {
            "bucket": "b1",
            "policy": json.dumps(
                {**POLICY_DOC, "Statement": [{**POLICY_DOC["Statement"][0], "Action": "s3:*"}]}
            ),
        },
    )
    policy_live = live_resource(POLICY, "b1", {"bucket": "b1", "policy": POLICY_DOC})
    result = run(state_of(queue_state(), policy_state), live_of(queue_live(), policy_live))
    assert set(kinds(result).values()) == {"in-sync"}
    assert not result.drifted


def test_a_removed_key_is_a_change_with_both_values() -> None:
    result = run(state_of(queue_state()), live_of(queue_live(key=None)))
    [drift] = result.drifts
    assert drift.kind is DriftKind.CHANGED
    assert [(c.name, c.state, c.live) for c in drift.changes] == [("kmsMasterKeyId", KEY, None)]


def test_deleted_and_unmanaged_resources() -> None:
    stray = live_resource(BUCKET, "stray", {"bucket": "stray", "tags": dict(STACK_TAGS)})
    foreign = live_resource(BUCKET, "other-team", {"bucket": "other-team", "tags": {"owner": "someone"}})
    result = run(state_of(queue_state()), live_of(stray, foreign))
    assert kinds(result) == {urn(QUEUE, "q"): "deleted", stray.urn: "unmanaged"}


def test_the_stack_tags_leave_out_what_resources_override() -> None:
    state = state_of(
        Resource(urn=urn(QUEUE, "q"), type=QUEUE, name="q", inputs={"tags": {"data-class": "pii"}})
    )
    assert stack_tags(state) == STACK_TAGS


def test_a_fault_is_never_a_deletion_nor_a_change() -> None:
    listing = CollectionFault(
        "sqs",
        "ListQueues",
        "us-east-1",
        "arn:aws:iam::123456789012:user/audit",
        "AccessDenied",
        "not allowed",
    )
    result = run(state_of(queue_state()), live_of(faults=(listing,)))
    [drift] = result.drifts
    assert drift.kind is DriftKind.UNVERIFIED
    assert (
        "sqs:ListQueues in us-east-1 as arn:aws:iam::123456789012:user/audit failed with AccessDenied"
        in drift.reason
    )
    # A per-resource fault on the live queue: its settings are unread, so no change is claimed.
    live = queue_live(key=None)
    read = CollectionFault("sqs", "GetQueueAttributes", "us-east-1", None, "Throttling", "", subject=live.urn)
    result = run(state_of(queue_state()), live_of(live, faults=(read,)))
    assert [d.kind for d in result.drifts] == [DriftKind.UNVERIFIED]
    report = drift_report(state_of(queue_state()), live_of(live, faults=(read,)), result, ["us-east-1"])
    assert {(f.check_id, f.status) for f in report.findings} == {
        ("drift:changed", Status.ERROR),
        ("live:fault", Status.ERROR),
    }


def test_a_fault_of_another_service_or_region_does_not_hide_a_deletion() -> None:
    other = CollectionFault("sqs", "ListQueues", "eu-west-1", None, "AccessDenied", "")
    result = run(state_of(queue_state()), live_of(faults=(other,)), regions=("us-east-1", "eu-west-1"))
    assert [d.kind for d in result.drifts] == [DriftKind.DELETED]


def test_types_not_collected_and_regions_not_read_are_listed_not_deleted() -> None:
    connect = state_resource(CONNECT, "cc", "i-1", {"contactLensEnabled": True})
    west = state_resource(QUEUE, "west", "https://sqs/123456789012/west", {}, region="us-west-2")
    role = state_resource(ROLE, "r", "r", {"assumeRolePolicy": "{}"}, region="us-west-2")  # global type
    result = run(state_of(connect, west, role), live_of(uncollected={CONNECT: "moto has no Connect"}))
    assert kinds(result) == {role.urn: "deleted"}
    assert result.not_collected == {CONNECT: (1, "moto has no Connect")}
    assert result.outside_regions == {"us-west-2": 1}
    problems = drift_report(state_of(connect, west, role), live_of(), result, ["us-east-1"]).problems
    assert f"not collected: {CONNECT} (1 managed): moto has no Connect" in problems
    assert any("us-west-2" in p and "did not read" in p for p in problems)


def test_a_secret_property_shows_neither_value() -> None:
    secret = {SIG_KEY: SECRET_SIG, "plaintext": json.dumps("arn:aws:kms:us-east-1:123456789012:key/hidden")}
    state = state_of(
        state_resource(
            QUEUE,
            "q",
            "https://sqs/123456789012/q",
            {"kmsMasterKeyId": secret, "tagsAll": {**STACK_TAGS, "data-class": "pii"}},
        )
    )
    result = run(state, live_of(queue_live(key="arn:aws:kms:us-east-1:123456789012:key/other")))
    [drift] = result.drifts
    assert [(c.name, c.state, c.live) for c in drift.changes] == [("kmsMasterKeyId", REDACTED, REDACTED)]
    report = drift_report(state, live_of(), result, ["us-east-1"])
    assert "hidden" not in json.dumps([f.to_json() for f in report.findings])


def test_changed_findings_carry_property_state_and_live_values() -> None:
    result = run(state_of(queue_state()), live_of(queue_live(key=None)))
    report = drift_report(state_of(queue_state()), live_of(queue_live(key=None)), result, ["us-east-1"])
    [finding] = report.findings
    assert (finding.check_id, finding.status, finding.subject) == (
        "drift:changed",
        Status.FAIL,
        urn(QUEUE, "q"),
    )
    assert [(e.path, e.observed, e.expected) for e in finding.evidence] == [
        ("kmsMasterKeyId", None, json.dumps(KEY))
    ]


def test_canonical_forms() -> None:
    assert canonical('{"a": [1.0]}') == {"a": [1]}
    assert canonical("") is None and canonical([]) is None and canonical({"a": None}) is None
    assert canonical("not json {") == "not json {"


def test_every_report_writer_renders_a_drift_report(tmp_path: Any) -> None:
    from supportops.drift.table import drift_view
    from supportops.reports.formats import WRITERS, write_report

    state = state_of(queue_state())
    stray = live_resource(BUCKET, "stray", {"bucket": "stray", "tags": dict(STACK_TAGS)})
    live = live_of(queue_live(key=None), stray)
    report = drift_report(state, live, run(state, live), ["us-east-1"])
    for fmt in WRITERS:
        path = tmp_path / f"drift.{fmt}"
        write_report(report, fmt, path)
        assert "kmsMasterKeyId" in path.read_text(encoding="utf-8") or fmt == "junit", fmt
    console = Console(file=io.StringIO(), width=200)
    console.print(drift_view(report))
    table = console.file.getvalue()  # type: ignore[attr-defined]
    assert "kmsMasterKeyId" in table and "unmanaged 1" in table and "changed 1" in table
