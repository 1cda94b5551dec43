"""checkov's JSON report, validated with pydantic (an input boundary: another program's output)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from supportops.policies.checkov.runner import CheckovUnavailable, last_line


class CheckResultValue(StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


class CheckOutcome(BaseModel):
    model_config = ConfigDict(extra="ignore")

    result: CheckResultValue
    evaluated_keys: list[str] = Field(default_factory=list)


class CheckResult(BaseModel):
    """One check of one resource (terraform_plan) or one suspected secret (secrets)."""

    model_config = ConfigDict(extra="ignore")

    check_id: str = Field(pattern=r"^CKV2?_[A-Z0-9_]+$")
    check_name: str = ""
    check_result: CheckOutcome
    resource: str
    resource_address: str | None = None
    file_path: str = ""
    file_abs_path: str | None = None
    file_line_range: list[int] = Field(default_factory=list)
    guideline: str | None = None
    severity: str | None = None


class Results(BaseModel):
    model_config = ConfigDict(extra="ignore")

    passed_checks: list[CheckResult] = Field(default_factory=list)
    failed_checks: list[CheckResult] = Field(default_factory=list)
    skipped_checks: list[CheckResult] = Field(default_factory=list)
    parsing_errors: list[str] = Field(default_factory=list)


class Summary(BaseModel):
    model_config = ConfigDict(extra="ignore")

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    parsing_errors: int = 0
    resource_count: int = 0
    checkov_version: str = ""


class FrameworkReport(BaseModel):
    model_config = ConfigDict(extra="ignore")

    check_type: str
    results: Results
    summary: Summary


class CheckovReport(BaseModel):
    """All frameworks of one run (checkov prints one object, a list of them, or a bare summary
    when it found nothing to scan)."""

    frameworks: list[FrameworkReport] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)

    def checks(self) -> list[CheckResult]:
        return [
            check
            for framework in self.frameworks
            for check in (
                *framework.results.failed_checks,
                *framework.results.passed_checks,
                *framework.results.skipped_checks,
            )
        ]

    def parsing_errors(self) -> list[str]:
        return [error for framework in self.frameworks for error in framework.results.parsing_errors]

    @property
    def checkov_version(self) -> str:
        versions = [f.summary.checkov_version for f in self.frameworks] + [self.summary.checkov_version]
        return next((v for v in versions if v), "")


def parse_report(stdout: str) -> CheckovReport:
    """checkov's stdout -> report; anything else is CheckovUnavailable (never an empty pass)."""
    try:
        data: Any = json.loads(stdout)
    except ValueError as error:
        raise CheckovUnavailable(f"checkov printed no JSON report: {last_line(stdout)}") from error
    try:
        if isinstance(data, list):
            frameworks = [FrameworkReport.model_validate(item) for item in data]
            return CheckovReport(frameworks=frameworks)
        if isinstance(data, dict) and "results" in data:
            return CheckovReport(frameworks=[FrameworkReport.model_validate(data)])
        if isinstance(data, dict) and "passed" in data:
            return CheckovReport(summary=Summary.model_validate(data))
    except ValidationError as error:
        raise CheckovUnavailable(f"checkov's report has an unexpected shape: {error.errors()[0]}") from error
    raise CheckovUnavailable("checkov's report has an unexpected shape: neither a report nor a summary")
