"""RBAC and least privilege; key rotation and deletion window.

Each rule is run over the non-compliant fixture stack (tests/fixtures/noncompliant): the table names
exactly which resources FAIL, PASS and are NOT_APPLICABLE; no rule may report ERROR there. Edge
cases (unknown values, alternative encodings) use small hand-built inventories.
"""

from __future__ import annotations

import pytest
from rule_outcomes import Expected, assert_fixture_outcomes, rule_ids_of

from supportops.policies.rule import Category, EvaluationContext

CATEGORIES = {Category("access-control"), Category("key-management")}

EXPECTED: Expected = {
    "kms_key_deletion_window": (
        {"bad-key"},
        {"bad-key-slow-rotation", "good-key"},
        set(),
    ),
    "kms_key_rotation_enabled": (
        {"bad-key", "bad-key-slow-rotation"},
        {"good-key"},
        set(),
    ),
    "secretsmanager_secret_rotation": (
        {"bad-secret"},
        {"good-secret"},
        set(),
    ),
    "apigateway_route_authorization": (
        {"bad-route"},
        {"good-route"},
        set(),
    ),
    "connect_admin_permissions_admin_profile_only": (
        {"bad-supervisor-profile"},
        {"bad-agent-profile", "good-admin-profile", "good-agent-profile", "good-supervisor-profile"},
        set(),
    ),
    "connect_profile_no_unredacted_access": (
        {"bad-agent-profile", "bad-supervisor-profile"},
        {"good-agent-profile", "good-supervisor-profile"},
        {"good-admin-profile"},
    ),
    "iam_no_admin_managed_policy_attachment": (
        {"bad-admin-attachment"},
        {"good-attachment"},
        set(),
    ),
    "iam_policy_no_full_admin": (
        {"bad-admin-inline", "bad-admin-policy"},
        {"good-inline"},
        set(),
    ),
    "iam_role_trust_no_wildcard_principal": (
        {"bad-open-role"},
        {"good-role"},
        set(),
    ),
    "kms_key_policy_no_wildcard_principal": (
        {"bad-key"},
        {"bad-key-slow-rotation", "good-key"},
        set(),
    ),
    "resource_policy_no_wildcard_principal": (
        {"bad-managed-bucket-policy", "bad-queue-policy"},
        {
            "bad-sse-s3-bucket-policy",
            "good-bucket-policy",
            "good-log-bucket-policy",
            "good-queue-policy",
            "good-replica-bucket-policy",
        },
        set(),
    ),
    "s3_bucket_ownership_enforced": (
        {"bad-managed-bucket"},
        {"bad-sse-s3-bucket", "good-bucket", "good-log-bucket", "good-replica-bucket"},
        {"bad-bucket"},  # no ownership controls: AWS's default (BucketOwnerEnforced) applies
    ),
    "s3_bucket_public_access_block": (
        {"bad-managed-bucket"},
        {"bad-sse-s3-bucket", "good-bucket", "good-log-bucket", "good-replica-bucket"},
        {"bad-bucket"},  # no public access block: AWS's default (all blocked) applies
    ),
}


def test_every_rule_of_the_categories_is_in_the_table() -> None:
    assert rule_ids_of(CATEGORIES) == set(EXPECTED)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_fixture_outcomes(rule_id: str, bad: EvaluationContext) -> None:
    assert_fixture_outcomes(rule_id, EXPECTED, bad)
