"""Reports built by hand for the format and evidence tests (and bench/bench_reports.py)."""

from __future__ import annotations

from supportops.findings import (
    Automation,
    Evidence,
    Finding,
    FrameworkResult,
    InputRecord,
    Report,
    RequirementResult,
    RequirementStatus,
    Severity,
    Status,
    Waiver,
    WaiverRecord,
)

BUCKET = ("urn:pulumi:demo-foundation::supportops::supportops:security:SecureBucket"
          "$aws:s3/bucket:Bucket::recordings")
HOSTILE = '<script>alert("x")</script> & </script><!--'

WAIVER = Waiver(owner="alice@example.com", justification="Legacy bucket, migrated in Q3",
                expires="2027-03-31", waiver_id="W-001")


def sample_report() -> Report:
    """Every status, every source, a waived finding, three kinds of requirement, problems."""
    findings = [
        Finding("SO-S3-001", "S3 buckets encrypt data at rest with KMS", Status.FAIL, Severity.HIGH, BUCKET,
                "aws:s3/bucket:Bucket", "default encryption is AES256, not aws:kms",
                [Evidence("serverSideEncryptionConfiguration.rules[0].applyServerSideEncryptionByDefault"
                          ".sseAlgorithm", "AES256", "aws:kms")],
                category="encryption", remediation="Use a customer-managed KMS key for the bucket.",
                requirements=["pci-dss-4.0:3.5.1", "gdpr:art32"]),
        Finding("SO-TLS-001", "Load balancers accept TLS 1.2 or newer only", Status.PASS, Severity.HIGH,
                "urn:pulumi:demo-foundation::supportops::aws:lb/listener:Listener::https",
                "aws:lb/listener:Listener", "",
                [Evidence("sslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06")],
                category="tls", remediation="Use a TLS 1.2+ security policy.",
                requirements=["pci-dss-4.0:4.2.1"]),
        Finding("CKV_AWS_18", "Ensure the S3 bucket has access logging enabled", Status.FAIL, Severity.LOW,
                BUCKET, "aws_s3_bucket", "no logging configuration",
                [Evidence("logging", None, "a target bucket")], source="checkov", category="logging",
                remediation="Add an aws.s3.BucketLogging resource.", requirements=["pci-dss-4.0:10.2.1"],
                waiver=WAIVER),
        Finding("AR-STALE-001", "Users who have not signed in for 90 days are disabled", Status.FAIL,
                Severity.CRITICAL, "arn:aws:iam::123456789012:user/bob", "iam:user",
                "password last used 212 days ago",
                [Evidence("password_last_used", "2026-04-25T08:12:00+00:00", "within 90 days"),
                 Evidence("mfa_active", False, "true")],
                source="access-review", category="rbac", remediation="Disable the user or record a review.",
                requirements=["pci-dss-4.0:8.2.6"]),
        Finding("DR-RTO-001", "Restore completes within the RTO", Status.ERROR, Severity.HIGH,
                "restore-dynamodb-tickets", "dr:step", "DescribeContinuousBackups: AccessDenied",
                [Evidence("elapsedSeconds", None, "<= 14400")], source="dr-drill", category="resilience",
                remediation="Grant dynamodb:DescribeContinuousBackups to the drill role."),
        Finding("SO-KMS-002", "KMS keys rotate yearly", Status.NOT_APPLICABLE, Severity.MEDIUM,
                "urn:pulumi:demo-foundation::supportops::aws:kms/key:Key::data", "aws:kms/key:Key",
                "value unknown at preview time", [Evidence("enableKeyRotation", "<unknown>")],
                category="encryption", requirements=["pci-dss-4.0:3.6.1"]),
        Finding("SO-HOSTILE", HOSTILE, Status.FAIL, Severity.INFO, "urn:" + HOSTILE, "x", HOSTILE,
                [Evidence(HOSTILE, {"nested": [1, 2, HOSTILE]}, HOSTILE)], remediation=HOSTILE,
                category="test"),
    ]
    pci = FrameworkResult("pci-dss-4.0", "PCI DSS", "4.0", [
        RequirementResult("3.5.1", "PAN is rendered unreadable wherever it is stored", Automation.AUTOMATED,
                          RequirementStatus.FAIL, ["SO-S3-001"], {"FAIL": 1}),
        RequirementResult("3.6.1", "Key management procedures protect cryptographic keys", Automation.PARTIAL,
                          RequirementStatus.NOT_APPLICABLE, ["SO-KMS-002"], {"NOT_APPLICABLE": 1},
                          manual_evidence="Key custodian acknowledgements"),
        RequirementResult("4.2.1", "Strong cryptography protects PAN in transit", Automation.AUTOMATED,
                          RequirementStatus.PASS, ["SO-TLS-001"], {"PASS": 1}),
        RequirementResult("8.2.6", "Inactive user accounts are removed or disabled within 90 days",
                          Automation.PARTIAL, RequirementStatus.FAIL, ["AR-STALE-001"], {"FAIL": 1},
                          manual_evidence="Signed quarterly access review"),
        RequirementResult("10.2.1", "Audit logs are enabled and active", Automation.AUTOMATED,
                          RequirementStatus.PASS, ["CKV_AWS_18"], {"WAIVED": 1}),
        RequirementResult("12.10.1", "An incident response plan exists and is ready", Automation.MANUAL,
                          RequirementStatus.MANUAL, [], {},
                          manual_evidence="Incident response plan, last test"),
    ])
    gdpr = FrameworkResult("gdpr", "GDPR", "2016/679", [
        RequirementResult("art32", "Security of processing", Automation.PARTIAL, RequirementStatus.FAIL,
                          ["SO-S3-001"], {"FAIL": 1}, manual_evidence="Records of processing"),
        RequirementResult("art17", "Right to erasure", Automation.MANUAL, RequirementStatus.MANUAL, [], {},
                          manual_evidence="Erasure request log"),
    ])
    return Report(
        kind="compliance",
        title="Compliance report",
        subject="demo-foundation",
        generated_at="2026-11-23T18:00:00+00:00",
        tool_version="0.1.0",
        findings=findings,
        frameworks=[pci, gdpr],
        waivers=[
            WaiverRecord("W-001", "CKV_AWS_18", "urn:*::recordings", "alice@example.com",
                         "Legacy bucket, migrated in Q3", "2027-03-31", "active", matched=1),
            WaiverRecord("W-002", "SO-S3-009", "*", "carol@example.com", "Superseded", "2026-01-01",
                         "expired"),
            WaiverRecord("W-003", "SO-OLD-001", "urn:*::gone", "dave@example.com", "Resource removed",
                         "2027-01-01", "unmatched"),
        ],
        inputs=[InputRecord("Pulumi.demo-foundation.yaml", "ab" * 32, "config")],
        problems=["checkov unavailable: .venv-checkov/bin/checkov not found",
                  "live collector iam: AccessDenied on GetCredentialReport"],
        details={"campaign": "2026-Q4", "timeline": [{"step": "restore", "seconds": 812.5}]},
    )


