"""Least-privilege policies of the operations jobs, generated from the calls each command declares.

Every job has one role; its policy is the job's declared actions (access review, DR drill, live
compliance) plus the writes every run makes (its evidence prefix, the key, its metric namespace, the
topic, its build log). Actions are scoped to the account and the platform's regions; only actions
that IAM cannot scope to a resource (``WILDCARD_ONLY``) keep ``"Resource": "*"``. The member-account
roles (:mod:`.member_template`) get the same job statements, built by the same function.

Built as plain data (no Pulumi import): the component renders it with the account id once known.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from supportops.stacks.config.operations import OpsJob

Statement = dict[str, Any]

# Actions of our jobs that support no resource-level permission: IAM only grants them on "*".
# Checked against the IAM reference data checkov itself uses (tests/stacks/test_operations_policies.py):
# a command that declares a new call must classify it here, or that test names it.
WILDCARD_ONLY = frozenset(
    {
        "access-analyzer:ListAnalyzers",
        "acm:ListCertificates",
        "app-integrations:ListDataIntegrations",
        "appflow:DescribeConnectorProfiles",
        "athena:ListWorkGroups",
        "backup:DescribeRestoreJob",
        "backup:ListBackupPlans",
        "backup:ListBackupVaults",
        "cloudtrail:DescribeTrails",
        "cloudwatch:PutMetricData",
        "config:DescribeConfigurationRecorderStatus",
        "config:DescribeConfigurationRecorders",
        "config:DescribeDeliveryChannels",
        "connect:ListInstances",
        "dynamodb:ListTables",
        "ec2:DescribeRegions",
        "events:ListEventBuses",
        "events:ListRules",
        "firehose:ListDeliveryStreams",
        "guardduty:DescribeOrganizationConfiguration",
        "guardduty:ListDetectors",
        "iam:GenerateCredentialReport",
        "iam:GetAccountAuthorizationDetails",
        "iam:GetCredentialReport",
        "inspector2:BatchGetAccountStatus",
        "kinesis:ListStreams",
        "kms:ListAliases",
        "kms:ListKeys",
        "lambda:ListEventSourceMappings",
        "lambda:ListFunctions",
        "lex:ListBots",
        "logs:DescribeLogGroups",
        "profile:ListDomains",
        "s3:ListAllMyBuckets",
        "secretsmanager:ListSecrets",
        "securityhub:ListFindingAggregators",
        "sns:ListTopics",
        "sqs:ListQueues",
        "sts:GetCallerIdentity",
        "tag:GetResources",
        "wisdom:ListAssistants",
        "wisdom:ListKnowledgeBases",
    }
)


class ActionsUnavailable(RuntimeError):
    """A job's declared actions cannot be read (the module declaring them is not installed yet)."""


def declared_actions(job: OpsJob, dr_runbooks: Sequence[str] = ()) -> list[str]:
    """The IAM actions the job's commands declare: the same lists `... permissions` prints."""
    if job is OpsJob.ACCESS_REVIEW:
        from supportops.runbooks.access_review.permissions import review_actions

        return review_actions()
    if job is OpsJob.DR_DRILL:
        from supportops.runbooks.dr.loader import load_runbook, resolve_runbook_path
        from supportops.runbooks.dr.permissions import drill_actions

        return drill_actions([load_runbook(resolve_runbook_path(name)) for name in dr_runbooks])
    return live_compliance_actions()


def live_compliance_actions() -> list[str]:
    """``supportops.inventory.live.required_actions()``: read lazily, refused (not guessed) when absent."""
    try:
        live = importlib.import_module("supportops.inventory.live")
        required = live.required_actions
    except (ImportError, AttributeError) as exc:
        raise ActionsUnavailable(
            "supportops.inventory.live.required_actions() is not available (live collection not "
            f"installed: {exc}); the compliance job's read actions cannot be generated"
        ) from None
    return sorted(set(required()))


def bucket_prefix_for(job: OpsJob, environment: str) -> str:
    return "" if job is OpsJob.COMPLIANCE else f"{environment}-"


