"""Collectors of the services moto cannot hold (Connect, Customer Profiles, AppFlow, Amazon Q in
Connect, AppIntegrations, Lex V2), against Stubber responses in two pages: the rules judge what they
read exactly as they judge the planned resources."""

from __future__ import annotations

from pathlib import Path

import pytest
import stubbed_services
from live_helpers import REPO

from supportops.findings import Status
from supportops.inventory.model import Inventory
from supportops.policies.engine import evaluate
from supportops.policies.profiles import premise_of
from supportops.policies.stack_config import choose_config

IGNORED = {"required_tags", "resource_region_allowed", "data_store_classified"}
P, F, NA = Status.PASS, Status.FAIL, Status.NOT_APPLICABLE
INSTANCE = stubbed_services.INSTANCE

EXPECTED = {
    "customer-profiles": {
        ("customer_profiles_domain_cmk_encryption", "crm-a"): P,
        ("customer_profiles_domain_cmk_encryption", "crm-b"): F,
        ("customer_profiles_domain_expiration", "crm-a"): P,
        ("customer_profiles_domain_expiration", "crm-b"): F,
    },
    "appflow": {
        ("appflow_flow_cmk_encryption", "flow-0"): P,
        ("appflow_flow_cmk_encryption", "flow-1"): F,
        # the API never returns a connector profile's key: unknown, not a verdict
        ("appflow_flow_cmk_encryption", "zendesk"): NA,
    },
    "qconnect": {
        ("wisdom_cmk_encryption", "as-0"): P,
        ("wisdom_cmk_encryption", "as-1"): F,
        ("wisdom_cmk_encryption", "kb-0"): P,
        ("wisdom_cmk_encryption", "kb-1"): P,
    },
    "appintegrations": {
        ("wisdom_cmk_encryption", "di-0"): P,
        ("wisdom_cmk_encryption", "di-1"): F,
    },
    "lexv2-models": {
        # its text logs go to a log group this collection did not read (only Lex was collected)
        ("lex_conversation_logs_cmk_encryption", "ALIASAAAA1|BOTAAAAAA1"): NA,
    },
    "connect": {
        ("connect_instance_contact_flow_logs", INSTANCE): P,
        ("connect_instance_contact_lens_enabled", INSTANCE): F,
        ("connect_instance_storage_configured", INSTANCE): F,
        ("connect_storage_cmk_encryption", f"{INSTANCE}:assoc-1:CALL_RECORDINGS"): P,
        ("connect_storage_cmk_encryption", f"{INSTANCE}:assoc-2:AGENT_EVENTS"): NA,
        ("connect_flow_logging_enabled", f"{INSTANCE}:flow-0"): P,
        ("connect_flow_logging_enabled", f"{INSTANCE}:flow-1"): P,
        ("connect_admin_permissions_admin_profile_only", f"{INSTANCE}:sp-1"): P,
        ("connect_profile_no_unredacted_access", f"{INSTANCE}:sp-1"): P,
        **{
            (rule, f"{INSTANCE}:{flow}"): NA
            for rule in (
                "connect_flow_card_capture_recording_paused",
                "connect_flow_card_input_encrypted",
                "connect_flow_redaction_enabled",
            )
            for flow in ("flow-0", "flow-1", "mod-1")
        },
    },
}


@pytest.mark.parametrize("service", sorted(EXPECTED))
def test_stubbed_service_verdicts(service: str, moto_server: str) -> None:
    collected = stubbed_services.STUBBED[service](moto_server)
    assert collected.faults == ()
    choice = choose_config(
        Inventory("live", "live", collected.inventory.source, []),
        Path(REPO, "Pulumi.demo-foundation.yaml"),
    )
    findings = evaluate(collected.inventory, choice.config, premise=premise_of(choice)).findings
    verdicts = {
        (f.check_id, f.subject.rsplit("::", 1)[-1]): f.status
        for f in findings
        if f.check_id not in IGNORED and f.subject_type != "pulumi:pulumi:Stack"
    }
    assert verdicts == EXPECTED[service]


def test_connect_reads_every_page_and_names_storage_like_pulumi(moto_server: str) -> None:
    collected = stubbed_services.connect(moto_server)
    flows = collected.inventory.of_type("aws:connect/contactFlow:ContactFlow")
    assert sorted(f.id or "" for f in flows) == [f"{INSTANCE}:flow-0", f"{INSTANCE}:flow-1"]
    profile = collected.inventory.of_type("aws:connect/securityProfile:SecurityProfile")[0]
    assert profile.prop("permissions") == ["BasicAgentAccess", "ContactSearch.View"]
    storage = {
        r.prop("resourceType"): r
        for r in collected.inventory.of_type("aws:connect/instanceStorageConfig:InstanceStorageConfig")
    }
    assert storage["CALL_RECORDINGS"].prop("storageConfig.s3Config.encryptionConfig.keyId") == (
        stubbed_services.KEY
    )
    assert storage["AGENT_EVENTS"].prop("storageConfig.storageType") == "KINESIS_STREAM"


# Account-level rules run on the collection's stand-in stack resource; regions the stack must cover
# (us-east-1, us-west-2) that miss the service are named. Only us-east-1 was read here.
BASELINE = {
    "config": ("config_recorder_all_resources", ["us-west-2"]),
    "inspector2": ("inspector_scans_lambda_and_ecr", ["us-west-2"]),
    "accessanalyzer": ("access_analyzer_all_regions", ["us-west-2"]),
    # LAMBDA_NETWORK_LOGS is disabled on the us-east-1 detector
    "guardduty": ("guardduty_enabled_all_regions", ["us-east-1", "us-west-2"]),
    # the second standard is not FSBP's ARN
    "securityhub": ("securityhub_standards_subscribed", ["us-east-1", "us-west-2"]),
}


@pytest.mark.parametrize("service", sorted(BASELINE))
def test_security_baseline_collectors_feed_the_account_level_rules(service: str, moto_server: str) -> None:
    collected = stubbed_services.STUBBED[service](moto_server)
    assert collected.faults == ()
    choice = choose_config(
        Inventory("live", "live", collected.inventory.source, []),
        Path(REPO, "Pulumi.demo-foundation.yaml"),
    )
    rule, missing = BASELINE[service]
    (finding,) = [
        f
        for f in evaluate(collected.inventory, choice.config, premise=premise_of(choice)).findings
        if f.check_id == rule
    ]
    assert finding.subject_type == "pulumi:pulumi:Stack" and finding.status is F
    named = [region for region in ("us-east-1", "us-west-2") if f"{region} (" in finding.message]
    assert named == missing, finding.message
