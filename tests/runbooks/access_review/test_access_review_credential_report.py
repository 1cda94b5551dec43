"""The credential report: bounded report-in-progress retry (Stubber validates requests against the IAM
model) and parsing of the CSV bytes, including the values AWS writes instead of dates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from supportops.runbooks.access_review.credential_report import (
    CredentialReportError,
    fetch_credential_report,
    parse_credential_report,
)

HEADER = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
    "cert_2_active,cert_2_last_rotated\n"
)
ROOT = (
    "<root_account>,arn:aws:iam::123456789012:root,2019-01-01T00:00:00+00:00,not_supported,"
    "2026-11-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,"
    "false,N/A,false,N/A\n"
)
ALICE = (
    "alice,arn:aws:iam::123456789012:user/alice,2024-02-03T04:05:06+00:00,true,no_information,"
    "2024-02-03T04:05:06+00:00,N/A,false,true,2024-02-03T04:05:07+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,"
    "false,N/A,false,N/A\n"
)


def iam_client() -> Any:
    return boto3.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1").client(
        "iam"
    )


def test_parses_rows_and_placeholder_values() -> None:
    root, alice = parse_credential_report((HEADER + ROOT + ALICE).encode())
    assert root.is_root and root.password_last_used == datetime(2026, 11, 1, 10, tzinfo=UTC)
    assert not root.password_enabled
    assert alice.password_enabled and alice.password_last_used is None and not alice.mfa_active
    assert alice.keys[0].active and alice.keys[0].last_used is None
    assert alice.keys[0].last_rotated == datetime(2024, 2, 3, 4, 5, 7, tzinfo=UTC)
    assert not alice.keys[1].active
    assert alice.last_activity() is None and root.last_activity() == root.password_last_used


def test_malformed_report_is_an_error_not_an_empty_account() -> None:
    with pytest.raises(CredentialReportError, match="lacks columns"):
        list(parse_credential_report(b"user,arn\nalice,arn:aws:iam::1:user/alice\n"))
    with pytest.raises(CredentialReportError, match="line 2"):
        list(
            parse_credential_report((HEADER + ALICE.replace("2024-02-03T04:05:06", "yesterday", 1)).encode())
        )


def test_waits_while_the_report_is_in_progress() -> None:
    client, sleeps = iam_client(), []
    with Stubber(client) as stubber:
        stubber.add_response("generate_credential_report", {"State": "STARTED"}, {})
        stubber.add_client_error("get_credential_report", "ReportInProgress", "in progress", 410)
        stubber.add_response("generate_credential_report", {"State": "INPROGRESS"}, {})
        stubber.add_client_error("get_credential_report", "ReportNotPresent", "not yet", 410)
        stubber.add_response("generate_credential_report", {"State": "COMPLETE"}, {})
        stubber.add_response(
            "get_credential_report",
            {
                "Content": (HEADER + ALICE).encode(),
                "ReportFormat": "text/csv",
                "GeneratedTime": datetime(2026, 11, 23, tzinfo=UTC),
            },
            {},
        )
        content = fetch_credential_report(client, max_attempts=5, delay_seconds=1.5, sleep=sleeps.append)
        stubber.assert_no_pending_responses()
    assert content.startswith(b"user,arn") and sleeps == [1.5, 1.5]


def test_retry_is_bounded() -> None:
    client, sleeps = iam_client(), []
    with Stubber(client) as stubber:
        for _ in range(3):
            stubber.add_response("generate_credential_report", {"State": "INPROGRESS"}, {})
            stubber.add_client_error("get_credential_report", "ReportInProgress", "in progress", 410)
        with pytest.raises(CredentialReportError, match="not ready after 3 attempts"):
            fetch_credential_report(client, max_attempts=3, delay_seconds=2, sleep=sleeps.append)
    assert sleeps == [2, 2]


def test_other_errors_are_not_retried() -> None:
    client = iam_client()
    with Stubber(client) as stubber:
        stubber.add_response("generate_credential_report", {"State": "COMPLETE"}, {})
        stubber.add_client_error("get_credential_report", "AccessDenied", "no", 403)
        with pytest.raises(ClientError, match="AccessDenied"):
            fetch_credential_report(client, max_attempts=5, delay_seconds=0, sleep=lambda _: None)