@dataclass(frozen=True)
class Scope:
    """Where a role's job actions may act: one account, the platform's regions, its bucket names."""

    partition: str
    account: str
    regions: tuple[str, ...]
    # Buckets the job may touch: "<env>-" (the platform's) for jobs that write; "" (every bucket of
    # the account) for live compliance, which reads every bucket's settings.
    bucket_prefix: str
    # Roles sts:AssumeRole may take (the job's member roles); empty: none.
    assumable_roles: tuple[str, ...] = ()


def job_statements(actions: Sequence[str], scope: Scope) -> list[Statement]:
    """The job's declared actions, one statement per service, scoped to ``scope``."""
    statements: list[Statement] = []
    wildcard = sorted(a for a in actions if a in WILDCARD_ONLY)
    if wildcard:
        statements.append(
            {"Sid": "NoResourceLevelPermissions", "Effect": "Allow", "Action": wildcard, "Resource": "*"}
        )
    by_service: dict[str, list[str]] = {}
    for action in actions:
        if action not in WILDCARD_ONLY:
            by_service.setdefault(action.split(":", 1)[0], []).append(action)
    for service, service_actions in sorted(by_service.items()):
        resources = _resources(service, scope)
        if not resources:
            continue  # e.g. sts:AssumeRole with no member role to assume
        statements.append(
            {
                "Sid": f"{service.title().replace('-', '')}InScope",
                "Effect": "Allow",
                "Action": sorted(service_actions),
                "Resource": resources,
            }
        )
    return statements


def _resources(service: str, scope: Scope) -> list[str]:
    p = scope.partition
    if service == "sts":
        return list(scope.assumable_roles)
    if service == "iam":
        return [f"arn:{p}:iam::{scope.account}:*"]
    if service == "apigateway":  # API Gateway ARNs have no account field
        return [f"arn:{p}:apigateway:{region}::/*" for region in scope.regions]
    if service == "backup":  # restores name the recovery point, an ARN of the protected service
        return [f"arn:{p}:*:{region}:{scope.account}:*" for region in scope.regions]
    if service == "s3":
        return [f"arn:{p}:s3:::{scope.bucket_prefix}*", f"arn:{p}:s3:::{scope.bucket_prefix}*/*"]
    return [f"arn:{p}:{service}:{region}:{scope.account}:*" for region in scope.regions]


@dataclass(frozen=True)
class RunWrites:
    """What every run writes: values are resolved ARNs/names (the component resolves the Outputs)."""

    job: OpsJob
    bucket_arn: str
    key_arn: str
    topic_arn: str
    log_group_arn: str
    metric_namespace: str


def run_statements(writes: RunWrites) -> list[Statement]:
    bucket = writes.bucket_arn
    return [
        {
            # Its own prefix only: a job cannot write (or lock) another job's evidence.
            "Sid": "WriteEvidence",
            "Effect": "Allow",
            "Action": ["s3:PutObject", "s3:PutObjectRetention"],
            "Resource": [f"{bucket}/{writes.job.value}/*"],
        },
        {
            # The runner bundle (CodeBuild's source) is kept, locked, in the same bucket.
            "Sid": "ReadRunnerBundle",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion"],
            "Resource": [f"{bucket}/runner/*"],
        },
        {
            "Sid": "LocateBucket",
            "Effect": "Allow",
            "Action": ["s3:GetBucketAcl", "s3:GetBucketLocation"],
            "Resource": [bucket],
        },
        {
            "Sid": "UseOperationsKey",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": [writes.key_arn],
        },
        {
            "Sid": "PutJobMetrics",
            "Effect": "Allow",
            "Action": ["cloudwatch:PutMetricData"],
            "Resource": "*",
            "Condition": {"StringEquals": {"cloudwatch:namespace": writes.metric_namespace}},
        },
        {"Sid": "Notify", "Effect": "Allow", "Action": ["sns:Publish"], "Resource": [writes.topic_arn]},
        {
            "Sid": "WriteBuildLog",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [f"{writes.log_group_arn}:*"],
        },
    ]


def runner_policy(actions: Sequence[str], scope: Scope, writes: RunWrites) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [*job_statements(actions, scope), *run_statements(writes)]}


def policy_actions(policy: dict[str, Any]) -> set[str]:
    """Every action a policy document allows (for tests and the member template's check)."""
    found: set[str] = set()
    for statement in policy["Statement"]:
        actions = statement["Action"]
        found.update([actions] if isinstance(actions, str) else actions)
    return found
