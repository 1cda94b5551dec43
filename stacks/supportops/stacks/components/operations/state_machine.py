"""The fan-out state machine, built as data: a Map over the accounts of the schedule's input, each
iteration running the job in the job's CodeBuild project (``startBuild.sync``: Step Functions waits
for the build, up to CodeBuild's 8-hour limit) with the account, job, runbook and run id passed as
environment overrides. A run that could not complete is caught and announced on the topic; the
other accounts' runs go on.

Schedule input (one schedule per job, one per DR runbook)::

    {"job": "dr-drill", "project": "<codebuild project>", "runbook": "crm-idempotency",
     "accounts": ["111111111111", "222222222222"]}

The execution name is the run id: evidence lands under ``<job>/<account>/<execution name>/``.
"""

from __future__ import annotations

from typing import Any

CODEBUILD_SYNC = "arn:aws:states:::codebuild:startBuild.sync"
SNS_PUBLISH = "arn:aws:states:::sns:publish"

# Environment variables the runner's buildspec reads (buildspec.py): one name, one place.
ENV_ACCOUNT = "SUPPORTOPS_ACCOUNT"
ENV_JOB = "SUPPORTOPS_JOB"
ENV_RUNBOOK = "SUPPORTOPS_RUNBOOK"
ENV_RUN_ID = "SUPPORTOPS_RUN_ID"


def _env(name: str, path: str) -> dict[str, str]:
    return {"Name": name, "Type": "PLAINTEXT", "Value.$": path}


def definition(topic_arn: str, max_concurrency: int) -> dict[str, Any]:
    """The Amazon States Language document (serialize with json.dumps)."""
    return {
        "Comment": "supportops operations: run one job in every listed account and keep its evidence",
        "StartAt": "RunInEachAccount",
        "States": {
            "RunInEachAccount": {
                "Type": "Map",
                "ItemsPath": "$.accounts",
                "MaxConcurrency": max_concurrency,
                "ItemSelector": {
                    "account.$": "$$.Map.Item.Value",
                    "job.$": "$.job",
                    "project.$": "$.project",
                    "runbook.$": "$.runbook",
                    "runId.$": "$$.Execution.Name",
                },
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "RunJob",
                    "States": {
                        "RunJob": {
                            "Type": "Task",
                            "Resource": CODEBUILD_SYNC,
                            "Parameters": {
                                "ProjectName.$": "$.project",
                                "EnvironmentVariablesOverride": [
                                    _env(ENV_ACCOUNT, "$.account"),
                                    _env(ENV_JOB, "$.job"),
                                    _env(ENV_RUNBOOK, "$.runbook"),
                                    _env(ENV_RUN_ID, "$.runId"),
                                ],
                            },
                            "ResultSelector": {"buildId.$": "$.Build.Id", "status.$": "$.Build.BuildStatus"},
                            "ResultPath": "$.build",
                            # Throttling or a capacity shortage when starting: retry, then give up.
                            "Retry": [
                                {
                                    "ErrorEquals": ["CodeBuild.AccountLimitExceededException"],
                                    "IntervalSeconds": 60,
                                    "MaxAttempts": 5,
                                    "BackoffRate": 2.0,
                                }
                            ],
                            "Catch": [
                                {
                                    "ErrorEquals": ["States.ALL"],
                                    "ResultPath": "$.error",
                                    "Next": "AnnounceNotRun",
                                }
                            ],
                            "End": True,
                        },
                        "AnnounceNotRun": {
                            "Type": "Task",
                            "Resource": SNS_PUBLISH,
                            "Parameters": {
                                "TopicArn": topic_arn,
                                "Subject": "supportops: a scheduled run did not complete",
                                "Message.$": (
                                    "States.Format('supportops {} run {} in account {} did not complete "
                                    "(the runner failed before it could report): {}', "
                                    "$.job, $.runId, $.account, $.error.Cause)"
                                ),
                            },
                            "ResultPath": None,
                            "End": True,
                        },
                    },
                },
                "ResultPath": "$.runs",
                "End": True,
            }
        },
    }


def schedule_input(job: str, project: str, accounts: list[str], runbook: str = "-") -> dict[str, Any]:
    """The input a schedule passes to the state machine (``runbook`` "-" for jobs without one)."""
    return {"job": job, "project": project, "runbook": runbook, "accounts": accounts}
