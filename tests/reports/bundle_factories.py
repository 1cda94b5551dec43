"""Evidence bundles of every kind, built with the producers' own finding constructors and check ids
(the runbooks' end-to-end tests show the runs emit exactly these), for the render and matrix tests."""

from __future__ import annotations

from pathlib import Path

from supportops.findings import Evidence, Finding, Report, Severity, Status, Waiver
from supportops.policies.frameworks.coverage import control_matrix
from supportops.reports.evidence import BundleRequest, write_bundle
from supportops.runbooks.access_review.apply import CHECK_ID as CHANGE_CHECK
from supportops.runbooks.access_review.checks import CHECKS
from supportops.runbooks.access_review.evaluate import account_finding
from supportops.runbooks.access_review.review import reported
from supportops.runbooks.dr.steps.base import RPO, RTO, VERIFY, StepResult
from supportops.runbooks.privacy.checks import ERASURE_CHECK, RETENTION_CHECK

GENERATED = "2026-11-30T12:00:00+00:00"
BUCKET = ("urn:pulumi:demo-foundation::supportops::supportops:security:SecureBucket"
          "$aws:s3/bucket:Bucket::recordings")
KEY = "urn:pulumi:demo-foundation::supportops::aws:kms/key:Key::data"
WAIVER = Waiver("platform@example.com", "Access logs of the log bucket itself", "2027-06-30", "PW-7")
MFA_USER = "arn:aws:iam::123456789012:user/contractor-1"


def _report(kind: str, title: str, subject: str, findings: list[Finding], **extra: object) -> Report:
    return Report(kind=kind, title=title, subject=subject, generated_at=GENERATED, tool_version="0.1.0",
                  findings=findings, **extra)  # type: ignore[arg-type]


def compliance_report() -> Report:
    """No unwaived failure; one waived checkov failure; plenty of requirements left manual."""
    findings = [
        Finding("s3_bucket_cmk_encryption", "S3 buckets encrypt with a customer-managed KMS key", Status.PASS,
                Severity.HIGH, BUCKET, "aws:s3/bucket:Bucket", source="supportops", category="encryption"),
        Finding("kms_key_rotation_enabled", "KMS keys rotate yearly", Status.PASS, Severity.MEDIUM, KEY,
                "aws:kms/key:Key", category="encryption"),
        Finding("CKV_AWS_18", "Ensure the S3 bucket has access logging enabled", Status.FAIL, Severity.LOW,
                BUCKET, "aws:s3/bucket:Bucket", "no logging configuration", [Evidence("logging", None)],
                source="checkov", category="checkov", waiver=WAIVER),
        Finding("CKV_AWS_67", "Ensure CloudTrail is enabled in all Regions", Status.PASS, Severity.MEDIUM,
                "urn:pulumi:demo-foundation::supportops::aws:cloudtrail/trail:Trail::audit",
                "aws:cloudtrail/trail:Trail", source="checkov", category="checkov"),
    ]
    report = _report("compliance", "Compliance of supportops/demo-foundation", "demo-foundation", findings,
                     details={"checkovVersion": "3.2.999"})
    report.frameworks = control_matrix(report.findings)
    return report


def access_review_report() -> Report:
    """Every check passes but MFA, which fails for one console user."""
    findings = [
        account_finding(check, "arn:aws:iam::123456789012:root", Status.PASS, "no principal in scope fails")
        for check in CHECKS if check != "iam_console_user_without_mfa"
    ]
    findings.append(account_finding("iam_console_user_without_mfa", MFA_USER, Status.FAIL, "console, no MFA"))
    findings = reported(findings)
    return _report("access-review", "Access review: quarterly", "123456789012", findings,
                   frameworks=control_matrix(findings, evidenced_only=True))


def access_review_apply_report() -> Report:
    finding = Finding(CHANGE_CHECK, "Change: delete-login-profile", Status.PASS, Severity.MEDIUM, MFA_USER,
                      "iam-user", "applied", source="access-review", category="access")
    return _report("access-review", "Access review apply (execute): quarterly", "123456789012", [finding],
                   frameworks=control_matrix([finding], evidenced_only=True))


def dr_drill_report() -> Report:
    step = StepResult("customer-context-pitr", "dynamodb-pitr", (RPO, RTO, VERIFY), ("rpo", "rto", "verify"))
    step.measured("rto", 41.5, 14_400, "restore started to table active")
    step.measured("rpo", 0.8, 900, "latest restorable time")
    step.add("verify", Status.PASS, "every canary item restored")
    return _report("dr-drill", "DR drill: customer-context", "customer-context", step.findings,
                   frameworks=control_matrix(step.findings, evidenced_only=True))


def privacy_report() -> Report:
    findings = [
        Finding(ERASURE_CHECK, "Data subject's personal data erased and verified absent", Status.PASS,
                Severity.HIGH, f"store:{store}", "privacy:store", "erased 3 items", source="privacy",
                category="privacy")
        for store in ("customer-context", "call-recordings")
    ]
    title = "Copies that cannot be edited age out within the class's maximum"
    findings.append(Finding(RETENTION_CHECK, title, Status.PASS, Severity.MEDIUM,
                            "store:customer-context/point-in-time recovery", "privacy:copy",
                            "gone by 2026-12-30", source="privacy", category="privacy"))
    return _report("privacy-erasure", "GDPR erasure request", "request demo-1", findings,
                   frameworks=control_matrix(findings, evidenced_only=True))


def drift_report() -> Report:
    finding = Finding("drift:changed", "Deployed settings match the stack's state", Status.FAIL,
                      Severity.HIGH, BUCKET, "aws:s3/bucket:Bucket",
                      "versioning Enabled in state, Suspended live",
                      [Evidence("versioning.status", "Suspended", "Enabled")], source="drift",
                      category="drift")
    return _report("drift", "Drift of demo-foundation", "demo-foundation", [finding])


KINDS = {
    "compliance": compliance_report,
    "access-review": access_review_report,
    "dr-drill": dr_drill_report,
    "privacy": privacy_report,
    "drift": drift_report,
}


def bundle(root: Path, name: str, report: Report) -> Path:
    """``report`` as an evidence bundle (report.json + manifest.json) in ``root/name``."""
    out = root / name
    write_bundle(BundleRequest(out_dir=out, report=report, formats=("json",)))
    return out
