"""The foundation's detection, scanning and recording services (issue 20), read from the planned
inventory: every service in every region in scope, configured as the rules and checkov expect, and
opted out per service (with the reason) or narrowed to fewer regions by config."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from supportops.inventory.model import Inventory, Resource
from supportops.inventory.offline_plan import PlanRequest, plan_program
from supportops.stacks.config import DataClassName

REGIONS = {"us-east-1", "us-west-2"}
KEY = "aws:kms/key:Key"


def _by_region(plan: Inventory, type_token: str) -> dict[str, list[Resource]]:
    found: dict[str, list[Resource]] = {}
    for resource in plan.of_type(type_token):
        found.setdefault(resource.get("region"), []).append(resource)
    return found


def _audit_key_arn(plan: Inventory) -> str:
    (key,) = [
        k
        for k in plan.of_type(KEY)
        if k.get("tags", {}).get("data-classification") == DataClassName.AUDIT_LOGS.tag_value
        and k.get("region") == "us-east-1"
        and "replica" not in k.name
    ]
    return str(key.outputs["arn"])


def test_guardduty_runs_in_every_region_with_the_platform_plans(foundation_plan: Inventory) -> None:
    detectors = _by_region(foundation_plan, "aws:guardduty/detector:Detector")
    assert set(detectors) == REGIONS
    assert all(
        d.get("enable") is True and d.get("findingPublishingFrequency") == "FIFTEEN_MINUTES"
        for ds in detectors.values()
        for d in ds
    )
    features = {
        (f.get("region"), f.get("name"), f.get("status"))
        for f in foundation_plan.of_type("aws:guardduty/detectorFeature:DetectorFeature")
    }
    assert features == {(r, n, "ENABLED") for r in REGIONS for n in ("S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS")}
    # The demo account is the organization's delegated administrator: members are auto-enabled.
    organization = foundation_plan.of_type(
        "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
    )
    assert {(o.get("region"), o.get("autoEnableOrganizationMembers")) for o in organization} == {
        (r, "ALL") for r in REGIONS
    }


def test_security_hub_subscribes_fsbp_and_pci_dss_per_region_and_aggregates(
    foundation_plan: Inventory,
) -> None:
    accounts = _by_region(foundation_plan, "aws:securityhub/account:Account")
    assert set(accounts) == REGIONS
    assert all(a.get("enableDefaultStandards") is False for acc in accounts.values() for a in acc)
    arns = {
        s.get("standardsArn")
        for s in foundation_plan.of_type("aws:securityhub/standardsSubscription:StandardsSubscription")
    }
    assert arns == {
        f"arn:aws:securityhub:{region}::standards/{path}"
        for region in REGIONS
        for path in ("aws-foundational-security-best-practices/v/1.0.0", "pci-dss/v/4.0.1")
    }
    (aggregator,) = foundation_plan.of_type("aws:securityhub/findingAggregator:FindingAggregator")
    assert (aggregator.get("region"), aggregator.get("linkingMode"), aggregator.get("specifiedRegions")) == (
        "us-east-1",
        "SPECIFIED_REGIONS",
        ["us-west-2"],
    )


def test_inspector_and_access_analyzer_run_in_every_region(foundation_plan: Inventory) -> None:
    enablers = _by_region(foundation_plan, "aws:inspector2/enabler:Enabler")
    assert set(enablers) == REGIONS
    assert {tuple(e.get("resourceTypes")) for es in enablers.values() for e in es} == {
        ("ECR", "LAMBDA", "LAMBDA_CODE")
    }
    analyzers = _by_region(foundation_plan, "aws:accessanalyzer/analyzer:Analyzer")
    assert {r: [a.get("type") for a in a_list] for r, a_list in analyzers.items()} == {
        r: ["ORGANIZATION"] for r in REGIONS
    }


def test_config_records_everything_into_the_audit_bucket_under_its_key(foundation_plan: Inventory) -> None:
    recorders = _by_region(foundation_plan, "aws:cfg/recorder:Recorder")
    assert set(recorders) == REGIONS
    assert {json.dumps(r.get("recordingGroup"), sort_keys=True) for rs in recorders.values() for r in rs} == {
        json.dumps({"allSupported": True, "includeGlobalResourceTypes": True}, sort_keys=True)
    }
    statuses = {
        (s.get("region"), s.get("name"), s.get("isEnabled"))
        for s in foundation_plan.of_type("aws:cfg/recorderStatus:RecorderStatus")
    }
    assert statuses == {(r, f"demo-config-{r}", True) for r in REGIONS}
    audit_bucket = next(
        b for b in foundation_plan.of_type("aws:s3/bucket:Bucket") if b.name == "demo-audit-logs"
    )
    key_arn = _audit_key_arn(foundation_plan)
    channels = foundation_plan.of_type("aws:cfg/deliveryChannel:DeliveryChannel")
    assert {
        (c.get("region"), c.get("s3BucketName"), c.get("s3KmsKeyArn"), c.get("s3KeyPrefix")) for c in channels
    } == {(r, audit_bucket.outputs["bucket"], key_arn, "config") for r in REGIONS}
    (policy,) = [
        p
        for p in foundation_plan.of_type("aws:s3/bucketPolicy:BucketPolicy")
        if p.get("bucket") == audit_bucket.outputs["bucket"]
    ]
    sids = {s["Sid"]: s for s in json.loads(policy.get("policy"))["Statement"] if "Sid" in s}
    assert sids["ConfigWrite"]["Principal"] == {"Service": "config.amazonaws.com"}
    assert sids["ConfigWrite"]["Resource"].endswith("/config/AWSLogs/111122223333/Config/*")
    assert "aws:SourceAccount" in sids["ConfigWrite"]["Condition"]["StringEquals"]


def test_findings_reach_the_encrypted_alerts_topic(foundation_plan: Inventory) -> None:
    (topic,) = foundation_plan.of_type("aws:sns/topic:Topic")
    assert topic.get("kmsMasterKeyId") == _audit_key_arn(foundation_plan)
    rules = {
        r.name: json.loads(r.get("eventPattern"))
        for r in foundation_plan.of_type("aws:cloudwatch/eventRule:EventRule")
        if r.name.startswith("demo-security-findings")
    }
    assert {name: p["detail"]["findings"]["ProductName"] for name, p in rules.items()} == {
        "demo-security-findings-guardduty": ["GuardDuty"],
        "demo-security-findings-inspector": ["Inspector"],
        "demo-security-findings-securityhub": ["Security Hub"],
    }
    assert {json.dumps(p["detail"]["findings"]["Severity"]) for p in rules.values()} == {
        json.dumps({"Label": ["CRITICAL", "HIGH"]})
    }
    targets = [
        t
        for t in foundation_plan.of_type("aws:cloudwatch/eventTarget:EventTarget")
        if t.name.startswith("demo-security-findings")
    ]
    assert len(targets) == 3
    assert {t.get("arn") for t in targets} == {topic.outputs["arn"]}
    assert all(t.get("deadLetterConfig", {}).get("arn") for t in targets)
    key = next(k for k in foundation_plan.of_type(KEY) if k.outputs["arn"] == _audit_key_arn(foundation_plan))
    services = {s["Principal"].get("Service") for s in json.loads(key.get("policy"))["Statement"]}
    assert {"config.amazonaws.com", "events.amazonaws.com"} <= services


def _plan_with(tmp_path: Path, repo_root: Path, baseline: dict[str, Any]) -> Inventory:
    (tmp_path / "Pulumi.yaml").write_text(
        f"name: supportops\nruntime: python\nmain: {repo_root / 'stacks'}\n", encoding="utf-8"
    )
    stack = yaml.safe_load((repo_root / "Pulumi.demo-foundation.yaml").read_text(encoding="utf-8"))
    stack["config"]["supportops:securityBaseline"] = baseline
    (tmp_path / "Pulumi.demo-foundation.yaml").write_text(yaml.safe_dump(stack), encoding="utf-8")
    return plan_program(PlanRequest(tmp_path, "demo-foundation"))


BASELINE_TYPES = (
    "aws:guardduty/detector:Detector",
    "aws:securityhub/account:Account",
    "aws:securityhub/findingAggregator:FindingAggregator",
    "aws:inspector2/enabler:Enabler",
    "aws:cfg/recorder:Recorder",
    "aws:accessanalyzer/analyzer:Analyzer",
    "aws:sns/topic:Topic",
)


@pytest.mark.slow
def test_opt_outs_and_regions_shape_the_plan(tmp_path: Path, repo_root: Path) -> None:
    plan = _plan_with(
        tmp_path,
        repo_root,
        {
            "regions": ["us-east-1"],
            "optOut": {
                "guardDuty": "GuardDuty runs from the organization's security account 444455556666",
                "configRecorder": "AWS Config is recorded by Control Tower in every account",
            },
        },
    )
    counts = Counter(r.type for r in plan if r.type in BASELINE_TYPES)
    assert counts == Counter(
        {
            "aws:securityhub/account:Account": 1,
            "aws:inspector2/enabler:Enabler": 1,
            "aws:accessanalyzer/analyzer:Analyzer": 1,
            "aws:sns/topic:Topic": 1,
        }
    )
    # Without GuardDuty, its findings are not routed; without Config, the audit bucket takes no Config writes.
    routed = {
        r.name for r in plan.of_type("aws:cloudwatch/eventRule:EventRule") if "security-findings" in r.name
    }
    assert routed == {"demo-security-findings-inspector", "demo-security-findings-securityhub"}
    statements = [
        json.loads(p.get("policy"))["Statement"] for p in plan.of_type("aws:s3/bucketPolicy:BucketPolicy")
    ]
    assert not any(s.get("Sid") == "ConfigWrite" for doc in statements for s in doc)
