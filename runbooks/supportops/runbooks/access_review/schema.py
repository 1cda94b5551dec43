"""The access-review runbook: scope, thresholds, owners, break-glass principals and the allow-list,
validated by pydantic (unknown keys rejected) and loaded with one-line errors."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from supportops.errors import BadInput
from supportops.loading import load_model
from supportops.models import InputModel, StrictFlag, StrictInt, repeated

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


# Runbooks shipped with the package, usable by name (``--runbook quarterly``).
BUNDLED_DIR = Path(__file__).resolve().parent
BUNDLED = {"quarterly": BUNDLED_DIR / "quarterly.yaml", "demo": BUNDLED_DIR / "demo.yaml"}


class _Strict(InputModel):
    pass


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
                raise ValueError("role_arn is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
            if match.group(1) != self.id:
                raise ValueError(f"role_arn is not in account {self.id}")
        return self


class ConnectInstance(_Strict):
    instance_id: str = Field(min_length=1, max_length=100)
    account: str
    region: str = Field(min_length=1)
    # Security profile a "revoke" decision moves a Connect user to (Connect users need at least one).
    revoke_security_profile_id: str | None = None


class Thresholds(_Strict):
    inactive_days: StrictInt = Field(default=90, ge=1, le=3650)  # PCI DSS 8.2.6
    access_key_max_age_days: StrictInt = Field(default=90, ge=1, le=3650)  # PCI DSS 8.3.9 / 8.6.3
    unused_key_grace_days: StrictInt = Field(default=7, ge=0, le=3650)  # a new key is not "never used" yet
    role_unused_days: StrictInt = Field(default=90, ge=1, le=3650)
    root_usage_days: StrictInt = Field(default=90, ge=1, le=3650)


class Owners(_Strict):
    tag_key: str = Field(default="owner", min_length=1)
    required_for_roles: StrictFlag = False


class BreakGlass(_Strict):
    principal: str = Field(min_length=1, description="ARN (wildcards * allowed)")
    justification: str = ""
    owner: str = ""


class ConnectPolicy(_Strict):
    admin_permissions: tuple[str, ...] = DEFAULT_CONNECT_ADMIN_PERMISSIONS
    unredacted_permissions: tuple[str, ...] = DEFAULT_CONNECT_UNREDACTED_PERMISSIONS


class CredentialReportSettings(_Strict):
    max_attempts: StrictInt = Field(default=10, ge=1, le=60)
    delay_seconds: float = Field(default=2.0, ge=0, le=60)


class Scope(_Strict):
    accounts: tuple[Account, ...]
    connect_instances: tuple[ConnectInstance, ...] = ()
    region: str = "us-east-1"

    @model_validator(mode="after")
    def _unique_and_known(self) -> Scope:
        # checked here, not with min_length: an invalid item must not also read as "no accounts"
        if not self.accounts:
            raise ValueError("accounts: at least one account is required")
        ids = [a.id for a in self.accounts]
        dupes = repeated(ids)
        if dupes:
            raise ValueError(f"account listed twice: {', '.join(dupes)}")
        for index, instance in enumerate(self.connect_instances):
            if instance.account not in ids:
                raise ValueError(f"connect_instances[{index}]: account {instance.account} is not in accounts")
        return self


class Runbook(_Strict):
    version: StrictInt = Field(ge=1, le=1)
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


def resolve_runbook(value: Path) -> Path:
    """A runbook path, or the name of a bundled runbook (``quarterly``, ``demo``) when no such file exists."""
    if not value.exists() and str(value) in BUNDLED:
        return BUNDLED[str(value)]
    return value


def bundled_name(path: Path) -> str:
    """The bundled name of ``path`` ("" when it is not one of the shipped runbooks)."""
    resolved = path.resolve()
    return next((name for name, bundled in BUNDLED.items() if bundled == resolved), "")


def load_runbook(path: Path) -> Runbook:
    """Read and validate a runbook (by path, or a bundled name); every problem is a :class:`BadInput`
    naming file, line, column and key."""
    path = resolve_runbook(path)
    if not path.is_file():
        names = ", ".join(sorted(BUNDLED))
        raise BadInput.at(path, "", f"runbook not found (give a file or a bundled runbook name: {names})")
    return load_model(path, Runbook)
