"""Encryption at rest (customer-managed keys) and in transit (TLS 1.2+).

Each rule is run over the non-compliant fixture stack (tests/fixtures/noncompliant): the table names
exactly which resources FAIL, PASS and are NOT_APPLICABLE; no rule may report ERROR there. Edge
cases (unknown values, alternative encodings) use small hand-built inventories.
"""

from __future__ import annotations

import pytest
from rule_outcomes import Expected, assert_fixture_outcomes, rule_ids_of

from supportops.policies.rule import Category, EvaluationContext

CATEGORIES = {Category("encryption-at-rest"), Category("encryption-in-transit")}

EXPECTED: Expected = {
    "appflow_flow_cmk_encryption": (
        {"bad-appflow"},
        {"good-appflow"},
        set(),
    ),
    "athena_workgroup_cmk_encryption": (
        {"bad-workgroup"},
        {"good-workgroup"},
        set(),
    ),
    "backup_vault_cmk_encryption": (
        {"bad-vault"},
        {"good-vault"},
        set(),
    ),
    "cloudtrail_trail_cmk_encryption": (
        {"bad-trail"},
        {"good-trail"},
        set(),
    ),
    "connect_storage_cmk_encryption": (
        {"bad-storage-agent-events", "bad-storage-recordings", "bad-storage-transcripts"},
        {"good-storage-ctr", "good-storage-recordings", "good-storage-transcripts"},
        set(),
    ),
    "customer_profiles_domain_cmk_encryption": (
        {"bad-profiles"},
        {"good-profiles"},
        set(),
    ),
    "dynamodb_table_cmk_encryption": (
        {"bad-table"},
        {"good-table"},
        set(),
    ),
    "eventbridge_bus_cmk_encryption": (
        {"bad-bus"},
        {"good-bus"},
        set(),
    ),
    "firehose_cmk_encryption": (
        {"bad-firehose", "bad-http-firehose"},
        {"good-firehose"},
        set(),
    ),
    "glue_catalog_cmk_encryption": (
        {"bad-catalog-encryption"},
        {"good-catalog-encryption"},
        set(),
    ),
    "kinesis_stream_cmk_encryption": (
        {"bad-stream", "bad-stream-managed-key"},
        {"good-stream"},
        set(),
    ),
    "lambda_environment_cmk_encryption": (
        {"bad-function"},
        {"good-function"},
        {"plain-function"},
    ),
    "lex_conversation_logs_cmk_encryption": (
        {"bad-bot-alias"},
        {"good-bot-alias"},
        set(),
    ),
    "log_group_cmk_encryption": (
        {"bad-logs-forever", "bad-logs-one-day", "bad-logs-ten-years"},
        {"good-logs"},
        set(),
    ),
    "s3_bucket_cmk_encryption": (
        {"bad-bucket", "bad-managed-bucket", "bad-sse-s3-bucket"},
        {"good-bucket", "good-log-bucket", "good-replica-bucket"},
        set(),
    ),
    "secretsmanager_secret_cmk_encryption": (
        {"bad-secret"},
        {"good-secret"},
        set(),
    ),
    "sns_topic_cmk_encryption": (
        {"bad-topic"},
        {"good-topic"},
        set(),
    ),
    "sqs_queue_cmk_encryption": (
        {"bad-queue"},
        {"good-dlq", "good-queue"},
        set(),
    ),
    "wisdom_cmk_encryption": (
        {"bad-assistant", "bad-knowledge-base"},
        {"good-knowledge-base"},
        set(),
    ),
    "apigateway_default_endpoint_disabled": (
        {"bad-api"},
        {"good-api"},
        {"unmapped-api"},
    ),
    "apigateway_domain_tls_1_2": (
        {"bad-domain"},
        {"good-domain"},
        set(),
    ),
    "endpoint_https_only": (
        {
            "bad-api-destination",
            "bad-http-firehose",
            "bad-http-integration",
            "bad-http-subscription",
            "bad-jwt-authorizer",
        },
        {"good-api-destination", "good-https-subscription", "good-jwt-authorizer"},
        set(),
    ),
    "s3_bucket_policy_denies_insecure_transport": (
        {"bad-bucket", "bad-managed-bucket"},
        {"bad-sse-s3-bucket", "good-bucket", "good-log-bucket", "good-replica-bucket"},
        set(),
    ),
    "s3_bucket_policy_denies_tls_below_1_2": (
        {"bad-bucket", "bad-managed-bucket", "bad-sse-s3-bucket"},
        {"good-bucket", "good-log-bucket", "good-replica-bucket"},
        set(),
    ),
}


def test_every_rule_of_the_categories_is_in_the_table() -> None:
    assert rule_ids_of(CATEGORIES) == set(EXPECTED)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_fixture_outcomes(rule_id: str, bad: EvaluationContext) -> None:
    assert_fixture_outcomes(rule_id, EXPECTED, bad)
