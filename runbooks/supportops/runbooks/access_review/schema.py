"""The access-review runbook: scope, thresholds, owners, break-glass principals and the allow-list,
validated by pydantic (unknown keys rejected) and loaded with one-line errors."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from supportops.errors import BadInput, InputProblem

ACCOUNT_RE = re.compile(r"^\d{12}$")
ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/.+$")

DEFAULT_ADMIN_POLICY_ARNS = (
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/IAMFullAccess",
    "arn:aws:iam::aws:policy/PowerUserAccess",
)
# Connect security-profile permissions (API names of ListSecurityProfilePermissions).
DEFAULT_CONNECT_ADMIN_PERMISSIONS = (
    "SecurityProfiles.Create",
    "SecurityProfiles.Edit",
    "SecurityProfiles.Delete",
    "Users.Create",
    "Users.Edit",
    "Users.EditPermission",
    "Users.Delete",
)
DEFAULT_CONNECT_UNREDACTED_PERMISSIONS = (
    "ListenCallRecordings",
    "DownloadCallRecordings",
    "ScreenRecording.Access",
    "UnredactedData.View",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Account(_Strict):
    id: str = Field(description="12-digit AWS account id")
    name: str = ""
    role_arn: str | None = Field(default=None, description="role to assume for this account")

    @field_validator("id")
    @classmethod
    def _account_id(cls, value: str) -> str:
        if not ACCOUNT_RE.match(value):
            raise ValueError("must be a 12-digit AWS account id (quote it in YAML)")
        return value

    @model_validator(mode="after")
    def _role_in_account(self) -> Account:
        if self.role_arn is not None:
            match = ROLE_ARN_RE.match(self.role_arn)
            if not match:
                raise ValueError(f"role_arn {self.role_arn!r} is not an IAM role ARN")
            if match.group(1) != self.id:
                raise ValueError(f"role_arn {self.role_arn!r} is not in account {self.id}")
        return self


class ConnectInstance(_Strict):
    instance_id: str = Field(min_length=1, max_length=100)
    account: str
    region: str = Field(min_length=1)
    # Security profile a "revoke" decision moves a Connect user to (Connect users need at least one).
    revoke_security_profile_id: str | None = None


class Thresholds(_Strict):
    inactive_days: int = Field(default=90, ge=1, le=3650)  # PCI DSS 8.2.6
    access_key_max_age_days: int = Field(default=90, ge=1, le=3650)  # PCI DSS 8.3.9 / 8.6.3
    unused_key_grace_days: int = Field(default=7, ge=0, le=3650)  # a new key is not "never used" yet
    role_unused_days: int = Field(default=90, ge=1, le=3650)
    root_usage_days: int = Field(default=90, ge=1, le=3650)


class Owners(_Strict):
    tag_key: str = Field(default="owner", min_length=1)
    required_for_roles: bool = False


class BreakGlass(_Strict):
    principal: str = Field(min_length=1, description="ARN (wildcards * allowed)")
    justification: str = ""
    owner: str = ""


class ConnectPolicy(_Strict):
    admin_permissions: tuple[str, ...] = DEFAULT_CONNECT_ADMIN_PERMISSIONS
    unredacted_permissions: tuple[str, ...] = DEFAULT_CONNECT_UNREDACTED_PERMISSIONS


class CredentialReportSettings(_Strict):
    max_attempts: int = Field(default=10, ge=1, le=60)
    delay_seconds: float = Field(default=2.0, ge=0, le=60)


class Scope(_Strict):
    accounts: tuple[Account, ...] = Field(min_length=1)
    connect_instances: tuple[ConnectInstance, ...] = ()
    region: str = "us-east-1"

    @model_validator(mode="after")
    def _unique_and_known(self) -> Scope:
        ids = [a.id for a in self.accounts]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"account listed twice: {', '.join(dupes)}")
        for index, instance in enumerate(self.connect_instances):
            if instance.account not in ids:
                raise ValueError(f"connect_instances[{index}]: account {instance.account} is not in accounts")
        return self


class Runbook(_Strict):
    version: int = Field(ge=1, le=1)
    name: str = Field(min_length=1)
    scope: Scope
    thresholds: Thresholds = Thresholds()
    owners: Owners = Owners()
    break_glass: tuple[BreakGlass, ...] = ()
    allow_list: tuple[str, ...] = Field(default=(), description="ARNs (wildcards *) never changed by apply")
    admin_policy_arns: tuple[str, ...] = DEFAULT_ADMIN_POLICY_ARNS
    connect: ConnectPolicy = ConnectPolicy()
    credential_report: CredentialReportSettings = CredentialReportSettings()

    def is_allow_listed(self, arn: str) -> bool:
        return matches_any(arn, self.allow_list)

    def break_glass_entry(self, arn: str) -> BreakGlass | None:
        for entry in self.break_glass:
            if fnmatch.fnmatchcase(arn, entry.principal):
                return entry
        return None


def matches_any(arn: str, patterns: tuple[str, ...] | list[str]) -> bool:
    return any(fnmatch.fnmatchcase(arn, pattern) for pattern in patterns)


def load_runbook(path: Path) -> Runbook:
    """Read and validate a runbook; every problem is a :class:`BadInput` naming file and location."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput.at(path, "", f"cannot read runbook: {exc.strerror or exc}") from None
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        raise BadInput.at(path, where, f"invalid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise BadInput.at(path, "", "a runbook is a YAML mapping (version, name, scope, ...)")
    try:
        return Runbook.model_validate(data)
    except ValidationError as exc:
        raise BadInput(validation_problems(path, exc)) from None


def validation_problems(source: Path | str, exc: ValidationError) -> list[InputProblem]:
    problems = []
    errors = exc.errors()
    for error in errors:
        if error["type"] == "too_short" and any(
            other is not error and other["loc"][: len(error["loc"])] == error["loc"] for other in errors
        ):
            continue  # "at least 1 item" only because an item was invalid: the item's error says why
        location = ".".join(str(part) for part in error["loc"]) or "(top level)"
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        problems.append(InputProblem(str(source), location, message))
    return problems
