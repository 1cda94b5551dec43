"""The ticket-sync Lambda (source: stacks/functions/ticket_sync) and its credential-rotation twin:
least-privilege roles, KMS-encrypted environment and log groups, SQS partial-batch consumption."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.security import SecureLogGroup, SecureLogGroupArgs
from supportops.stacks.config import DataClassName
from supportops.stacks.policy_documents import Statement, assume_role_policy, document

SOURCE_DIR = Path(__file__).resolve().parents[2] / "functions" / "ticket_sync"
PACKAGE = "ticket_sync"
RUNTIME = "python3.12"
TIMEOUT_SECONDS = 30  # the queue's visibility timeout is 6x this


def source_archive() -> pulumi.AssetArchive:
    """The function's ``*.py`` files as package ``ticket_sync`` (its modules import each other
    relatively). Listing the sources, not the folder, keeps ``__pycache__`` out of the code hash, so
    every machine ships (and plans) the same archive."""
    return pulumi.AssetArchive(
        {f"{PACKAGE}/{path.name}": pulumi.FileAsset(str(path)) for path in sorted(SOURCE_DIR.glob("*.py"))}
    )


@dataclass(frozen=True)
class FunctionArgs:
    name: str
    handler: str
    environment: dict[str, pulumi.Input[str]]
    env_key_arn: pulumi.Input[str]
    log_key_arn: pulumi.Input[str]
    log_retention_days: int
    statements: list[Statement]
    description: str
    reserved_concurrency: int | None = None
    # Where asynchronous invocations that keep failing are parked.
    dead_letter_arn: pulumi.Input[str] | None = None


def build_function(args: FunctionArgs, parent: pulumi.Resource) -> aws.lambda_.Function:
    opts = pulumi.ResourceOptions(parent=parent)
    logs = SecureLogGroup(
        f"{args.name}-logs",
        SecureLogGroupArgs(
            data_class=DataClassName.APPLICATION_LOGS,
            retention_days=args.log_retention_days,
            kms_key_arn=args.log_key_arn,
            log_group_name=f"/aws/lambda/{args.name}",
        ),
        opts=opts,
    )
    role = aws.iam.Role(
        args.name,
        assume_role_policy=assume_role_policy("lambda"),
        opts=opts,
    )
    aws.iam.RolePolicy(
        args.name,
        role=role.id,
        policy=document(
            [
                {
                    "Sid": "WriteOwnLogs",
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": pulumi.Output.concat(logs.arn, ":*"),
                },
                *args.statements,
            ]
        ),
        opts=opts,
    )
    return aws.lambda_.Function(
        args.name,
        name=args.name,
        description=args.description,
        role=role.arn,
        runtime=RUNTIME,
        architectures=["arm64"],
        handler=args.handler,
        code=source_archive(),
        timeout=TIMEOUT_SECONDS,
        memory_size=256,
        environment=aws.lambda_.FunctionEnvironmentArgs(variables=args.environment),
        kms_key_arn=args.env_key_arn,
        logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="JSON", log_group=logs.name),
        tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active"),
        reserved_concurrent_executions=args.reserved_concurrency,
        dead_letter_config=(
            aws.lambda_.FunctionDeadLetterConfigArgs(target_arn=args.dead_letter_arn)
            if args.dead_letter_arn is not None
            else None
        ),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[logs]),
    )


def consume_queue(
    name: str, function: aws.lambda_.Function, queue: aws.sqs.Queue, parent: pulumi.Resource
) -> aws.lambda_.EventSourceMapping:
    return aws.lambda_.EventSourceMapping(
        f"{name}-from-queue",
        event_source_arn=queue.arn,
        function_name=function.arn,
        batch_size=10,
        function_response_types=["ReportBatchItemFailures"],
        opts=pulumi.ResourceOptions(parent=parent),
    )
