"""Audit logging (CloudTrail, access logs, flow logs); PCI card-data handling in Connect flows.

Each rule is run over the non-compliant fixture stack (tests/fixtures/noncompliant): the table names
exactly which resources FAIL, PASS and are NOT_APPLICABLE; no rule may report ERROR there. Edge
cases (unknown values, alternative encodings) use small hand-built inventories.
"""

from __future__ import annotations

import pytest
from rule_outcomes import Expected, assert_fixture_outcomes, rule_ids_of

from supportops.policies.rule import Category, EvaluationContext

CATEGORIES = {Category("audit-logging"), Category("card-data")}

EXPECTED: Expected = {
    "apigateway_stage_access_logging": (
        {"bad-stage"},
        {"good-stage"},
        set(),
    ),
    "cloudtrail_cloudwatch_delivery": (
        {"bad-trail"},
        {"good-trail"},
        set(),
    ),
    "cloudtrail_log_file_validation": (
        {"bad-trail"},
        {"good-trail"},
        set(),
    ),
    "cloudtrail_multi_region": (
        {"bad-trail"},
        {"good-trail"},
        set(),
    ),
    "connect_flow_logging_enabled": (
        {"bad-flow-original-kept", "bad-flow-unredacted"},
        {"good-flow"},
        set(),
    ),
    "connect_instance_contact_flow_logs": (
        {"bad-instance"},
        {"good-instance"},
        set(),
    ),
    "connect_instance_storage_configured": (
        {"bad-instance"},
        {"good-instance"},
        set(),
    ),
    "s3_bucket_access_logging": (
        {"bad-bucket"},
        {"bad-managed-bucket", "bad-sse-s3-bucket", "good-bucket", "good-replica-bucket"},
        {"good-log-bucket"},
    ),
    "connect_flow_card_capture_recording_paused": (
        {"bad-payment-module"},
        {"good-payment-module"},
        {"bad-flow-original-kept", "bad-flow-unredacted", "good-flow"},
    ),
    "connect_flow_card_input_encrypted": (
        {"bad-payment-module"},
        {"good-payment-module"},
        {"bad-flow-original-kept", "bad-flow-unredacted", "good-flow"},
    ),
    "connect_flow_redaction_enabled": (
        {"bad-flow-original-kept", "bad-flow-unredacted"},
        {"bad-payment-module", "good-flow", "good-payment-module"},
        set(),
    ),
    "connect_instance_contact_lens_enabled": (
        {"bad-instance"},
        {"good-instance"},
        set(),
    ),
}


def test_every_rule_of_the_categories_is_in_the_table() -> None:
    assert rule_ids_of(CATEGORIES) == set(EXPECTED)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_fixture_outcomes(rule_id: str, bad: EvaluationContext) -> None:
    assert_fixture_outcomes(rule_id, EXPECTED, bad)
