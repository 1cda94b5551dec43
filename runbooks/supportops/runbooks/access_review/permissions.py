"""Declared permissions: every collector and applier lists the IAM actions it calls; together they are
the least-privilege policies the review role needs (``supportops access-review permissions``)."""

from __future__ import annotations

from typing import Any

from supportops.runbooks.access_review import (
    appliers,
    clients,
    connect_collector,
    credential_report,
    iam_details,
)

COLLECTOR_MODULES = (clients, credential_report, iam_details, connect_collector)
APPLIER_MODULES = (clients, appliers)


def review_actions() -> list[str]:
    return sorted({a for m in COLLECTOR_MODULES for a in m.PERMISSIONS})


def apply_actions() -> list[str]:
    return sorted({a for m in APPLIER_MODULES for a in m.PERMISSIONS})


def policy_document(actions: list[str], sid: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": "*"}],
    }


def policies() -> dict[str, dict[str, Any]]:
    return {
        "review": policy_document(review_actions(), "SupportopsAccessReviewRead"),
        "apply": policy_document(apply_actions(), "SupportopsAccessReviewApply"),
    }
