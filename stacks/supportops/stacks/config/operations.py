"""The ``operations`` section of the stack config: which jobs run unattended, when, over which accounts,
and how long their evidence is kept.

Defaults follow the controls the jobs evidence: access review quarterly (PCI DSS 7.2.4), a DR drill of
each runbook monthly (PCI DSS 12.10.2, HIPAA 164.308(a)(7)), live compliance daily. Schedule
expressions are EventBridge Scheduler's ``cron(...)``/``rate(...)`` and are validated here, so a bad
one is a config error with its key, never a failed deployment.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator

from supportops.models import CamelInputModel, StrictFlag, StrictInt, repeated

ACCOUNT_ID_PATTERN = r"^\d{12}$"
RUNBOOK_NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
# CodeBuild's build timeout ceiling (minutes): the longest job the runner takes.
MAX_JOB_MINUTES = 8 * 60


class OpsJob(StrEnum):
    """A job the operations component runs; the value is the CLI name (`supportops ops run JOB`)."""

    ACCESS_REVIEW = "access-review"
    DR_DRILL = "dr-drill"
    COMPLIANCE = "compliance"


def validate_schedule(expression: str) -> str:
    """The expression, or ValueError naming what EventBridge Scheduler would refuse."""
    from supportops.stacks.components.operations.schedules import ScheduleProblem, parse_schedule

    try:
        parse_schedule(expression)
    except ScheduleProblem as exc:
        raise ValueError(str(exc)) from None
    return expression


class JobSchedule(CamelInputModel):
    """When a job runs and how long one account's run may take before the runner stops it."""

    schedule: str
    enabled: StrictFlag = True
    timeout_minutes: Annotated[StrictInt, Field(ge=5, le=MAX_JOB_MINUTES)] = 120

    @field_validator("schedule", mode="after")
    @classmethod
    def _valid_schedule(cls, value: str) -> str:
        return validate_schedule(value)


class AccessReviewJob(JobSchedule):
    schedule: str = "cron(0 6 1 1,4,7,10 ? *)"  # 06:00 on the first day of each quarter
    runbook: Annotated[str, Field(pattern=RUNBOOK_NAME_PATTERN)] = "quarterly"


class DrDrillJob(JobSchedule):
    schedule: str = "cron(0 7 ? * 3#1 *)"  # 07:00 on the first Tuesday of each month
    timeout_minutes: Annotated[StrictInt, Field(ge=5, le=MAX_JOB_MINUTES)] = 6 * 60
    # Bundled runbook names; each gets its own schedule (one drill per runbook per month).
    runbooks: Annotated[list[Annotated[str, Field(pattern=RUNBOOK_NAME_PATTERN)]], Field(min_length=1)] = [
        "crm-idempotency",
        "customer-context",
    ]

    @field_validator("runbooks", mode="after")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        duplicates = repeated(value)
        if duplicates:
            raise ValueError(f"duplicate runbooks: {', '.join(duplicates)}")
        return value


class ComplianceJob(JobSchedule):
    schedule: str = "cron(30 5 * * ? *)"  # 05:30 every day
    timeout_minutes: Annotated[StrictInt, Field(ge=5, le=MAX_JOB_MINUTES)] = 60
    # Stacks whose deployed resources the job checks (until live collection: their state files).
    stacks: Annotated[list[Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,60}$")]], Field(min_length=1)] = [
        "demo-foundation"
    ]


class OpsJobs(CamelInputModel):
    access_review: AccessReviewJob = AccessReviewJob()
    dr_drill: DrDrillJob = DrDrillJob()
    compliance: ComplianceJob = ComplianceJob()

    def of(self, job: OpsJob) -> JobSchedule:
        return {
            OpsJob.ACCESS_REVIEW: self.access_review,
            OpsJob.DR_DRILL: self.dr_drill,
            OpsJob.COMPLIANCE: self.compliance,
        }[job]


class OpsAccount(CamelInputModel):
    id: Annotated[str, Field(pattern=ACCOUNT_ID_PATTERN)]
    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


class OperationsConfig(CamelInputModel):
    """Unattended jobs: EventBridge Scheduler → Step Functions (one branch per account) → CodeBuild."""

    # Accounts every job fans out over (the stack's own account is one of them when listed); an
    # operations stack must list at least one (checked by StackConfig, which knows the phase).
    accounts: Annotated[list[OpsAccount], Field(max_length=100)] = []
    # Role each job assumes in a member account: `<memberRolePrefix>-<job>` (see docs/operations.md).
    member_role_prefix: Annotated[str, Field(pattern=r"^[A-Za-z0-9+=,.@_-]{1,40}$")] = "supportops-ops"
    # Object Lock (COMPLIANCE mode) retention of every evidence object, in days.
    evidence_retention_days: Annotated[StrictInt, Field(ge=1, le=3653)] = 400
    schedule_time_zone: Annotated[str, Field(pattern=r"^[A-Za-z_]+(/[A-Za-z_+-]+){0,2}$")] = "UTC"
    metric_namespace: Annotated[str, Field(pattern=r"^[A-Za-z0-9./_#:-]{1,255}$")] = "Supportops/Operations"
    # Runs of one job at once (Map MaxConcurrency): bounds the load on the accounts and the runner.
    max_concurrency: Annotated[StrictInt, Field(ge=1, le=40)] = 5
    jobs: OpsJobs = OpsJobs()

    @field_validator("accounts", mode="after")
    @classmethod
    def _unique_accounts(cls, value: list[OpsAccount]) -> list[OpsAccount]:
        ids = [a.id for a in value]
        duplicates = repeated(ids)
        if duplicates:
            raise ValueError(f"duplicate accounts: {', '.join(duplicates)}")
        return value

    @model_validator(mode="after")
    def _something_scheduled(self) -> Self:
        if not any(self.jobs.of(job).enabled for job in OpsJob):
            raise ValueError("every job is disabled: nothing would run")
        return self

    def member_role_name(self, job: OpsJob) -> str:
        return f"{self.member_role_prefix}-{job.value}"

    def account(self, account_id: str) -> OpsAccount | None:
        return next((a for a in self.accounts if a.id == account_id), None)
