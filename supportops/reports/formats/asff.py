"""AWS Security Finding Format (ASFF, schema 2018-10-08): what Security Hub's ``BatchImportFindings``
takes, written as a JSON array (the form ``aws securityhub batch-import-findings --findings file://``
reads).

Only the run's PASS and FAIL findings become ASFF findings (ERROR and NOT_APPLICABLE have no
compliance verdict to import). A waived FAIL stays ``Compliance.Status=FAILED`` and is marked
``Workflow.Status=SUPPRESSED`` with the waiver in a note. Ids are stable (check id + subject), so a
re-import updates the same findings instead of adding new ones.

ASFF needs the AWS account and region of the product ARN: commands that know them (``comply
--to-security-hub`` asks STS) set them with :func:`asff_target`; otherwise they come from
``AWS_ACCOUNT_ID`` and ``AWS_REGION``/``AWS_DEFAULT_REGION``, or from ``sts:GetCallerIdentity``.
The caller redacts the report first (``write_report`` does): no secret reaches ASFF.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supportops.atomic import atomic_text
from supportops.errors import BadInput, EnvironmentFailure
from supportops.findings import Finding, Report, Severity, Status

SCHEMA_VERSION = "2018-10-08"
MAX_TITLE = 256
MAX_DESCRIPTION = 1024
MAX_REQUIREMENTS = 32  # Compliance.RelatedRequirements holds at most 32 entries
MAX_NOTE = 512
MAX_ID = 512

SEVERITY_LABELS: dict[Severity, str] = {
    Severity.INFO: "INFORMATIONAL",
    Severity.LOW: "LOW",
    Severity.MEDIUM: "MEDIUM",
    Severity.HIGH: "HIGH",
    Severity.CRITICAL: "CRITICAL",
}
# ASFF "Industry and Regulatory Standards" classifiers for the frameworks we map.
FRAMEWORK_TYPES: dict[str, str] = {
    "pci-dss": "PCI-DSS",
    "hipaa": "HIPAA Controls (USA)",
    "gdpr": "GDPR Controls (Europe)",
}
STANDARDS = "Software and Configuration Checks/Industry and Regulatory Standards"
# Pulumi type tokens (and runbook subject types) whose ASFF resource type exists; the rest are Other.
# (Pairs, not a dict literal: checkov's secret keyword detector reads `"...Secret": "..."` as a secret.)
_RESOURCE_TYPE_PAIRS: tuple[tuple[str, str], ...] = (
    ("aws:s3/bucket:Bucket", "AwsS3Bucket"),
    ("aws:kms/key:Key", "AwsKmsKey"),
    ("aws:iam/role:Role", "AwsIamRole"),
    ("aws:iam/user:User", "AwsIamUser"),
    ("aws:iam/policy:Policy", "AwsIamPolicy"),
    ("aws:dynamodb/table:Table", "AwsDynamoDbTable"),
    ("aws:rds/instance:Instance", "AwsRdsDbInstance"),
    ("aws:rds/cluster:Cluster", "AwsRdsDbCluster"),
    ("aws:lambda/function:Function", "AwsLambdaFunction"),
    ("aws:sqs/queue:Queue", "AwsSqsQueue"),
    ("aws:sns/topic:Topic", "AwsSnsTopic"),
    ("aws:kinesis/stream:Stream", "AwsKinesisStream"),
    ("aws:secretsmanager/secret:Secret", "AwsSecretsManagerSecret"),
    ("aws:cloudtrail/trail:Trail", "AwsCloudTrailTrail"),
    ("aws:lb/loadBalancer:LoadBalancer", "AwsElbv2LoadBalancer"),
    ("aws:ec2/securityGroup:SecurityGroup", "AwsEc2SecurityGroup"),
    ("aws:ec2/vpc:Vpc", "AwsEc2Vpc"),
    ("aws:apigateway/restApi:RestApi", "AwsApiGatewayRestApi"),
    ("aws:wafv2/webAcl:WebAcl", "AwsWafv2WebAcl"),
    ("iam:user", "AwsIamUser"),
    ("iam:role", "AwsIamRole"),
)
RESOURCE_TYPES: dict[str, str] = dict(_RESOURCE_TYPE_PAIRS)


@dataclass(frozen=True)
class AsffTarget:
    """Where the findings go: the account and region of the product ARN (the account's own
    ``default`` product, which takes findings from the account's own tools)."""

    account: str
    region: str
    partition: str = "aws"

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d{12}", self.account):
            raise BadInput.at("AWS account", self.account[:40], "expected 12 digits")
        if not re.fullmatch(r"[a-z]{2}(-[a-z]+)+-\d", self.region):
            raise BadInput.at("AWS region", self.region[:40], "not an AWS region name")

    @property
    def product_arn(self) -> str:
        return f"arn:{self.partition}:securityhub:{self.region}:{self.account}:product/{self.account}/default"


_TARGET: contextvars.ContextVar[AsffTarget | None] = contextvars.ContextVar("asff_target", default=None)


@contextlib.contextmanager
def asff_target(target: AsffTarget | None) -> Iterator[None]:
    """ASFF written inside the block is for ``target`` (None: from the environment again)."""
    token = _TARGET.set(target)
    try:
        yield
    finally:
        _TARGET.reset(token)


def current_target() -> AsffTarget:
    """The target set by :func:`asff_target`, else from the environment (a writer makes no AWS call)."""
    target = _TARGET.get()
    if target is not None:
        return target
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    account = os.environ.get("AWS_ACCOUNT_ID")
    if not (account and region):
        raise BadInput.at(
            "-f asff",
            "",
            "ASFF names the AWS account and region of its findings: set "
            "AWS_ACCOUNT_ID and AWS_REGION, or use --to-security-hub",
        )
    return AsffTarget(account.strip(), region.strip())


def target_from_sts(region: str | None = None, endpoint_url: str | None = None) -> AsffTarget:
    """The caller's account (``sts:GetCallerIdentity``) and the session's region."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    session = boto3.session.Session()
    region = region or session.region_name
    if not region:
        raise BadInput.at("AWS_REGION", "", "ASFF and Security Hub need an AWS region: set AWS_REGION")
    try:
        account = session.client("sts", region_name=region, endpoint_url=endpoint_url).get_caller_identity()[
            "Account"
        ]
    except (ClientError, BotoCoreError) as exc:
        raise EnvironmentFailure(
            f"ASFF needs the AWS account (set AWS_ACCOUNT_ID, or give credentials): "
            f"sts:GetCallerIdentity: {str(exc)[:300]}"
        ) from None
    return AsffTarget(str(account), region)


def write(report: Report, path: Path) -> None:
    findings = asff_findings(report, current_target())
    with atomic_text(path) as handle:
        json.dump(findings, handle, indent=2, ensure_ascii=False)
        handle.write("\n")


def importable(finding: Finding) -> bool:
    return finding.status in (Status.PASS, Status.FAIL)


def asff_findings(report: Report, target: AsffTarget) -> list[dict[str, Any]]:
    """One ASFF finding per PASS or FAIL finding of ``report`` (already redacted)."""
    selected = [f for f in report.findings if importable(f)]
    ids = _stable_ids(selected)
    return [_finding(report, finding, ids[index], target) for index, finding in enumerate(selected)]


def _stable_ids(findings: list[Finding]) -> list[str]:
    """``supportops/<check>/<hash of subject>``; findings repeating a check on one subject get
    ``/2``, ``/3`` in the order of their messages (stable for the same run content)."""
    base = [f"supportops/{_clean(f.check_id)[:200]}/{_digest(f.subject)}" for f in findings]
    order = sorted(range(len(findings)), key=lambda i: (base[i], findings[i].message))
    seen: dict[str, int] = {}
    ids = [""] * len(findings)
    for index in order:
        seen[base[index]] = seen.get(base[index], 0) + 1
        count = seen[base[index]]
        ids[index] = base[index] if count == 1 else f"{base[index]}/{count}"
    return ids


def _digest(text: str) -> str:
    # Subjects from state data may hold lone surrogates: hash them as they are, never crash.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _clean(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._:/-]", "_", text)


def _finding(report: Report, finding: Finding, finding_id: str, target: AsffTarget) -> dict[str, Any]:
    label = SEVERITY_LABELS[finding.severity]
    types = _types(finding)
    when = report.generated_at
    document: dict[str, Any] = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": finding_id[:MAX_ID],
        "ProductArn": target.product_arn,
        "GeneratorId": f"supportops/{_clean(finding.source)}/{_clean(finding.check_id)}"[:MAX_ID],
        "AwsAccountId": target.account,
        "Types": types,
        "CreatedAt": when,
        "UpdatedAt": when,
        "Severity": {"Label": label, "Original": finding.severity.value},
        "Title": _cut(f"{finding.check_id}: {finding.title}", MAX_TITLE),
        "Description": _cut(_description(finding), MAX_DESCRIPTION),
        "Resources": [_resource(finding, target)],
        "Compliance": {
            "Status": "PASSED" if finding.status is Status.PASS else "FAILED",
            "RelatedRequirements": [_requirement(r) for r in finding.requirements[:MAX_REQUIREMENTS]],
        },
        "FindingProviderFields": {
            "Severity": {"Label": label, "Original": finding.severity.value},
            "Types": types,
        },
        "ProductFields": {
            "supportops/source": finding.source,
            "supportops/reportKind": report.kind,
            "supportops/category": finding.category or "-",
        },
        "RecordState": "ACTIVE",
        "Workflow": {"Status": _workflow(finding)},
    }
    if finding.remediation:
        document["Remediation"] = {"Recommendation": {"Text": _cut(finding.remediation, 512)}}
    if finding.waiver is not None:
        waiver = finding.waiver
        note = (
            f"Waived{f' ({waiver.waiver_id})' if waiver.waiver_id else ''} by {waiver.owner} until "
            f"{waiver.expires}: {waiver.justification}"
        )
        document["Note"] = {"Text": _cut(note, MAX_NOTE), "UpdatedBy": "supportops", "UpdatedAt": when}
    return document


def _description(finding: Finding) -> str:
    """The message, then the evidence (what was observed where, and what was expected)."""
    parts = [finding.message or finding.title or finding.check_id]
    for evidence in finding.evidence[:5]:
        observed = (
            evidence.observed
            if isinstance(evidence.observed, str)
            else json.dumps(evidence.observed, default=str, ensure_ascii=False)
        )
        expected = f" (expected {evidence.expected})" if evidence.expected else ""
        parts.append(f"{evidence.path}: {observed}{expected}")
    return "; ".join(parts)


def _workflow(finding: Finding) -> str:
    if finding.waiver is not None:
        return "SUPPRESSED"
    return "RESOLVED" if finding.status is Status.PASS else "NEW"


def _types(finding: Finding) -> list[str]:
    frameworks = {r.split(":", 1)[0] for r in finding.requirements}
    types = sorted(
        {
            f"{STANDARDS}/{name}"
            for prefix, name in FRAMEWORK_TYPES.items()
            for framework in frameworks
            if framework.startswith(prefix)
        }
    )
    return types or ["Software and Configuration Checks"]


def _requirement(requirement: str) -> str:
    framework, _, item = requirement.partition(":")
    return f"{framework} {item}".strip()


def _resource(finding: Finding, target: AsffTarget) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "Type": RESOURCE_TYPES.get(finding.subject_type, "Other"),
        "Id": _cut(finding.subject or finding.check_id, 512),
        "Partition": target.partition,
        "Region": target.region,
    }
    if finding.subject_type:
        resource["Details"] = {"Other": {"subjectType": _cut(finding.subject_type, 1024)}}
    return resource


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
