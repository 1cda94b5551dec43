"""Security properties of the planned Amazon Connect contact center, read from the recorded inventory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from supportops.errors import BadInput
from supportops.inventory.model import Inventory, Resource
from supportops.inventory.offline_plan import PlanRequest, plan_program
from supportops.stacks.components.telephony.contact_center import check_region
from supportops.stacks.components.telephony.permissions import (
    REDACTED_CONTENT_PERMISSION,
    UNREDACTED_CONTENT_PERMISSIONS,
)
from supportops.stacks.config import DataClassName, StackConfig
from supportops.stacks.config.tag_keys import BACKUP, BACKUP_PROTECTED

INSTANCE = "aws:connect/instance:Instance"
STORAGE = "aws:connect/instanceStorageConfig:InstanceStorageConfig"
STREAM = "aws:kinesis/stream:Stream"
QUEUE = "aws:connect/queue:Queue"
QUICK_CONNECT = "aws:connect/quickConnect:QuickConnect"
ROUTING_PROFILE = "aws:connect/routingProfile:RoutingProfile"
SECURITY_PROFILE = "aws:connect/securityProfile:SecurityProfile"
FLOW = "aws:connect/contactFlow:ContactFlow"
MODULE = "aws:connect/contactFlowModule:ContactFlowModule"
BUCKET = "aws:s3/bucket:Bucket"


def key_arn(plan: Inventory, data_class: str) -> str:
    return str(plan.outputs["kmsKeyArns"][data_class])


def one(plan: Inventory, type_token: str) -> Resource:
    (resource,) = plan.of_type(type_token)
    return resource


def test_instance_uses_saml_with_flow_logs_and_contact_lens(foundation_plan: Inventory) -> None:
    instance = one(foundation_plan, INSTANCE)
    assert instance.get("identityManagementType") == "SAML"
    assert instance.get("contactFlowLogsEnabled") is True
    assert instance.get("contactLensEnabled") is True
    assert foundation_plan.outputs["connectInstanceArn"] == instance.outputs["arn"]
    assert foundation_plan.outputs["connectInstanceId"] == instance.id


def test_storage_configs_encrypt_with_the_full_arn_of_each_data_class_key(foundation_plan: Inventory) -> None:
    configs = {r.get("resourceType"): r.get("storageConfig") for r in foundation_plan.of_type(STORAGE)}
    assert set(configs) == {
        "CALL_RECORDINGS",
        "CHAT_TRANSCRIPTS",
        "SCHEDULED_REPORTS",
        "CONTACT_TRACE_RECORDS",
        "AGENT_EVENTS",
    }
    expected_keys = {
        "CALL_RECORDINGS": key_arn(foundation_plan, "callRecordings"),
        "CHAT_TRANSCRIPTS": key_arn(foundation_plan, "chatTranscripts"),
        "SCHEDULED_REPORTS": key_arn(foundation_plan, "contactTraceRecords"),
    }
    for resource_type, key in expected_keys.items():
        s3 = configs[resource_type]["s3Config"]
        assert configs[resource_type]["storageType"] == "S3"
        assert s3["encryptionConfig"] == {"encryptionType": "KMS", "keyId": key}
        assert key.startswith("arn:aws:kms:")
    assert configs["CALL_RECORDINGS"]["s3Config"]["bucketName"] == foundation_plan.outputs["recordingsBucket"]
    assert (
        configs["CHAT_TRANSCRIPTS"]["s3Config"]["bucketName"] == foundation_plan.outputs["transcriptsBucket"]
    )
    assert (
        configs["CONTACT_TRACE_RECORDS"]["kinesisStreamConfig"]["streamArn"]
        == foundation_plan.outputs["ctrStreamArn"]
    )
    assert (
        configs["AGENT_EVENTS"]["kinesisStreamConfig"]["streamArn"]
        == foundation_plan.outputs["agentEventsStreamArn"]
    )


def test_streams_are_kms_encrypted_and_selected_by_the_backup_plan(foundation_plan: Inventory) -> None:
    streams = foundation_plan.of_type(STREAM)
    assert {s.outputs["arn"] for s in streams} == {
        foundation_plan.outputs["ctrStreamArn"],
        foundation_plan.outputs["agentEventsStreamArn"],
    }
    for stream in streams:
        assert stream.get("encryptionType") == "KMS"
        assert stream.get("kmsKeyId") == key_arn(foundation_plan, "contactTraceRecords")
        assert stream.get("tags")[BACKUP] == BACKUP_PROTECTED


def test_contact_buckets_keep_their_class_retention_are_backed_up_and_replicated(
    foundation_plan: Inventory,
) -> None:
    config = StackConfig(environment="demo", phase="foundation")
    buckets = {r.outputs["bucket"]: r for r in foundation_plan.of_type(BUCKET)}
    lifecycles = {
        r.get("bucket"): r.get("rules")[0]["expiration"]["days"]
        for r in foundation_plan.of_type("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    }
    replicated = {
        r.get("bucket"): r.get("rules")[0]["destination"]["bucket"]
        for r in foundation_plan.of_type("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    }
    replica_region = config.resilience.replica_region
    for output, data_class in (
        ("recordingsBucket", DataClassName.CALL_RECORDINGS),
        ("transcriptsBucket", DataClassName.CHAT_TRANSCRIPTS),
        ("reportsBucket", DataClassName.CONTACT_TRACE_RECORDS),
    ):
        name = foundation_plan.outputs[output]
        assert buckets[name].get("tags")[BACKUP] == BACKUP_PROTECTED
        assert buckets[name].get("tags")["data-classification"] == data_class.tag_value
        bounds = config.data_class(data_class)
        assert bounds.min_days <= lifecycles[name] <= bounds.max_days
        (replica,) = [b for b in buckets.values() if b.outputs["arn"] == replicated[name]]
        assert replica.region == replica_region


def test_one_queue_per_sla_tier_shows_its_targets(foundation_plan: Inventory) -> None:
    tiers = StackConfig(environment="demo", phase="foundation").sla_tiers
    queues = {q.get("name"): q for q in foundation_plan.of_type(QUEUE)}
    assert set(queues) == {t.name for t in tiers} | {"Escalation-L2", "Escalation-L3"}
    hours = {
        h.get("name"): h.outputs["hoursOfOperationId"]
        for h in foundation_plan.of_type("aws:connect/hoursOfOperation:HoursOfOperation")
    }
    for tier in tiers:
        queue = queues[tier.name]
        assert queue.get("tags") == {
            "sla-tier": tier.name,
            "sla-respond-minutes": str(tier.respond_minutes),
            "sla-resolve-minutes": str(tier.resolve_minutes),
        }
        assert f"respond within {tier.respond_minutes} min" in queue.get("description")
        expected_hours = "business-hours" if tier.business_hours_only else "always-open"
        assert queue.get("hoursOfOperationId") == hours[f"demo-contact-center-{expected_hours}"]


def test_quick_connects_escalate_l1_to_l2_to_l3(foundation_plan: Inventory) -> None:
    queues = {q.get("name"): q for q in foundation_plan.of_type(QUEUE)}
    quick = {qc.get("name"): qc for qc in foundation_plan.of_type(QUICK_CONNECT)}
    assert set(quick) == {"Escalate to L2", "Escalate to L3"}

    def target(name: str) -> str:
        (config,) = quick[name].get("quickConnectConfig")["queueConfigs"]
        return next(n for n, q in queues.items() if q.outputs["queueId"] == config["queueId"])

    assert target("Escalate to L2") == "Escalation-L2"
    assert target("Escalate to L3") == "Escalation-L3"
    to_l2 = quick["Escalate to L2"].outputs["quickConnectId"]
    to_l3 = quick["Escalate to L3"].outputs["quickConnectId"]
    assert {n for n, q in queues.items() if q.get("quickConnectIds") == [to_l2]} == {
        "Critical",
        "High",
        "Medium",
    }
    assert queues["Escalation-L2"].get("quickConnectIds") == [to_l3]
    assert queues["Escalation-L3"].get("quickConnectIds") == []


def test_routing_profiles_serve_their_level(foundation_plan: Inventory) -> None:
    queue_names = {q.outputs["queueId"]: q.get("name") for q in foundation_plan.of_type(QUEUE)}
    profiles = {
        p.get("name"): [
            (c["priority"], queue_names[c["queueId"]])
            for c in p.get("queueConfigs")
            if c["channel"] == "VOICE"
        ]
        for p in foundation_plan.of_type(ROUTING_PROFILE)
    }
    assert profiles == {
        "Support L1": [(1, "Critical"), (2, "High"), (3, "Medium")],
        "Support L2": [(1, "Escalation-L2"), (2, "Critical")],
        "Support L3": [(1, "Escalation-L3")],
    }


def permissions(plan: Inventory) -> dict[str, set[str]]:
    return {p.get("tags")["rbac-role"]: set(p.get("permissions")) for p in plan.of_type(SECURITY_PROFILE)}


def test_security_profiles_are_the_four_rbac_roles(foundation_plan: Inventory) -> None:
    roles = permissions(foundation_plan)
    assert set(roles) == {"agent", "supervisor", "administrator", "auditor"}
    assert "BasicAgentAccess" in roles["agent"]


def test_agents_and_supervisors_never_hold_unredacted_recording_access(foundation_plan: Inventory) -> None:
    roles = permissions(foundation_plan)
    assert {role for role, perms in roles.items() if perms & UNREDACTED_CONTENT_PERMISSIONS} == set()
    assert {role for role, perms in roles.items() if REDACTED_CONTENT_PERMISSION in perms} == {
        "supervisor",
        "auditor",
    }


def test_the_auditor_is_read_only_and_agents_cannot_change_configuration(foundation_plan: Inventory) -> None:
    roles = permissions(foundation_plan)
    writes = {".Create", ".Edit", ".Delete", ".Publish"}
    assert {p for p in roles["auditor"] if any(p.endswith(w) for w in writes)} == set()
    assert {p for p in roles["agent"] if any(p.endswith(w) for w in writes)} == set()
    assert {p for p in roles["administrator"] if any(p.endswith(w) for w in writes)}


def flow_content(plan: Inventory, flow_type: str) -> dict[str, Any]:
    (flow,) = [f for f in plan.of_type(FLOW) if f.get("type") == flow_type]
    return json.loads(flow.get("content"))


def test_the_deployed_inbound_flow_redacts_and_routes_to_the_planned_queues(
    foundation_plan: Inventory,
) -> None:
    content = flow_content(foundation_plan, "CONTACT_FLOW")
    by_type: dict[str, list[dict[str, Any]]] = {}
    for action in content["Actions"]:
        by_type.setdefault(action["Type"], []).append(action)
    (recording,) = by_type["UpdateContactRecordingBehavior"]
    assert recording["Parameters"]["AnalyticsBehavior"]["AnalyticsRedactionBehavior"] == "Enabled"
    assert recording["Parameters"]["AnalyticsBehavior"]["AnalyticsRedactionResults"] == "RedactedOnly"
    queue_arns = {q.outputs["arn"] for q in foundation_plan.of_type(QUEUE)}
    assert {a["Parameters"]["QueueId"] for a in by_type["UpdateContactTargetQueue"]} <= queue_arns
    (lookup,) = by_type["InvokeLambdaFunction"]
    assert lookup["Parameters"]["LambdaFunctionARN"] == foundation_plan.outputs["ticketSyncFunctionArn"]
    associations = foundation_plan.of_type("aws:connect/lambdaFunctionAssociation:LambdaFunctionAssociation")
    assert [a.get("functionArn") for a in associations] == [foundation_plan.outputs["ticketSyncFunctionArn"]]


def test_the_payment_module_pauses_recording_and_encrypts_the_card_number(foundation_plan: Inventory) -> None:
    module = json.loads(one(foundation_plan, MODULE).get("content"))
    first, capture = module["Actions"][0], module["Actions"][1]
    assert first["Parameters"]["RecordingBehavior"]["RecordedParticipants"] == []
    assert capture["Parameters"]["StoreInput"] == "True"
    assert capture["Parameters"]["InputEncryption"]["Key"].startswith("-----BEGIN CERTIFICATE-----")


def test_regions_outside_the_allowed_list_or_without_connect_are_refused() -> None:
    with pytest.raises(BadInput, match="Amazon Connect is not offered in eu-north-1"):
        check_region(
            StackConfig(
                environment="demo",
                phase="foundation",
                region="eu-north-1",
                allowed_regions=["eu-north-1"],
                resilience={"replicaRegion": None},
            )
        )
    check_region(StackConfig(environment="demo", phase="foundation"))


def test_users_from_config_get_their_role_and_level(tmp_path: Path, repo_root: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text(
        f"name: supportops\nruntime: python\nmain: {repo_root / 'stacks'}\n", encoding="utf-8"
    )
    stack = yaml.safe_load((repo_root / "Pulumi.demo-foundation.yaml").read_text(encoding="utf-8"))
    stack["config"]["supportops:contactCenter"]["users"] = [
        {"username": "ada", "firstName": "Ada", "lastName": "L", "email": "ada@example.com"},
        {
            "username": "grace",
            "firstName": "Grace",
            "lastName": "H",
            "email": "grace@example.com",
            "role": "supervisor",
            "level": "L2",
        },
    ]
    (tmp_path / "Pulumi.demo-foundation.yaml").write_text(yaml.safe_dump(stack), encoding="utf-8")

    plan = plan_program(PlanRequest(tmp_path, "demo-foundation"))

    profiles = {
        p.outputs["securityProfileId"]: p.get("tags")["rbac-role"] for p in plan.of_type(SECURITY_PROFILE)
    }
    routing = {r.outputs["routingProfileId"]: r.get("name") for r in plan.of_type(ROUTING_PROFILE)}
    users = {
        u.get("name"): (
            [profiles[i] for i in u.get("securityProfileIds")],
            routing[u.get("routingProfileId")],
        )
        for u in plan.of_type("aws:connect/user:User")
    }
    assert users == {"ada": (["agent"], "Support L1"), "grace": (["supervisor"], "Support L2")}
    assert all(u.get("password", None) is None for u in plan.of_type("aws:connect/user:User"))


def test_config_users_need_saml_and_unique_names() -> None:
    user = {"username": "ada", "firstName": "Ada", "lastName": "L", "email": "ada@example.com"}
    with pytest.raises(ValidationError, match="need identityMode SAML"):
        StackConfig(
            environment="demo",
            phase="foundation",
            identity_mode="CONNECT_MANAGED",
            contact_center={"users": [user]},
        )
    with pytest.raises(ValidationError, match="duplicate usernames: ada"):
        StackConfig(environment="demo", phase="foundation", contact_center={"users": [user, user]})
