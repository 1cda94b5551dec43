"""The member-account roles as a CloudFormation template for a StackSet (one role per job), built from
the same statements as the runner roles: a member account grants exactly what the job declares.

Deploy it as a service-managed StackSet to the accounts (or OUs) listed in ``operations.accounts``
with ``OperationsAccountId`` set to the account that runs the operations stack (docs/operations.md)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from supportops.stacks.components.operations.job_policies import Scope, bucket_prefix_for, job_statements
from supportops.stacks.config.operations import OpsJob

TEMPLATE_FORMAT = "2010-09-09"


def runner_role_name(environment: str, job: OpsJob) -> str:
    """The runner role of a job in the operations account (fixed: member roles trust it by name)."""
    return f"{environment}-ops-{job.value}"


def _sub(value: Any) -> Any:
    """Strings holding ${...} become Fn::Sub; everything else is walked."""
    if isinstance(value, str):
        return {"Fn::Sub": value} if "${" in value else value
    if isinstance(value, list):
        return [_sub(v) for v in value]
    if isinstance(value, dict):
        return {k: _sub(v) for k, v in value.items()}
    return value


def _logical_id(job: OpsJob) -> str:
    return "".join(part.title() for part in job.value.split("-")) + "Role"


def member_template(
    *,
    environment: str,
    role_names: Mapping[OpsJob, str],
    actions: Mapping[OpsJob, Sequence[str]],
    regions: Sequence[str],
) -> dict[str, Any]:
    resources: dict[str, Any] = {}
    for job, job_actions in actions.items():
        scope = Scope(
            partition="${AWS::Partition}",
            account="${AWS::AccountId}",
            regions=tuple(regions),
            bucket_prefix=bucket_prefix_for(job, environment),
        )
        trusted = (
            f"arn:${{AWS::Partition}}:iam::${{OperationsAccountId}}:role/{runner_role_name(environment, job)}"
        )
        resources[_logical_id(job)] = {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": role_names[job],
                "Description": f"supportops {job.value} job, assumed by the operations account's runner",
                # Role chaining caps a session at one hour: the runner refreshes it during long drills.
                "MaxSessionDuration": 3600,
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": {"AWS": trusted},
                            "Action": "sts:AssumeRole",
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": f"supportops-{job.value}",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": job_statements(job_actions, scope),
                        },
                    }
                ],
                "Tags": [{"Key": "supportops:job", "Value": job.value}],
            },
        }
    template: dict[str, Any] = _sub(
        {
            "AWSTemplateFormatVersion": TEMPLATE_FORMAT,
            "Description": f"supportops operations ({environment}): member-account roles, one per job",
            "Parameters": {
                "OperationsAccountId": {
                    "Type": "String",
                    "AllowedPattern": "^\\d{12}$",
                    "Description": "The account running the operations stack (its runners assume these).",
                }
            },
            "Resources": resources,
            "Outputs": {
                f"{_logical_id(job)}Arn": {"Value": {"Fn::GetAtt": [_logical_id(job), "Arn"]}}
                for job in actions
            },
        }
    )
    return template
