"""The security-baseline rules (GuardDuty, Security Hub, Inspector, AWS Config, Access Analyzer,
findings routing): one verdict per stack, naming the regions in scope where a service is missing or
misconfigured; NOT_APPLICABLE with the reason for other phases, opted-out services and stacks
without the platform's config."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError
from rule_outcomes import Expected, assert_fixture_outcomes, config, context, outcomes, resource, rule_ids_of

from supportops.findings import Status
from supportops.inventory.model import STACK_TYPE, UNKNOWN, Resource
from supportops.policies.catalog import rule_by_id
from supportops.policies.engine import evaluate
from supportops.policies.rule import Category, EvaluationContext, Premise
from supportops.stacks.config import Phase, StackConfig

RULES = (
    "access_analyzer_all_regions",
    "config_recorder_all_resources",
    "guardduty_enabled_all_regions",
    "inspector_scans_lambda_and_ecr",
    "security_findings_routed",
    "securityhub_standards_subscribed",
)
CATEGORIES = {Category("security-monitoring")}
# The non-compliant fixture is a foundation stack with none of the services.
EXPECTED: Expected = {rule_id: ({"noncompliant-bad"}, set(), set()) for rule_id in RULES}
REGIONS = ("us-east-1", "us-west-2")
KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/audit"
TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:alerts"
STACK = "the-stack"


def _hub_pattern(product: str) -> str:
    return json.dumps(
        {
            "source": ["aws.securityhub"],
            "detail-type": ["Security Hub Findings - Imported"],
            "detail": {"findings": {"ProductName": [product], "Severity": {"Label": ["CRITICAL", "HIGH"]}}},
        }
    )


def baseline(regions: tuple[str, ...] = REGIONS, **changes: dict[str, Any] | None) -> list[Resource]:
    """A complete baseline over ``regions``; ``changes`` maps a resource name to new inputs (None
    removes the resource)."""
    planned: list[tuple[str, str, dict[str, Any], str | None]] = [
        ("aws:kms/key:Key", "audit-key", {"arn": KEY_ARN}, None),
        ("aws:sns/topic:Topic", "alerts", {"arn": TOPIC_ARN, "kmsMasterKeyId": KEY_ARN}, None),
        (
            "aws:securityhub/findingAggregator:FindingAggregator",
            "aggregator",
            {"linkingMode": "SPECIFIED_REGIONS", "specifiedRegions": list(regions[1:]), "region": regions[0]},
            None,
        ),
    ]
    for product, source in (("GuardDuty", "guardduty"), ("Inspector", "inspector"), ("Security Hub", "hub")):
        planned.append(
            (
                "aws:cloudwatch/eventRule:EventRule",
                f"{source}-rule",
                {"name": f"{source}-rule", "eventPattern": _hub_pattern(product)},
                None,
            )
        )
        planned.append(
            (
                "aws:cloudwatch/eventTarget:EventTarget",
                f"{source}-target",
                {"rule": f"{source}-rule", "arn": TOPIC_ARN},
                None,
            )
        )
    for region in regions:
        detector = f"detector-{region}"
        planned += [
            ("aws:guardduty/detector:Detector", detector, {"enable": True, "region": region}, detector),
            *(
                (
                    "aws:guardduty/detectorFeature:DetectorFeature",
                    f"{plan.lower()}-{region}",
                    {"detectorId": detector, "name": plan, "status": "ENABLED", "region": region},
                    None,
                )
                for plan in ("S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS")
            ),
            ("aws:securityhub/account:Account", f"hub-{region}", {"region": region}, None),
            *(
                (
                    "aws:securityhub/standardsSubscription:StandardsSubscription",
                    f"{name}-{region}",
                    {"standardsArn": f"arn:aws:securityhub:{region}::standards/{path}", "region": region},
                    None,
                )
                for name, path in (
                    ("fsbp", "aws-foundational-security-best-practices/v/1.0.0"),
                    ("pci", "pci-dss/v/4.0.1"),
                )
            ),
            (
                "aws:inspector2/enabler:Enabler",
                f"inspector-{region}",
                {"resourceTypes": ["ECR", "LAMBDA"], "accountIds": ["111122223333"], "region": region},
                None,
            ),
            (
                "aws:cfg/recorder:Recorder",
                f"recorder-{region}",
                {
                    "name": f"recorder-{region}",
                    "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
                    "region": region,
                },
                None,
            ),
            (
                "aws:cfg/recorderStatus:RecorderStatus",
                f"status-{region}",
                {"name": f"recorder-{region}", "isEnabled": True, "region": region},
                None,
            ),
            (
                "aws:cfg/deliveryChannel:DeliveryChannel",
                f"channel-{region}",
                {"s3BucketName": "audit-bucket", "s3KmsKeyArn": KEY_ARN, "region": region},
                None,
            ),
            (
                "aws:accessanalyzer/analyzer:Analyzer",
                f"analyzer-{region}",
                {"type": "ACCOUNT", "region": region},
                None,
            ),
        ]
    resources = [resource(STACK_TYPE, STACK, custom=False)]
    for type_token, name, inputs, resource_id in planned:
        if name in changes:
            replaced = changes[name]
            if replaced is None:
                continue
            inputs = {**inputs, **replaced}
        resources.append(resource(type_token, name, inputs, id=resource_id))
    return resources


def two_regions(**overrides: Any) -> StackConfig:
    return config(allowed_regions=list(REGIONS), **overrides)


def statuses(ctx: EvaluationContext) -> dict[str, tuple[Status, str]]:
    found: dict[str, tuple[Status, str]] = {}
    for rule_id in RULES:
        result = list(rule_by_id(rule_id).evaluate(ctx))
        assert [f.subject.rsplit("::", 1)[-1] for f in result] == [STACK], rule_id
        found[rule_id] = (result[0].status, result[0].message)
    return found


def test_every_rule_of_the_category_is_in_the_table() -> None:
    assert rule_ids_of(CATEGORIES) == set(EXPECTED)


@pytest.mark.parametrize("rule_id", RULES)
def test_fixture_outcomes(rule_id: str, bad: EvaluationContext) -> None:
    assert_fixture_outcomes(rule_id, EXPECTED, bad)


def test_a_complete_baseline_passes_every_rule_in_both_regions() -> None:
    found = statuses(context(baseline(), two_regions()))
    assert {rule: status for rule, (status, _) in found.items()} == dict.fromkeys(RULES, Status.PASS)
    assert "us-east-1, us-west-2" in found["guardduty_enabled_all_regions"][1]


# resource to change -> (new inputs or None to remove it, the one rule that FAILs, words of its message)
BREAKAGES: dict[str, tuple[str, dict[str, Any] | None, str, str]] = {
    "no detector in one region": (
        "detector-us-west-2",
        None,
        "guardduty_enabled_all_regions",
        "not in us-west-2",
    ),
    "detector disabled": (
        "detector-us-east-1",
        {"enable": False},
        "guardduty_enabled_all_regions",
        "disabled",
    ),
    "S3 protection off": (
        "s3_data_events-us-west-2",
        {"status": "DISABLED"},
        "guardduty_enabled_all_regions",
        "S3_DATA_EVENTS",
    ),
    "PCI DSS not subscribed": ("pci-us-west-2", None, "securityhub_standards_subscribed", "PCI DSS v4.0.1"),
    "standard of another region": (
        "pci-us-east-1",
        {"standardsArn": "arn:aws:securityhub:us-west-2::standards/pci-dss/v/4.0.1"},
        "securityhub_standards_subscribed",
        "not in us-east-1",
    ),
    "Security Hub off in a region": (
        "hub-us-west-2",
        None,
        "securityhub_standards_subscribed",
        "not enabled",
    ),
    "Inspector without Lambda": (
        "inspector-us-east-1",
        {"resourceTypes": ["ECR"]},
        "inspector_scans_lambda_and_ecr",
        "not LAMBDA",
    ),
    "recorder of chosen types": (
        "recorder-us-west-2",
        {"recordingGroup": {"allSupported": False, "resourceTypes": ["AWS::S3::Bucket"]}},
        "config_recorder_all_resources",
        "chosen list",
    ),
    "recorder without global types": (
        "recorder-us-east-1",
        {"recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": False}},
        "config_recorder_all_resources",
        "global resource types",
    ),
    "recorder switched off": (
        "status-us-east-1",
        {"isEnabled": False},
        "config_recorder_all_resources",
        "not switched on",
    ),
    "delivery with an AWS-managed key": (
        "channel-us-west-2",
        {"s3KmsKeyArn": None},
        "config_recorder_all_resources",
        "customer-managed key",
    ),
    "no analyzer in a region": (
        "analyzer-us-west-2",
        None,
        "access_analyzer_all_regions",
        "not in us-west-2",
    ),
    "topic without a key": ("alerts", {"kmsMasterKeyId": None}, "security_findings_routed", "GuardDuty"),
    "Inspector findings not routed": ("inspector-target", None, "security_findings_routed", "Inspector"),
    "no aggregation of the second region": ("aggregator", None, "security_findings_routed", "us-west-2"),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_each_gap_fails_its_rule_only(case: str) -> None:
    name, inputs, failing_rule, words = BREAKAGES[case]
    found = statuses(context(baseline(**{name: inputs}), two_regions()))
    failing = {rule for rule, (status, _) in found.items() if status is Status.FAIL}
    assert failing == {failing_rule}
    assert words in found[failing_rule][1]
    assert {status for rule, (status, _) in found.items() if rule != failing_rule} == {Status.PASS}


def test_regions_in_scope_come_from_the_baseline_config() -> None:
    """A stack that keeps the baseline to its primary region is not asked for us-west-2."""
    one_region = baseline(("us-east-1",))
    found = statuses(context(one_region, two_regions(security_baseline={"regions": ["us-east-1"]})))
    assert {status for status, _ in found.values()} == {Status.PASS}
    found = statuses(context(one_region, two_regions()))
    assert {rule for rule, (status, _) in found.items() if status is Status.FAIL} == set(RULES)


def test_an_opted_out_service_is_not_applicable_with_its_reason() -> None:
    reason = "GuardDuty is enabled organization-wide by the security account 444455556666"
    resources = [r for r in baseline() if "detector" not in r.name and "data_events" not in r.name]
    resources = [r for r in resources if "network_logs" not in r.name]
    found = statuses(context(resources, two_regions(security_baseline={"optOut": {"guardDuty": reason}})))
    status, message = found["guardduty_enabled_all_regions"]
    assert status is Status.NOT_APPLICABLE
    assert reason in message
    assert {s for rule, (s, _) in found.items() if rule != "guardduty_enabled_all_regions"} == {Status.PASS}


def test_routing_is_judged_only_for_the_services_deployed() -> None:
    reason = "Inspector runs from the organization's delegated administrator"
    resources = baseline(
        **{"inspector-target": None, "inspector-us-east-1": None, "inspector-us-west-2": None}
    )
    found = statuses(context(resources, two_regions(security_baseline={"optOut": {"inspector": reason}})))
    assert found["security_findings_routed"][0] is Status.PASS
    assert found["inspector_scans_lambda_and_ecr"] == (
        Status.NOT_APPLICABLE,
        f"Inspector opted out: {reason}",
    )


def test_an_opt_out_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match=r"optOut\.guardDuty"):
        StackConfig.model_validate(
            {"environment": "t", "phase": "foundation", "securityBaseline": {"optOut": {"guardDuty": ""}}}
        )


def test_baseline_regions_must_be_allowed() -> None:
    with pytest.raises(ValidationError, match="eu-west-1 not in allowedRegions"):
        two_regions(security_baseline={"regions": ["us-east-1", "eu-west-1"]})


def test_other_phases_are_not_applicable() -> None:
    found = statuses(
        context(
            [resource(STACK_TYPE, STACK, custom=False)],
            StackConfig(environment="test", phase=Phase.AUTOMATION),
        )
    )
    assert {status for status, _ in found.values()} == {Status.NOT_APPLICABLE}
    assert all("foundation phase" in message for _, message in found.values())


def test_a_stack_without_the_platform_config_is_not_applicable() -> None:
    premise = Premise(platform=False, reason="the stack's config has no supportops:* keys")
    ctx = context([resource(STACK_TYPE, STACK, custom=False)])
    result = evaluate(ctx.inventory, ctx.config, [rule_by_id(r) for r in RULES], premise=premise)
    assert {(f.check_id, f.status) for f in result.findings} == {(r, Status.NOT_APPLICABLE) for r in RULES}


def test_values_unknown_until_apply_are_not_applicable_never_fail() -> None:
    preview = baseline(
        **{
            "detector-us-west-2": {"enable": UNKNOWN},
            "pci-us-east-1": {"standardsArn": UNKNOWN},
            "inspector-us-east-1": {"resourceTypes": UNKNOWN},
            "channel-us-east-1": {"s3KmsKeyArn": UNKNOWN},
            "analyzer-us-east-1": {"region": UNKNOWN},
        }
    )
    found = statuses(context(preview, two_regions()))
    assert {rule: status for rule, (status, _) in found.items()} == {
        "access_analyzer_all_regions": Status.NOT_APPLICABLE,
        "config_recorder_all_resources": Status.NOT_APPLICABLE,
        "guardduty_enabled_all_regions": Status.NOT_APPLICABLE,
        "inspector_scans_lambda_and_ecr": Status.NOT_APPLICABLE,
        "security_findings_routed": Status.PASS,
        "securityhub_standards_subscribed": Status.NOT_APPLICABLE,
    }


def test_outcomes_name_the_stack_only() -> None:
    result = outcomes(rule_by_id("guardduty_enabled_all_regions"), context(baseline(), two_regions()))
    assert result[Status.PASS] == {STACK}
