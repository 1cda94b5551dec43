"""Compact records of what the collectors found: only what evaluation and the campaign need, never the
raw API pages (so memory grows with principals, not with policy documents)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AccessKey:
    slot: int  # 1 or 2 in the credential report
    active: bool
    last_rotated: datetime | None
    last_used: datetime | None


@dataclass(frozen=True, slots=True)
class CredentialRow:
    """One user's line of the IAM credential report (dates None for N/A, no_information, not_supported)."""

    user: str
    arn: str
    created: datetime | None
    password_enabled: bool
    password_last_used: datetime | None
    mfa_active: bool
    keys: tuple[AccessKey, ...]

    @property
    def is_root(self) -> bool:
        return self.user == "<root_account>"

    def last_activity(self) -> datetime | None:
        dates = [d for d in [self.password_last_used, *(k.last_used for k in self.keys)] if d is not None]
        return max(dates) if dates else None


@dataclass(frozen=True, slots=True)
class Grant:
    """A policy that grants something notable: where it comes from and what it allows."""

    source: str  # "managed:ARN", "inline:NAME", "group:NAME/managed:ARN" ...
    level: str  # "admin" | "wildcard"
    detail: str  # "Action * on Resource *", "iam:* on *" ...


@dataclass(slots=True)
class IamUser:
    name: str
    arn: str
    created: datetime | None
    groups: tuple[str, ...]
    attached_policy_arns: tuple[str, ...]
    inline_grants: tuple[Grant, ...]
    tags: dict[str, str]


@dataclass(slots=True)
class IamRole:
    name: str
    arn: str
    path: str
    created: datetime | None
    last_used: datetime | None
    attached_policy_arns: tuple[str, ...]
    inline_grants: tuple[Grant, ...]
    tags: dict[str, str]
    service_linked: bool


@dataclass(slots=True)
class IamGroup:
    name: str
    arn: str
    attached_policy_arns: tuple[str, ...]
    inline_grants: tuple[Grant, ...]


@dataclass(slots=True)
class IamInventory:
    account_id: str
    users: dict[str, IamUser] = field(default_factory=dict)  # by name
    roles: list[IamRole] = field(default_factory=list)
    groups: dict[str, IamGroup] = field(default_factory=dict)
    managed_grants: dict[str, tuple[Grant, ...]] = field(default_factory=dict)  # local policy ARN -> grants
    pages: int = 0


@dataclass(frozen=True, slots=True)
class ConnectUser:
    instance_id: str
    user_id: str
    arn: str
    username: str
    security_profile_ids: tuple[str, ...]
    tags: dict[str, str]


@dataclass(slots=True)
class ConnectInventory:
    account_id: str
    instance_id: str
    region: str
    users: list[ConnectUser] = field(default_factory=list)
    profile_names: dict[str, str] = field(default_factory=dict)  # id -> name
    profile_permissions: dict[str, frozenset[str]] = field(default_factory=dict)  # id -> permissions
