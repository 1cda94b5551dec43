"""checkov on a non-compliant inventory: the exact failing resources of each check the bar names,
and the connected checks passing only because the converter writes references."""

from __future__ import annotations

import pytest

from supportops.findings import Status
from supportops.policies.checkov.scan import CheckovOutcome


def failing(outcome: CheckovOutcome, check_id: str) -> set[str]:
    return {
        f.subject.rsplit("::", 1)[1]
        for f in outcome.findings
        if f.check_id == check_id and f.status is Status.FAIL
    }


def passing(outcome: CheckovOutcome, check_id: str) -> set[str]:
    return {
        f.subject.rsplit("::", 1)[1]
        for f in outcome.findings
        if f.check_id == check_id and f.status is Status.PASS
    }


PREVIEW_BUCKETS = {"preview-data", "preview-logs"}  # no encryption, versioning or access block


@pytest.mark.parametrize(
    ("check_id", "fails", "passes"),
    [
        ("CKV_AWS_145", {"bad-bucket", "log-bucket", *PREVIEW_BUCKETS}, {"good-bucket"}),  # S3 KMS encryption
        ("CKV_AWS_21", {"bad-bucket", "log-bucket", *PREVIEW_BUCKETS}, {"good-bucket"}),  # S3 versioning
        (
            "CKV2_AWS_6",
            {"bad-bucket", "log-bucket", *PREVIEW_BUCKETS},
            {"good-bucket"},
        ),  # S3 public access block
        ("CKV_AWS_27", {"bad-queue"}, {"good-queue"}),  # SQS encryption
        ("CKV_AWS_158", {"bad-logs"}, {"good-logs", "short-logs"}),  # log group KMS
        ("CKV_AWS_66", {"bad-logs"}, {"good-logs", "short-logs"}),  # log retention set
        ("CKV_AWS_338", {"bad-logs", "short-logs"}, {"good-logs"}),  # log retention >= 1 year
        ("CKV_AWS_7", {"bad-key"}, {"good-key"}),  # KMS rotation
        ("CKV_AWS_28", {"bad-table"}, {"good-table"}),  # DynamoDB point-in-time recovery
        # security group attached to a resource: every consumer written as a reference (a list, a
        # nested block, unknown ids at preview time linked to the groups the instance depends on)
        ("CKV2_AWS_5", {"idle-sg"}, {"web-sg", "fn-sg", "db-sg", "preview-sg-a", "preview-sg-b"}),
        ("CKV_AWS_79", {"legacy-vm"}, {"bastion"}),  # IMDSv2
        ("CKV_AWS_8", {"legacy-vm"}, {"bastion"}),  # encrypted root volume
        ("CKV_AWS_17", {"public-db"}, set()),  # RDS not publicly accessible
        ("CKV_AWS_16", {"public-db"}, set()),  # RDS storage encrypted
        # access logging: in preview both buckets of a logging resource are unknown; the one beside
        # it in its component is its bucket, the other its target
        # (checkov passes a log target bucket too)
        ("CKV_AWS_18", {"bad-bucket"}, {"good-bucket", "log-bucket", *PREVIEW_BUCKETS}),
        ("CKV_AWS_32", {"open-images-policy"}, {"private-images-policy"}),  # ECR policy not public
        ("CKV_AWS_2", {"http-listener"}, {"https-listener"}),  # load balancer listener on HTTPS
        ("CKV_AWS_103", {"http-listener"}, {"https-listener"}),  # listener TLS 1.2+
        # permission limited by source ARN: unknown until apply (preview) counts as set
        ("CKV_AWS_364", {"open-permission"}, {"api-permission"}),
    ],
)
def test_checkov_flags_exactly_the_noncompliant_resources(
    noncompliant_scan: CheckovOutcome, check_id: str, fails: set[str], passes: set[str]
) -> None:
    assert failing(noncompliant_scan, check_id) == fails
    assert passing(noncompliant_scan, check_id) == passes


def test_findings_carry_source_urn_severity_and_requirements(noncompliant_scan: CheckovOutcome) -> None:
    assert noncompliant_scan.problems == []
    finding = next(
        f for f in noncompliant_scan.findings if f.check_id == "CKV_AWS_28" and f.status is Status.FAIL
    )
    assert finding.source == "checkov"
    assert finding.subject == "urn:pulumi:checkov-test::supportops::aws:dynamodb/table:Table::bad-table"
    assert finding.subject_type == "aws:dynamodb/table:Table"
    assert finding.severity.value == "high"
    assert "pci-dss-4.0:12.10.1" in finding.requirements
    assert noncompliant_scan.checkov_version.startswith("3.3.")


CONNECTED_CHECKS = ("CKV_AWS_145", "CKV_AWS_21", "CKV2_AWS_6", "CKV2_AWS_61", "CKV_AWS_18")


@pytest.mark.parametrize("check_id", CONNECTED_CHECKS)
def test_the_compliant_bucket_passes_connected_checks_only_because_references_are_written(
    noncompliant_scan: CheckovOutcome, noncompliant_scan_without_references: CheckovOutcome, check_id: str
) -> None:
    assert "good-bucket" in passing(noncompliant_scan, check_id)
    assert "good-bucket" in failing(noncompliant_scan_without_references, check_id)


def test_security_groups_are_attached_only_because_consumers_reference_them(
    noncompliant_scan_without_references: CheckovOutcome,
) -> None:
    """Without references checkov's "security group not attached" fires on every group, and a
    bucket whose logging is known only as preview unknowns has none."""
    groups = {"web-sg", "fn-sg", "db-sg", "idle-sg", "preview-sg-a", "preview-sg-b"}
    assert failing(noncompliant_scan_without_references, "CKV2_AWS_5") == groups
    assert failing(noncompliant_scan_without_references, "CKV_AWS_18") >= PREVIEW_BUCKETS


@pytest.mark.parametrize(
    ("check_id", "bad", "good"),
    [
        ("CKV_AWS_145", {"bad-bucket", "bad-sse-s3-bucket"}, {"good-bucket"}),
        ("CKV_AWS_21", {"bad-bucket", "bad-managed-bucket"}, {"good-bucket"}),
        ("CKV2_AWS_6", {"bad-bucket", "bad-managed-bucket"}, {"good-bucket"}),
        ("CKV_AWS_158", {"bad-logs-forever"}, set()),
        ("CKV_AWS_66", {"bad-logs-forever"}, set()),
        ("CKV_AWS_338", {"bad-logs-forever", "bad-logs-one-day"}, set()),
        ("CKV_AWS_7", {"bad-key"}, set()),
        ("CKV_AWS_28", {"bad-table"}, set()),
    ],
)
def test_the_noncompliant_fixture_stack_is_flagged(
    fixture_stack_scan: CheckovOutcome, check_id: str, bad: set[str], good: set[str]
) -> None:
    """The fixture other tests also use grows; its named bad resources must stay flagged."""
    assert bad <= failing(fixture_stack_scan, check_id)
    assert good <= passing(fixture_stack_scan, check_id)
