"""The shared helpers: policy documents, key resolution, bucket settings, tags, regions, flows."""

from __future__ import annotations

import json

import pytest
from rule_outcomes import context, resource

from supportops.inventory.model import UNKNOWN
from supportops.policies import relations as rel
from supportops.policies.relations import KeyKind
from supportops.stacks.config import DataClassName

ACCOUNT = "111122223333"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-0000-0000-0000-000000000001"


def _key_inventory() -> rel.Relations:
    key = resource(
        "aws:kms/key:Key",
        "data",
        {},
        id="1234abcd-0000-0000-0000-000000000001",
        outputs={"arn": KEY_ARN, "keyId": "1234abcd-0000-0000-0000-000000000001"},
    )
    alias = resource(
        "aws:kms/alias:Alias",
        "data-alias",
        {"name": "alias/data", "targetKeyId": "1234abcd-0000-0000-0000-000000000001"},
        outputs={"arn": f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/data"},
    )
    return rel.relations(context([key, alias]).inventory)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (KEY_ARN, KeyKind.CUSTOMER_MANAGED),
        ("1234abcd-0000-0000-0000-000000000001", KeyKind.CUSTOMER_MANAGED),
        ("alias/data", KeyKind.CUSTOMER_MANAGED),
        (f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/data", KeyKind.CUSTOMER_MANAGED),
        (f"arn:aws:kms:us-east-1:{ACCOUNT}:key/from-an-earlier-phase", KeyKind.EXTERNAL),
        ("alias/aws/s3", KeyKind.AWS_MANAGED),
        (f"arn:aws:kms:us-east-1:{ACCOUNT}:alias/aws/sqs", KeyKind.AWS_MANAGED),
        (None, KeyKind.MISSING),
        ("", KeyKind.MISSING),
        (UNKNOWN, KeyKind.UNKNOWN),
    ],
)
def test_key_resolution(value: object, kind: KeyKind) -> None:
    assert _key_inventory().key(value).kind is kind


def test_relations_are_built_once_per_inventory() -> None:
    inventory = context([]).inventory
    assert rel.relations(inventory) is rel.relations(inventory)
    assert rel.relations(context([]).inventory) is not rel.relations(inventory)


def test_policy_statement_as_object_and_principal_forms() -> None:
    document = rel.parse_policy(
        json.dumps(
            {
                "Statement": {
                    "Effect": "Allow",
                    "Principal": {"AWS": ["*"]},
                    "Action": "s3:GetObject",
                    "Resource": "*",
                }
            }
        )
    )
    assert document is not None
    assert [s.wildcard_principal for s in document.statements] == [True]
    assert rel.open_statements(document) == list(document.statements)


def test_policy_conditions_that_constrain_the_caller() -> None:
    def statement(condition: dict[str, object]) -> str:
        return json.dumps(
            {
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "sqs:SendMessage",
                        "Resource": "*",
                        "Condition": condition,
                    }
                ]
            }
        )

    constrained = rel.parse_policy(statement({"ArnEquals": {"aws:SourceArn": "arn:aws:events:..."}}))
    transport_only = rel.parse_policy(statement({"Bool": {"aws:SecureTransport": "true"}}))
    assert constrained is not None and rel.open_statements(constrained) == []
    assert transport_only is not None and len(rel.open_statements(transport_only)) == 1


def test_policy_not_action_on_everything_is_full_admin() -> None:
    document = rel.parse_policy({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]})
    assert document is not None and document.statements[0].allows_everything()


def test_policy_unknown_and_malformed() -> None:
    with pytest.raises(rel.PolicyUnknown):
        rel.parse_policy(UNKNOWN)
    with pytest.raises(ValueError):
        rel.parse_policy("{not json")
    with pytest.raises(ValueError):
        rel.parse_policy(json.dumps({"Statement": ["Allow"]}))
    assert rel.parse_policy(None) is None


