"""CloudTrail trails sign their log files."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="cloudtrail_log_file_validation",
    title="CloudTrail log file validation is enabled",
    severity=Severity.HIGH,
    category=Category.AUDIT_LOGGING,
    rationale=(
        "Digest files let an auditor prove that no log file was changed or deleted after delivery "
        "(PCI DSS 10.3.4, HIPAA 164.312(c)(1))."
    ),
    remediation="aws.cloudtrail.Trail('audit', ..., enable_log_file_validation=True)",
    resource_types=("aws:cloudtrail/trail:Trail",),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(resource: Resource) -> rel.Verdict:
        value = resource.prop("enableLogFileValidation", None)
        if rel.is_unknown(value):
            return rel.unknown("enableLogFileValidation")
        evidence = rel.ev("enableLogFileValidation", value, "true")
        if rel.flag(value, "enableLogFileValidation") is True:
            return rel.passed("log file validation is on", evidence)
        return rel.failed("log files are not signed", evidence)

    return rel.each(context, META, check)
