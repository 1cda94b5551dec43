"""Resilience: PITR, backup frequency within the RPO, vault locks, replication, retention on streams.

Each rule is run over the non-compliant fixture stack (tests/fixtures/noncompliant): the table names
exactly which resources FAIL, PASS and are NOT_APPLICABLE; no rule may report ERROR there. Edge
cases (unknown values, alternative encodings) use small hand-built inventories.
"""

from __future__ import annotations

import pytest
from rule_outcomes import Expected, assert_fixture_outcomes, rule_ids_of

from supportops.policies.rule import Category, EvaluationContext

CATEGORIES = {Category("resilience")}

EXPECTED: Expected = {
    "backup_plan_frequency_within_rpo": (
        {"bad-plan"},
        {"good-plan"},
        set(),
    ),
    "backup_vault_locked": (
        {"bad-vault"},
        {"good-vault"},
        set(),
    ),
    "cloudwatch_alarm_actions_enabled": (
        {"bad-muted-alarm", "bad-silent-alarm"},
        {"good-alarm"},
        set(),
    ),
    "dynamodb_table_pitr": (
        {"bad-table"},
        {"good-table"},
        set(),
    ),
    "eventbridge_target_dead_letter_queue": (
        {"bad-target"},
        {"good-target"},
        set(),
    ),
    "kinesis_stream_retention": (
        {"bad-stream", "bad-stream-managed-key"},
        {"good-stream"},
        set(),
    ),
    "s3_bucket_replication": (
        {"bad-bucket", "bad-managed-bucket"},
        {"good-bucket"},
        {"good-replica-bucket"},
    ),
    "s3_bucket_versioning_enabled": (
        {"bad-bucket", "bad-managed-bucket"},
        {"bad-sse-s3-bucket", "good-bucket", "good-log-bucket", "good-replica-bucket"},
        set(),
    ),
    "sqs_queue_dead_letter_queue": (
        {"bad-queue"},
        {"good-queue"},
        {"good-dlq"},
    ),
}


def test_every_rule_of_the_categories_is_in_the_table() -> None:
    assert rule_ids_of(CATEGORIES) == set(EXPECTED)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_fixture_outcomes(rule_id: str, bad: EvaluationContext) -> None:
    assert_fixture_outcomes(rule_id, EXPECTED, bad)
