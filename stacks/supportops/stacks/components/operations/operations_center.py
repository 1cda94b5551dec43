"""OperationsCenter: the unattended jobs deployed by the stack.

EventBridge Scheduler (one schedule per job, one per DR runbook) → a Step Functions state machine
that maps over the configured accounts → one CodeBuild project per job (its own least-privilege
role) running ``supportops ops run``. Evidence goes to an Object Lock (COMPLIANCE mode) bucket,
notifications to a KMS-encrypted SNS topic, metrics to one CloudWatch namespace.

Why CodeBuild: a drill may run for hours (CodeBuild builds run up to 8 hours, Step Functions waits
with ``startBuild.sync``), and the managed image installs the runner bundle at start, so there is no
container image to build, scan and keep patched (docs/operations.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.operations.buildspec import (
    ENV_BUCKET,
    ENV_NAMESPACE,
    ENV_STACK,
    ENV_TOPIC,
    RUNNER_BUNDLE_KEY,
    buildspec_yaml,
)
from supportops.stacks.components.operations.job_policies import (
    RunWrites,
    Scope,
    bucket_prefix_for,
    runner_policy,
)
from supportops.stacks.components.operations.member_template import member_template, runner_role_name
from supportops.stacks.components.operations.state_machine import definition, schedule_input
from supportops.stacks.components.replication.sizing import ReplicationArgs
from supportops.stacks.components.security.data_key import DataKey, DataKeyArgs
from supportops.stacks.components.security.log_group import SecureLogGroup, SecureLogGroupArgs
from supportops.stacks.components.security.secure_bucket import SecureBucket, SecureBucketArgs
from supportops.stacks.config import DataClassName
from supportops.stacks.config.operations import OperationsConfig, OpsJob
from supportops.stacks.policy_documents import assume_role_policy, document

RUNNER_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0"  # Python 3.11 runtime available
# Step Functions' managed rule for .sync CodeBuild tasks (it polls the build through EventBridge).
SYNC_RULE = "StepFunctionsGetEventForCodeBuildStartBuildRule"


@dataclass(frozen=True)
class OperationsCenterArgs:
    config: OperationsConfig
    environment: str
    stack: str  # the operations stack, whose config the runner reads (`--stack`)
    region: str
    regions: tuple[str, ...]  # where the jobs' actions may act (primary and replica)
    account_id: pulumi.Output[str]
    account_root_arn: pulumi.Input[str]
    access_log_bucket: pulumi.Input[str]
    audit_retention_days: int  # the audit-log class's minimum: the evidence bucket's lifecycle floor
    job_actions: Mapping[OpsJob, Sequence[str]]
    replication: ReplicationArgs | None = None
    partition: str = "aws"


class OperationsCenter(pulumi.ComponentResource):
    key: DataKey
    evidence: SecureBucket
    topic: aws.sns.Topic
    state_machine: aws.sfn.StateMachine
    projects: dict[OpsJob, aws.codebuild.Project]
    runner_roles: dict[OpsJob, aws.iam.Role]
    schedules: dict[str, aws.scheduler.Schedule]
    member_template: pulumi.Output[str]

    def __init__(
        self, name: str, args: OperationsCenterArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:operations:OperationsCenter", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        config = args.config
        self.key = DataKey(
            f"{name}-key",
            DataKeyArgs(
                data_class=DataClassName.AUDIT_LOGS,
                account_root_arn=args.account_root_arn,
                region=args.region,
                service_principals=(f"logs.{args.region}.amazonaws.com",),
            ),
            opts=child,
        )
        self.evidence = SecureBucket(
            f"{name}-evidence",
            SecureBucketArgs(
                data_class=DataClassName.AUDIT_LOGS,
                retention_days=max(config.evidence_retention_days, args.audit_retention_days),
                kms_key_arn=self.key.arn,
                access_log_bucket=args.access_log_bucket,
                object_lock_days=config.evidence_retention_days,
                replication=args.replication,
            ),
            opts=child,
        )
        self.topic = aws.sns.Topic(f"{name}-notifications", kms_master_key_id=self.key.arn, opts=child)
        build_logs = SecureLogGroup(
            f"{name}-runner-logs",
            SecureLogGroupArgs(DataClassName.AUDIT_LOGS, args.audit_retention_days, self.key.arn),
            opts=child,
        )
        self.runner_roles = {}
        self.projects = {}
        for job in OpsJob:
            if config.jobs.of(job).enabled:
                self._runner(name, job, args, build_logs)
        machine_logs = SecureLogGroup(
            f"{name}-state-machine-logs",
            SecureLogGroupArgs(
                DataClassName.AUDIT_LOGS,
                args.audit_retention_days,
                self.key.arn,
                # Step Functions vends logs to groups under /aws/vendedlogs/ without a size-limited policy.
                log_group_name=f"/aws/vendedlogs/states/{name}",
            ),
            opts=child,
        )
        self.state_machine = self._state_machine(name, args, machine_logs)
        self.schedules = self._schedules(name, args)
        self.member_template = args.account_id.apply(
            lambda _account: json.dumps(
                member_template(
                    environment=args.environment,
                    role_names={job: config.member_role_name(job) for job in self.projects},
                    actions={job: args.job_actions[job] for job in self.projects},
                    regions=args.regions,
                ),
                indent=2,
                sort_keys=True,
            )
        )
        self.register_outputs(
            {
                "evidenceBucket": self.evidence.name,
                "topicArn": self.topic.arn,
                "stateMachineArn": self.state_machine.arn,
            }
        )

    def _runner(self, name: str, job: OpsJob, args: OperationsCenterArgs, logs: SecureLogGroup) -> None:
        config = args.config
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-{job.value}-runner",
            name=runner_role_name(args.environment, job),
            assume_role_policy=args.account_id.apply(
                lambda account: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "codebuild.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                                "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                            }
                        ],
                    }
                )
            ),
            opts=child,
        )
        member_roles = tuple(
            f"arn:{args.partition}:iam::{account.id}:role/{config.member_role_name(job)}"
            for account in config.accounts
        )
        policy = pulumi.Output.all(
            args.account_id, self.evidence.arn, self.key.arn, self.topic.arn, logs.arn
        ).apply(
            lambda values: json.dumps(
                runner_policy(
                    args.job_actions[job],
                    Scope(
                        partition=args.partition,
                        account=values[0],
                        regions=args.regions,
                        bucket_prefix=bucket_prefix_for(job, args.environment),
                        assumable_roles=member_roles,
                    ),
                    RunWrites(
                        job=job,
                        bucket_arn=values[1],
                        key_arn=values[2],
                        topic_arn=values[3],
                        log_group_arn=values[4],
                        metric_namespace=config.metric_namespace,
                    ),
                ),
                sort_keys=True,
            )
        )
        aws.iam.RolePolicy(f"{name}-{job.value}-runner-policy", role=role.id, policy=policy, opts=child)
        variables: dict[str, pulumi.Input[str]] = {
            ENV_STACK: args.stack,
            ENV_BUCKET: self.evidence.name,
            ENV_TOPIC: self.topic.arn,
            ENV_NAMESPACE: config.metric_namespace,
        }
        self.projects[job] = aws.codebuild.Project(
            f"{name}-{job.value}",
            description=f"supportops {job.value} job: `supportops ops run {job.value}` for one account",
            service_role=role.arn,
            encryption_key=self.key.arn,
            build_timeout=config.jobs.of(job).timeout_minutes,
            queued_timeout=60,
            artifacts=aws.codebuild.ProjectArtifactsArgs(type="NO_ARTIFACTS"),
            source=aws.codebuild.ProjectSourceArgs(
                type="S3",
                location=pulumi.Output.concat(self.evidence.name, "/", RUNNER_BUNDLE_KEY),
                buildspec=buildspec_yaml(),
            ),
            environment=aws.codebuild.ProjectEnvironmentArgs(
                compute_type="BUILD_GENERAL1_SMALL",
                image=RUNNER_IMAGE,
                type="LINUX_CONTAINER",
                privileged_mode=False,
                image_pull_credentials_type="CODEBUILD",
                environment_variables=[
                    aws.codebuild.ProjectEnvironmentEnvironmentVariableArgs(
                        name=key, value=value, type="PLAINTEXT"
                    )
                    for key, value in variables.items()
                ],
            ),
            logs_config=aws.codebuild.ProjectLogsConfigArgs(
                cloudwatch_logs=aws.codebuild.ProjectLogsConfigCloudwatchLogsArgs(
                    status="ENABLED", group_name=logs.name, stream_name=job.value
                ),
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[role]),
        )
        self.runner_roles[job] = role

    def _state_machine(
        self, name: str, args: OperationsCenterArgs, logs: SecureLogGroup
    ) -> aws.sfn.StateMachine:
        child = pulumi.ResourceOptions(parent=self)
        role = aws.iam.Role(
            f"{name}-state-machine", assume_role_policy=assume_role_policy("states"), opts=child
        )
        projects = [project.arn for project in self.projects.values()]
        sync_rule = args.account_id.apply(
            lambda account: f"arn:{args.partition}:events:{args.region}:{account}:rule/{SYNC_RULE}"
        )
        statements: list[dict[str, object]] = [
            {
                "Sid": "RunJobBuilds",
                "Effect": "Allow",
                "Action": ["codebuild:BatchGetBuilds", "codebuild:StartBuild", "codebuild:StopBuild"],
                "Resource": projects,
            },
            {
                "Sid": "SyncBuildEvents",
                "Effect": "Allow",
                "Action": ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
                "Resource": [sync_rule],
            },
            {
                "Sid": "AnnounceNotRun",
                "Effect": "Allow",
                "Action": ["sns:Publish"],
                "Resource": [self.topic.arn],
            },
            {
                "Sid": "UseOperationsKey",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": [self.key.arn],
            },
            {
                # Log delivery and tracing support no resource-level permissions (IAM reference).
                "Sid": "DeliverLogsAndTraces",
                "Effect": "Allow",
                "Action": [
                    "logs:CreateLogDelivery",
                    "logs:DeleteLogDelivery",
                    "logs:DescribeLogGroups",
                    "logs:DescribeResourcePolicies",
                    "logs:GetLogDelivery",
                    "logs:ListLogDeliveries",
                    "logs:PutResourcePolicy",
                    "logs:UpdateLogDelivery",
                    "xray:GetSamplingRules",
                    "xray:GetSamplingTargets",
                    "xray:PutTelemetryRecords",
                    "xray:PutTraceSegments",
                ],
                "Resource": "*",
            },
        ]
        aws.iam.RolePolicy(
            f"{name}-state-machine-policy", role=role.id, policy=document(statements), opts=child
        )
        return aws.sfn.StateMachine(
            f"{name}-runs",
            type="STANDARD",  # .sync waits for hours; Express workflows stop at 5 minutes
            role_arn=role.arn,
            definition=self.topic.arn.apply(
                lambda topic: json.dumps(definition(topic, args.config.max_concurrency), sort_keys=True)
            ),
            logging_configuration=aws.sfn.StateMachineLoggingConfigurationArgs(
                level="ALL",
                include_execution_data=True,
                log_destination=pulumi.Output.concat(logs.arn, ":*"),
            ),
            tracing_configuration=aws.sfn.StateMachineTracingConfigurationArgs(enabled=True),
            encryption_configuration=aws.sfn.StateMachineEncryptionConfigurationArgs(
                type="CUSTOMER_MANAGED_KMS_KEY",
                kms_key_id=self.key.arn,
                kms_data_key_reuse_period_seconds=300,
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[role]),
        )

    def _schedules(self, name: str, args: OperationsCenterArgs) -> dict[str, aws.scheduler.Schedule]:
        config = args.config
        child = pulumi.ResourceOptions(parent=self)
        group = aws.scheduler.ScheduleGroup(f"{name}-schedules", opts=child)
        role = aws.iam.Role(
            f"{name}-scheduler",
            assume_role_policy=args.account_id.apply(
                lambda account: json.dumps(
                    {
                        "Version": "2012-10-17",
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Principal": {"Service": "scheduler.amazonaws.com"},
                                "Action": "sts:AssumeRole",
                                "Condition": {"StringEquals": {"aws:SourceAccount": account}},
                            }
                        ],
                    }
                )
            ),
            opts=child,
        )
        aws.iam.RolePolicy(
            f"{name}-scheduler-policy",
            role=role.id,
            policy=document(
                [
                    {
                        "Sid": "StartRuns",
                        "Effect": "Allow",
                        "Action": ["states:StartExecution"],
                        "Resource": [self.state_machine.arn],
                    },
                    {
                        "Sid": "ReadInput",
                        "Effect": "Allow",
                        "Action": ["kms:Decrypt"],
                        "Resource": [self.key.arn],
                    },
                ]
            ),
            opts=child,
        )
        accounts = [account.id for account in config.accounts]
        schedules: dict[str, aws.scheduler.Schedule] = {}
        for schedule_name, job, runbook in schedule_plan(config):
            project = self.projects[job]
            schedules[schedule_name] = aws.scheduler.Schedule(
                f"{name}-{schedule_name}",
                group_name=group.name,
                description=f"supportops {job.value}" + (f" ({runbook})" if runbook != "-" else ""),
                schedule_expression=config.jobs.of(job).schedule,
                schedule_expression_timezone=config.schedule_time_zone,
                flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
                kms_key_arn=self.key.arn,
                target=aws.scheduler.ScheduleTargetArgs(
                    arn=self.state_machine.arn,
                    role_arn=role.arn,
                    input=project.name.apply(_input_for(job, runbook, accounts)),
                    retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                        maximum_event_age_in_seconds=3600, maximum_retry_attempts=3
                    ),
                ),
                opts=child,
            )
        return schedules


def _input_for(job: OpsJob, runbook: str, accounts: list[str]) -> Callable[[str], str]:
    def render(project_name: str) -> str:
        return json.dumps(schedule_input(job.value, project_name, accounts, runbook), sort_keys=True)

    return render


def schedule_plan(config: OperationsConfig) -> list[tuple[str, OpsJob, str]]:
    """(schedule name, job, runbook or "-") for every enabled job: one per DR runbook."""
    plan: list[tuple[str, OpsJob, str]] = []
    for job in OpsJob:
        if not config.jobs.of(job).enabled:
            continue
        if job is OpsJob.DR_DRILL:
            plan += [(f"dr-drill-{runbook}", job, runbook) for runbook in config.jobs.dr_drill.runbooks]
        else:
            plan.append((job.value, job, "-"))
    return plan
