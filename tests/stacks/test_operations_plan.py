"""The operations phase as planned: schedules from config (valid expressions, next fire times), the
fan-out state machine checked against the service APIs it calls, one least-privilege runner role per
job generated from the declared calls, the Object Lock evidence bucket, the encrypted topic, the
member-account StackSet template, and our rules and checkov passing with no new waiver."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sfn_validation import validate_definition

from supportops.errors import BadInput
from supportops.inventory.model import Inventory, Resource
from supportops.inventory.offline_plan import PlanRequest, plan_program
from supportops.stacks.components.operations.job_policies import declared_actions, policy_actions
from supportops.stacks.components.operations.schedules import ScheduleProblem, next_fire_times, parse_schedule
from supportops.stacks.components.operations.state_machine import CODEBUILD_SYNC
from supportops.stacks.config import load_stack_config
from supportops.stacks.config.operations import OperationsConfig, OpsJob

STACK = "demo-operations"
CREATED = dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def operations_plan(repo_root: Path, foundation_plan: Inventory) -> Inventory:
    # Only the foundation's outputs are read (its access-log bucket): feed those, not three plans.
    return plan_program(
        PlanRequest(repo_root, STACK, stack_references={"demo-foundation": foundation_plan.outputs})
    )


@pytest.fixture(scope="module")
def config(repo_root: Path) -> OperationsConfig:
    return load_stack_config(repo_root, STACK).operations


def _of(plan: Inventory, type_token: str) -> list[Resource]:
    return plan.of_type(type_token)


def test_default_schedules_fire_quarterly_monthly_and_daily() -> None:
    jobs = OperationsConfig().jobs
    utc = dt.UTC
    assert [t.astimezone(utc) for t in next_fire_times(jobs.access_review.schedule, CREATED, 3)] == [
        dt.datetime(2027, 1, 1, 6, 0, tzinfo=utc),
        dt.datetime(2027, 4, 1, 6, 0, tzinfo=utc),
        dt.datetime(2027, 7, 1, 6, 0, tzinfo=utc),
    ]
    # The first Tuesday of each month (1 December 2026 is a Tuesday, after 03:00).
    assert [t.astimezone(utc) for t in next_fire_times(jobs.dr_drill.schedule, CREATED, 3)] == [
        dt.datetime(2026, 12, 1, 7, 0, tzinfo=utc),
        dt.datetime(2027, 1, 5, 7, 0, tzinfo=utc),
        dt.datetime(2027, 2, 2, 7, 0, tzinfo=utc),
    ]
    assert [t.astimezone(utc) for t in next_fire_times(jobs.compliance.schedule, CREATED, 2)] == [
        dt.datetime(2026, 12, 1, 5, 30, tzinfo=utc),
        dt.datetime(2026, 12, 2, 5, 30, tzinfo=utc),
    ]


def test_schedules_run_in_their_time_zone_and_rates_from_creation() -> None:
    berlin = next_fire_times("cron(0 6 * * ? *)", CREATED, 1, "Europe/Berlin")
    assert berlin[0].astimezone(dt.UTC) == dt.datetime(2026, 12, 1, 5, 0, tzinfo=dt.UTC)  # 06:00 CET
    assert next_fire_times("rate(12 hours)", CREATED, 2) == [
        CREATED + dt.timedelta(hours=12),
        CREATED + dt.timedelta(hours=24),
    ]


@pytest.mark.parametrize(
    ("expression", "problem"),
    [
        ("cron(0 6 1 * *)", "6 fields"),
        ("cron(0 6 1 * 2 *)", "cannot both be set"),
        ("rate(5 fortnights)", "not a schedule expression"),
        ("every day", "not a schedule expression"),
        ("cron(61 6 * * ? *)", "not a valid cron expression"),
    ],
)
def test_invalid_schedules_are_refused_with_the_reason(expression: str, problem: str) -> None:
    with pytest.raises(ScheduleProblem, match=problem):
        parse_schedule(expression)


def _problems(tmp_path: Path, operations: str) -> list[str]:
    (tmp_path / "Pulumi.prod-operations.yaml").write_text(
        "config:\n  supportops:environment: prod\n  supportops:phase: operations\n"
        "  supportops:operations:\n" + operations,
        encoding="utf-8",
    )
    with pytest.raises(BadInput) as raised:
        load_stack_config(tmp_path, "prod-operations")
    return str(raised.value).splitlines()


def test_config_problems_are_one_line_naming_file_line_and_key(tmp_path: Path) -> None:
    (line,) = _problems(
        tmp_path,
        "    accounts: [{id: '111122223333', name: prod}]\n"
        "    jobs:\n      drDrill: {schedule: 'cron(0 7 * *)'}\n",
    )
    assert (
        "Pulumi.prod-operations.yaml: line 7, column 17: supportops:operations.jobs.drDrill.schedule: "
        in line
    )
    assert "6 fields" in line
    (line,) = _problems(tmp_path, "    accounts: []\n")
    assert line.endswith("operations.accounts: list at least one account for the jobs to run in")


def test_one_schedule_per_job_and_per_dr_runbook_each_starting_the_state_machine(
    operations_plan: Inventory, config: OperationsConfig
) -> None:
    (machine,) = _of(operations_plan, "aws:sfn/stateMachine:StateMachine")
    schedules = {s.name: s for s in _of(operations_plan, "aws:scheduler/schedule:Schedule")}
    assert set(schedules) == {
        "demo-ops-access-review",
        "demo-ops-compliance",
        "demo-ops-dr-drill-crm-idempotency",
        "demo-ops-dr-drill-customer-context",
    }
    projects = {p.name: p.outputs["name"] for p in _of(operations_plan, "aws:codebuild/project:Project")}
    accounts = [a.id for a in config.accounts]
    for name, schedule in schedules.items():
        target = schedule.get("target")
        assert target["arn"] == machine.outputs["arn"]
        payload = json.loads(target["input"])
        assert payload["accounts"] == accounts == ["123456789012", "210987654321"]
        job = OpsJob(payload["job"])
        assert payload["project"] == projects[f"demo-ops-{job.value}"]
        assert payload["runbook"] == (
            name.removeprefix("demo-ops-dr-drill-") if job is OpsJob.DR_DRILL else "-"
        )
        assert schedule.get("scheduleExpression") == config.jobs.of(job).schedule
        assert schedule.get("kmsKeyArn")  # the schedule's input is encrypted with the operations key


def test_the_state_machine_fans_out_over_accounts_and_runs_each_in_codebuild(
    operations_plan: Inventory,
) -> None:
    (machine,) = _of(operations_plan, "aws:sfn/stateMachine:StateMachine")
    definition = json.loads(machine.get("definition"))
    checked = validate_definition(definition)
    assert checked == {CODEBUILD_SYNC: 1, "arn:aws:states:::sns:publish": 1}
    fan_out = definition["States"][definition["StartAt"]]
    assert fan_out["Type"] == "Map" and fan_out["ItemsPath"] == "$.accounts"
    assert fan_out["ItemSelector"]["account.$"] == "$$.Map.Item.Value"
    assert fan_out["ItemSelector"]["runId.$"] == "$$.Execution.Name"
    run = fan_out["ItemProcessor"]["States"]["RunJob"]
    overrides = {e["Name"]: e["Value.$"] for e in run["Parameters"]["EnvironmentVariablesOverride"]}
    assert overrides == {
        "SUPPORTOPS_ACCOUNT": "$.account",
        "SUPPORTOPS_JOB": "$.job",
        "SUPPORTOPS_RUNBOOK": "$.runbook",
        "SUPPORTOPS_RUN_ID": "$.runId",
    }
    assert machine.get("type") == "STANDARD"
    assert machine.get("loggingConfiguration")["level"] == "ALL"
    assert machine.get("tracingConfiguration")["enabled"] is True


def _policy(plan: Inventory, name: str) -> dict[str, Any]:
    (policy,) = [p for p in _of(plan, "aws:iam/rolePolicy:RolePolicy") if p.name == name]
    return dict(json.loads(policy.get("policy")))


def test_each_runner_role_grants_its_declared_calls_scoped_and_its_own_evidence_prefix(
    operations_plan: Inventory, config: OperationsConfig
) -> None:
    bucket = next(b for b in _of(operations_plan, "aws:s3/bucket:Bucket") if b.name == "demo-ops-evidence")
    for job in OpsJob:
        policy = _policy(operations_plan, f"demo-ops-{job.value}-runner-policy")
        declared = set(declared_actions(job, config.jobs.dr_drill.runbooks))
        writes = {
            "s3:PutObject",
            "s3:PutObjectRetention",
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:GetBucketAcl",
            "s3:GetBucketLocation",
            "kms:Decrypt",
            "kms:GenerateDataKey",
            "cloudwatch:PutMetricData",
            "sns:Publish",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
        }
        assert policy_actions(policy) == declared | writes
        evidence = next(s for s in policy["Statement"] if s["Sid"] == "WriteEvidence")
        assert evidence["Resource"] == [f"{bucket.outputs['arn']}/{job.value}/*"]
        for statement in policy["Statement"]:
            if statement["Resource"] == "*":
                assert statement["Sid"] in {"NoResourceLevelPermissions", "PutJobMetrics"}
        if "sts:AssumeRole" in declared:
            assume = next(s for s in policy["Statement"] if "sts:AssumeRole" in s["Action"])
            assert assume["Resource"] == [
                f"arn:aws:iam::{a.id}:role/supportops-ops-{job.value}" for a in config.accounts
            ]


def test_the_evidence_bucket_is_object_locked_in_compliance_mode_encrypted_versioned_and_logged(
    operations_plan: Inventory, config: OperationsConfig, foundation_plan: Inventory
) -> None:
    (lock,) = [
        r
        for r in _of(operations_plan, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
        if r.get("bucket").startswith("demo-ops-evidence") and "replica" not in r.name
    ]
    assert lock.get("rule")["defaultRetention"] == {
        "mode": "COMPLIANCE",
        "days": config.evidence_retention_days,
    }
    bucket = lock.get("bucket")
    by_bucket = lambda type_token: {r.get("bucket"): r for r in _of(operations_plan, type_token)}  # noqa: E731
    sse = by_bucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
    assert sse[bucket].get("rules")[0]["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    versioning = by_bucket("aws:s3/bucketVersioning:BucketVersioning")
    assert versioning[bucket].get("versioningConfiguration")["status"] == "Enabled"
    logging = by_bucket("aws:s3/bucketLogging:BucketLogging")
    assert logging[bucket].get("targetBucket") == foundation_plan.outputs["accessLogBucket"]
    (topic,) = _of(operations_plan, "aws:sns/topic:Topic")
    assert topic.get("kmsMasterKeyId").startswith("arn:aws:kms:")


def test_the_member_template_parses_and_names_the_same_actions(
    operations_plan: Inventory, config: OperationsConfig
) -> None:
    template = json.loads(operations_plan.outputs["memberRoleTemplate"])
    roles = {r["Properties"]["RoleName"]: r for r in template["Resources"].values()}
    assert set(roles) == {f"supportops-ops-{job.value}" for job in OpsJob}
    for job in OpsJob:
        role = roles[f"supportops-ops-{job.value}"]
        (policy,) = role["Properties"]["Policies"]
        granted = policy_actions(policy["PolicyDocument"])
        # Member roles are assumed, never assume further: the same calls less sts:AssumeRole.
        assert granted == set(declared_actions(job, config.jobs.dr_drill.runbooks)) - {"sts:AssumeRole"}
        trusted = role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["AWS"]
        assert trusted == {
            "Fn::Sub": f"arn:${{AWS::Partition}}:iam::${{OperationsAccountId}}:role/demo-ops-{job.value}"
        }


def test_our_rules_and_checkov_pass_with_no_new_waiver(operations_plan: Inventory, repo_root: Path) -> None:
    from supportops.policies.compliance import ComplianceRequest, run_compliance

    report = run_compliance(
        ComplianceRequest(
            inventory=operations_plan, config_file=repo_root / f"Pulumi.{STACK}.yaml", checkov=True
        )
    )
    failing = sorted({(f.check_id, f.subject) for f in report.findings if f.failing})
    assert failing == []
    assert not [f for f in report.findings if f.status.value == "ERROR"]
    # Only platform waivers that existed before this phase: CKV-PLATFORM-0xx.
    waived = {f.waiver.waiver_id for f in report.findings if f.waived and f.waiver is not None}
    assert waived <= {"CKV-PLATFORM-010", "CKV-PLATFORM-011", "CKV-PLATFORM-012"}


def test_one_codebuild_project_per_job_installs_the_bundle_from_the_evidence_bucket(
    operations_plan: Inventory, config: OperationsConfig
) -> None:
    from supportops.stacks.components.operations import buildspec as spec

    projects = {p.name: p for p in _of(operations_plan, "aws:codebuild/project:Project")}
    roles = {r.name: r for r in _of(operations_plan, "aws:iam/role:Role")}
    bucket = operations_plan.outputs["evidenceBucket"]
    for job in OpsJob:
        project = projects[f"demo-ops-{job.value}"]
        assert project.get("buildTimeout") == config.jobs.of(job).timeout_minutes
        assert project.get("source")["location"] == f"{bucket}/{spec.RUNNER_BUNDLE_KEY}"
        assert project.get("source")["buildspec"] == spec.buildspec_yaml()
        environment = project.get("environment")
        assert environment["privilegedMode"] is False
        assert {v["name"] for v in environment["environmentVariables"]} == {
            spec.ENV_STACK,
            spec.ENV_BUCKET,
            spec.ENV_TOPIC,
            spec.ENV_NAMESPACE,
        }
        # Its own role: the runner role of this job, trusted by CodeBuild of this account only.
        role = roles[f"demo-ops-{job.value}-runner"]
        assert project.get("serviceRole") == role.outputs["arn"]
        trust = json.loads(role.get("assumeRolePolicy"))["Statement"][0]
        assert trust["Principal"] == {"Service": "codebuild.amazonaws.com"}
        assert "aws:SourceAccount" in trust["Condition"]["StringEquals"]
