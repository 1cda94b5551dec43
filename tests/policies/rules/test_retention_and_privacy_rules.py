"""Retention inside each data class's bounds; GDPR erasure (Customer Profiles expiry, TTL).

Each rule is run over the non-compliant fixture stack (tests/fixtures/noncompliant): the table names
exactly which resources FAIL, PASS and are NOT_APPLICABLE; no rule may report ERROR there. Edge
cases (unknown values, alternative encodings) use small hand-built inventories.
"""

from __future__ import annotations

import pytest
from rule_outcomes import Expected, assert_fixture_outcomes, rule_ids_of

from supportops.policies.rule import Category, EvaluationContext

CATEGORIES = {Category("retention"), Category("privacy")}

EXPECTED: Expected = {
    "backup_plan_retention_within_class": (
        {"bad-plan"},
        {"good-plan"},
        set(),
    ),
    "log_group_retention_maximum": (
        {"bad-logs-forever", "bad-logs-ten-years"},
        {"bad-logs-one-day", "good-logs"},
        set(),
    ),
    "log_group_retention_minimum": (
        {"bad-logs-one-day"},
        {"bad-logs-forever", "bad-logs-ten-years", "good-logs"},
        set(),
    ),
    "s3_bucket_lifecycle_expiration": (
        {"bad-bucket"},
        {"bad-managed-bucket", "bad-sse-s3-bucket", "good-bucket", "good-log-bucket", "good-replica-bucket"},
        set(),
    ),
    "s3_bucket_retention_within_class": (
        {"bad-managed-bucket", "bad-sse-s3-bucket"},
        {"good-bucket", "good-log-bucket", "good-replica-bucket"},
        {"bad-bucket"},
    ),
    "customer_profiles_domain_expiration": (
        {"bad-profiles"},
        {"good-profiles"},
        set(),
    ),
    "dynamodb_table_ttl": (
        {"bad-table"},
        {"good-table"},
        set(),
    ),
}


def test_every_rule_of_the_categories_is_in_the_table() -> None:
    assert rule_ids_of(CATEGORIES) == set(EXPECTED)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_fixture_outcomes(rule_id: str, bad: EvaluationContext) -> None:
    assert_fixture_outcomes(rule_id, EXPECTED, bad)