def synthetic_report(count: int) -> Report:
    """A report with ``count`` findings shaped like a big real run (varied checks, subjects, evidence)."""
    base = sample_report()
    statuses = [Status.PASS, Status.PASS, Status.PASS, Status.FAIL, Status.ERROR, Status.NOT_APPLICABLE]
    severities = list(Severity)
    sources = ["supportops", "checkov", "access-review", "dr-drill"]
    findings: list[Finding] = []
    for index in range(count):
        status = statuses[index % len(statuses)]
        check = index % 120
        findings.append(Finding(
            check_id=f"SO-GEN-{check:03d}",
            title=f"Generated check number {check} verifies a security property",
            status=status,
            severity=severities[check % len(severities)],
            subject=f"urn:pulumi:demo-foundation::supportops::aws:s3/bucket:Bucket::bucket-{index:05d}",
            subject_type="aws:s3/bucket:Bucket",
            message="" if status == Status.PASS else f"observed value differs on resource {index}",
            evidence=[Evidence(f"properties.setting{check}.value", {"enabled": index % 2 == 0, "id": index},
                               "enabled=true")],
            source=sources[check % len(sources)],
            category="generated",
            remediation=f"Set setting{check} to the expected value in the component args.",
            requirements=[f"pci-dss-4.0:{check % 12}.1"],
            waiver=WAIVER if status == Status.FAIL and index % 7 == 0 else None,
        ))
    base.findings = findings
    return base
