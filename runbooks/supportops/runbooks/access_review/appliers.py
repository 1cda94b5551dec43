"""One function per change kind: read the current state, decide whether anything needs doing (idempotent),
act only when asked to, and read the state again. Each declares the IAM actions it calls.

Retries are safe: boto3 retries a call whose response was lost, and the retry may meet the effect
already there (``NoSuchEntity`` from DeleteLoginProfile, DetachUserPolicy, RemoveUserFromGroup,
UpdateAccessKey): that is the decided state, recorded as "already absent", never a failure. A principal
that is not there when its state is read is :class:`PrincipalGone` ("already gone")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from botocore.exceptions import ClientError

from supportops.runbooks.access_review.changes import Change

PERMISSIONS = (
    "iam:ListAccessKeys",
    "iam:UpdateAccessKey",
    "iam:GetLoginProfile",
    "iam:DeleteLoginProfile",
    "iam:ListGroupsForUser",
    "iam:RemoveUserFromGroup",
    "iam:ListAttachedUserPolicies",
    "iam:DetachUserPolicy",
    "iam:ListAttachedRolePolicies",
    "iam:DetachRolePolicy",
    "connect:DescribeUser",
    "connect:UpdateUserSecurityProfiles",
)


class TargetMissing(Exception):
    """The change names something that is not there (a key id of another user)."""


class PrincipalGone(Exception):
    """The principal itself no longer exists: nothing of its access is left to change."""


ALREADY_ABSENT = "already absent (a retried or concurrent call had done it)"


@dataclass(frozen=True)
class Target:
    kind: str
    name: str
    arn: str
    instance_id: str = ""


@dataclass
class Outcome:
    changed: bool  # something was (or in a dry run would be) changed
    before: Any
    after: Any
    note: str = ""  # ALREADY_ABSENT when a write met its effect already present


Applier = Callable[[Any, Target, Change, bool], Outcome]


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


_GONE_CODES = ("NoSuchEntity", "ResourceNotFoundException")


def _read(read: Callable[[], Any]) -> Any:
    """A state read; the principal missing (its list calls say NoSuchEntity) is PrincipalGone."""
    try:
        return read()
    except ClientError as exc:
        if _error_code(exc) in _GONE_CODES:
            raise PrincipalGone(f"{_error_code(exc)}: the principal no longer exists") from exc
        raise


def _write(call: Callable[[], Any]) -> bool:
    """A removal; False when AWS says the thing is already absent (the decided state)."""
    try:
        call()
    except ClientError as exc:
        if _error_code(exc) == "NoSuchEntity":
            return False
        raise
    return True


def _keys(iam: Any, user: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for page in iam.get_paginator("list_access_keys").paginate(UserName=user):
        out.update({k["AccessKeyId"]: k["Status"] for k in page.get("AccessKeyMetadata", [])})
    return out


def deactivate_keys(iam: Any, target: Target, change: Change, execute: bool) -> Outcome:
    before = _read(lambda: _keys(iam, target.name))
    if change.value and change.value not in before:
        raise TargetMissing(f"access key {change.value} does not belong to {target.name}")
    wanted = [change.value] if change.value else list(before)
    todo = [k for k in wanted if before[k] == "Active"]
    if not todo or not execute:
        return Outcome(bool(todo), before, before)
    done = [
        _write(partial(iam.update_access_key, UserName=target.name, AccessKeyId=key_id, Status="Inactive"))
        for key_id in todo
    ]
    return Outcome(True, before, _read(lambda: _keys(iam, target.name)), "" if all(done) else ALREADY_ABSENT)


def _login_profile(iam: Any, user: str) -> bool:
    try:
        iam.get_login_profile(UserName=user)
    except ClientError as exc:
        if _error_code(exc) == "NoSuchEntity":
            # the user may be missing too: ListAccessKeys tells which (raises NoSuchEntity for a missing user)
            _read(lambda: _keys(iam, user))
            return False
        raise
    return True


def delete_login_profile(iam: Any, target: Target, change: Change, execute: bool) -> Outcome:
    before = {"consolePassword": _login_profile(iam, target.name)}
    if not before["consolePassword"] or not execute:
        return Outcome(before["consolePassword"], before, before)
    done = _write(lambda: iam.delete_login_profile(UserName=target.name))
    after = {"consolePassword": _login_profile(iam, target.name)}
    return Outcome(True, before, after, "" if done else ALREADY_ABSENT)


def _groups(iam: Any, user: str) -> list[str]:
    out: list[str] = []
    for page in iam.get_paginator("list_groups_for_user").paginate(UserName=user):
        out.extend(g["GroupName"] for g in page.get("Groups", []))
    return sorted(out)


def remove_from_groups(iam: Any, target: Target, change: Change, execute: bool) -> Outcome:
    before = _read(lambda: _groups(iam, target.name))
    todo = [change.value] if change.value else list(before)
    todo = [g for g in todo if g in before]
    if not todo or not execute:
        return Outcome(bool(todo), before, before)
    done = [
        _write(partial(iam.remove_user_from_group, UserName=target.name, GroupName=group)) for group in todo
    ]
    return Outcome(
        True, before, _read(lambda: _groups(iam, target.name)), "" if all(done) else ALREADY_ABSENT
    )


def _attached(iam: Any, target: Target) -> list[str]:
    if target.kind == "iam-role":
        pages = iam.get_paginator("list_attached_role_policies").paginate(RoleName=target.name)
    else:
        pages = iam.get_paginator("list_attached_user_policies").paginate(UserName=target.name)
    return sorted(p["PolicyArn"] for page in pages for p in page.get("AttachedPolicies", []))


def detach_policies(iam: Any, target: Target, change: Change, execute: bool) -> Outcome:
    before = _read(lambda: _attached(iam, target))
    todo = [a for a in ([change.value] if change.value else before) if a in before]
    if not todo or not execute:
        return Outcome(bool(todo), before, before)

    def detach(arn: str) -> None:
        if target.kind == "iam-role":
            iam.detach_role_policy(RoleName=target.name, PolicyArn=arn)
        else:
            iam.detach_user_policy(UserName=target.name, PolicyArn=arn)

    done = [_write(partial(detach, arn)) for arn in todo]
    return Outcome(True, before, _read(lambda: _attached(iam, target)), "" if all(done) else ALREADY_ABSENT)


def _profiles(connect: Any, target: Target) -> list[str]:
    user = connect.describe_user(InstanceId=target.instance_id, UserId=target.arn.rsplit("/", 1)[-1])["User"]
    return sorted(user.get("SecurityProfileIds", []))


def set_security_profiles(connect: Any, target: Target, change: Change, execute: bool) -> Outcome:
    wanted = sorted(set(change.value.split(",")))
    before = _read(lambda: _profiles(connect, target))
    if before == wanted or not execute:
        return Outcome(before != wanted, before, before)
    connect.update_user_security_profiles(
        InstanceId=target.instance_id, UserId=target.arn.rsplit("/", 1)[-1], SecurityProfileIds=wanted
    )
    return Outcome(True, before, _read(lambda: _profiles(connect, target)))


APPLIERS: dict[str, tuple[str, Applier]] = {  # action -> (service, function)
    "deactivate-access-keys": ("iam", deactivate_keys),
    "deactivate-access-key": ("iam", deactivate_keys),
    "delete-login-profile": ("iam", delete_login_profile),
    "remove-from-group": ("iam", remove_from_groups),
    "remove-from-all-groups": ("iam", remove_from_groups),
    "detach-policy": ("iam", detach_policies),
    "detach-all-policies": ("iam", detach_policies),
    "set-security-profiles": ("connect", set_security_profiles),
}