def test_tls_denials() -> None:
    document = rel.parse_policy(
        {
            "Statement": [
                {
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": "*",
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
                {
                    "Effect": "Deny",
                    "Principal": {"AWS": "*"},
                    "Action": "s3:*",
                    "Resource": "*",
                    "Condition": {"NumericLessThan": {"s3:TlsVersion": 1.2}},
                },
            ]
        }
    )
    assert document is not None
    assert rel.denies_insecure_transport(document) and rel.denies_tls_below(document, 1.2)
    assert not rel.denies_tls_below(document, 1.3)


def test_default_tags_from_provider_json_and_state_file_provider_reference() -> None:
    provider_urn = "urn:pulumi:t::handmade::pulumi:providers:aws::tagged"
    provider = resource(
        "pulumi:providers:aws",
        "tagged",
        {
            "region": "us-west-2",
            "defaultTags": json.dumps({"tags": {"owner": "team", "data-classification": "internal"}}),
        },
    )
    assert provider.urn == provider_urn
    # A stack export names the provider "<urn>::<id>"; the resource's own tags win.
    bucket = resource(
        "aws:s3/bucket:Bucket",
        "b",
        {"tags": {"data-classification": "call-recordings"}},
        provider=f"{provider_urn}::0a1b2c",
    )
    index = rel.relations(context([provider, bucket]).inventory)
    assert index.tags(bucket) == {"owner": "team", "data-classification": "call-recordings"}
    assert index.data_class(bucket) is DataClassName.CALL_RECORDINGS
    assert index.region(bucket, context([]).config) == "us-west-2"


def test_aws_native_tags_are_a_key_value_list() -> None:
    assert rel.normalize_tags(
        [{"key": "owner", "value": "team"}, {"Key": "phase", "Value": "automation"}]
    ) == {"owner": "team", "phase": "automation"}


def test_explicit_region_input_wins_over_the_provider() -> None:
    provider = resource("pulumi:providers:aws", "p", {"region": "us-east-1"})
    replica = resource("aws:s3/bucket:Bucket", "replica", {"region": "us-west-2"}, provider=provider.urn)
    index = rel.relations(context([provider, replica]).inventory)
    assert index.region(replica, context([]).config) == "us-west-2"


@pytest.mark.parametrize(
    ("tag", "data_class"),
    [
        ("call-recordings", DataClassName.CALL_RECORDINGS),
        ("auditLogs", DataClassName.AUDIT_LOGS),
        ("internal", None),
        (None, None),
    ],
)
def test_data_class_from_tag(tag: str | None, data_class: DataClassName | None) -> None:
    assert rel.data_class_from_tag(tag) is data_class


def test_bucket_settings_match_by_name_or_by_dependency_when_unknown() -> None:
    bucket = resource("aws:s3/bucket:Bucket", "b", {}, outputs={"bucket": "b-123"})
    by_name = resource(rel.S3_VERSIONING, "b-versioning", {"bucket": "b-123"})
    by_dependency = resource(rel.S3_POLICY, "b-policy", {"bucket": UNKNOWN}, dependencies=[bucket.urn])
    index = rel.relations(context([bucket, by_name, by_dependency]).inventory)
    settings = index.bucket_settings(bucket)
    assert settings.versioning == [by_name] and settings.policy == [by_dependency]


def _flow(*actions: dict[str, object], start: str = "a") -> rel.FlowDocument:
    flow = rel.parse_flow(
        resource(
            "aws:connect/contactFlow:ContactFlow",
            "f",
            {
                "content": json.dumps(
                    {"Version": "2019-10-30", "StartAction": start, "Actions": list(actions)}
                )
            },
        )
    )
    assert flow is not None
    return flow


def _action(identifier: str, kind: str, parameters: dict[str, object], *targets: str) -> dict[str, object]:
    transitions: dict[str, object] = {}
    if targets:
        transitions["NextAction"] = targets[0]
        transitions["Conditions"] = [
            {"NextAction": t, "Condition": {"Operator": "Equals", "Operands": ["x"]}} for t in targets[1:]
        ]
    return {"Identifier": identifier, "Type": kind, "Parameters": parameters, "Transitions": transitions}


PAUSE = {"RecordingBehavior": {"RecordedParticipants": []}}
RECORD = {"RecordingBehavior": {"RecordedParticipants": ["Agent", "Customer"]}}
STORE = {"StoreInput": "True"}


def test_capture_reached_around_the_pause_is_exposed() -> None:
    flow = _flow(
        _action("a", "Compare", {}, "pause", "capture"),  # one branch skips the pause
        _action("pause", "UpdateContactRecordingBehavior", PAUSE, "capture"),
        _action("capture", "GetParticipantInput", STORE),
    )
    assert rel.recording_at_capture(flow) == ["capture"]


def test_capture_after_resume_is_exposed_and_after_pause_is_not() -> None:
    resumed = _flow(
        _action("a", "UpdateContactRecordingBehavior", PAUSE, "resume"),
        _action("resume", "UpdateContactRecordingBehavior", RECORD, "capture"),
        _action("capture", "GetParticipantInput", STORE),
    )
    paused = _flow(
        _action("a", "UpdateContactRecordingBehavior", PAUSE, "capture"),
        _action("capture", "GetParticipantInput", STORE, "resume"),
        _action("resume", "UpdateContactRecordingBehavior", RECORD),
    )
    assert rel.recording_at_capture(resumed) == ["capture"]
    assert rel.recording_at_capture(paused) == []


def test_flow_content_unknown_or_malformed() -> None:
    with pytest.raises(rel.PolicyUnknown):
        rel.parse_flow(resource("aws:connect/contactFlow:ContactFlow", "f", {"content": UNKNOWN}))
    with pytest.raises(ValueError):
        rel.parse_flow(resource("aws:connect/contactFlow:ContactFlow", "f", {"content": "{}"}))
