"""Evaluation is pure: collected records plus the review time in, findings out. Inventories come from the
real parsers (credential-report CSV bytes, GetAccountAuthorizationDetails-shaped pages)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from supportops.findings import Status
from supportops.runbooks.access_review.credential_report import parse_credential_report
from supportops.runbooks.access_review.evaluate import evaluate_iam
from supportops.runbooks.access_review.iam_details import parse_authorization_page
from supportops.runbooks.access_review.inventory import IamInventory
from supportops.runbooks.access_review.policy_analysis import grants_in
from supportops.runbooks.access_review.schema import Runbook

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
ACCOUNT = "123456789012"
COLUMNS = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
]


def ago(days: int) -> str:
    return (NOW - timedelta(days=days)).isoformat()


def report(*rows: dict[str, str]) -> bytes:
    lines = [",".join(COLUMNS)]
    for row in rows:
        full = dict.fromkeys(COLUMNS, "N/A") | {
            "password_enabled": "false",
            "mfa_active": "false",
            "access_key_1_active": "false",
            "access_key_2_active": "false",
        }
        full |= row
        lines.append(",".join(full[c] for c in COLUMNS))
    return ("\n".join(lines) + "\n").encode()


def user(name: str, **fields: str) -> dict[str, str]:
    return {
        "user": name,
        "arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
        "user_creation_time": ago(400),
        **fields,
    }


def detail(name: str, tags: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "UserName": name,
        "UserId": ("AIDA" + name.upper()).ljust(16, "X"),
        "Arn": f"arn:aws:iam::{ACCOUNT}:user/{name}",
        "CreateDate": NOW - timedelta(days=400),
        "GroupList": [],
        "AttachedManagedPolicies": [],
        "UserPolicyList": [],
        "Tags": [{"Key": k, "Value": v} for k, v in (tags if tags is not None else {"owner": "x"}).items()],
        **extra,
    }


RUNBOOK = Runbook.model_validate(
    {
        "version": 1,
        "name": "t",
        "scope": {"accounts": [{"id": ACCOUNT}]},
        "break_glass": [{"principal": f"arn:aws:iam::{ACCOUNT}:user/bg-*", "justification": "sealed"}],
    }
)


def evaluate(
    rows: bytes | None, page: dict[str, Any], book: Runbook = RUNBOOK
) -> dict[tuple[str, str], Status]:
    inventory = IamInventory(ACCOUNT)
    parse_authorization_page(page, inventory)
    parsed = list(parse_credential_report(rows)) if rows is not None else None
    evaluation = evaluate_iam(inventory, parsed, book, NOW, "denied" if rows is None else None)
    out = {(f.check_id, p.name): f.status for p in evaluation.principals for f in p.findings}
    out |= {
        (f.check_id, "<account>"): f.status for f in evaluation.account_findings if f.status is Status.ERROR
    }
    return out


def test_inactivity_boundary_is_inclusive_at_the_threshold() -> None:
    rows = report(
        user("u89", password_enabled="true", mfa_active="true", password_last_used=ago(89)),
        user("u90", password_enabled="true", mfa_active="true", password_last_used=ago(90)),
        user("never", user_creation_time=ago(91)),
        user("new", user_creation_time=ago(2)),
    )
    result = evaluate(rows, {"UserDetailList": [detail(n) for n in ("u89", "u90", "never", "new")]})
    fails = {
        name
        for (check, name), status in result.items()
        if check == "iam_inactive_principal" and status is Status.FAIL
    }
    assert fails == {"u90", "never"}


def test_key_age_and_never_used_keys() -> None:
    rows = report(
        user(
            "old",
            access_key_1_active="true",
            access_key_1_last_rotated=ago(120),
            access_key_1_last_used_date=ago(1),
        ),
        user("fresh", access_key_1_active="true", access_key_1_last_rotated=ago(3)),
        user("unused", access_key_2_active="true", access_key_2_last_rotated=ago(30)),
        user(
            "inactive-old",
            access_key_1_active="false",
            access_key_1_last_rotated=ago(900),
            password_last_used=ago(1),
            password_enabled="true",
            mfa_active="true",
        ),
    )
    result = evaluate(
        rows, {"UserDetailList": [detail(n) for n in ("old", "fresh", "unused", "inactive-old")]}
    )
    assert result[("iam_access_key_not_rotated", "old")] is Status.FAIL
    assert ("iam_access_key_never_used", "fresh") not in result  # inside the 7-day grace period
    assert result[("iam_access_key_never_used", "unused")] is Status.FAIL
    assert ("iam_access_key_not_rotated", "inactive-old") not in result


def test_root_usage_mfa_owner_and_break_glass() -> None:
    rows = report(
        {
            "user": "<root_account>",
            "arn": f"arn:aws:iam::{ACCOUNT}:root",
            "user_creation_time": ago(3000),
            "password_enabled": "not_supported",
            "password_last_used": ago(10),
            "mfa_active": "true",
        },
        user("console", password_enabled="true", password_last_used=ago(1)),
        user("bg-admin", password_enabled="true", mfa_active="true", password_last_used=ago(2)),
    )
    result = evaluate(rows, {"UserDetailList": [detail("console", tags={}), detail("bg-admin")]})
    assert result[("iam_root_account_used", "<root_account>")] is Status.FAIL
    assert result[("iam_console_user_without_mfa", "console")] is Status.FAIL
    assert result[("iam_principal_without_owner", "console")] is Status.FAIL
    assert result[("break_glass_principal", "bg-admin")] is Status.FAIL  # used since the last review


def test_privileges_through_inline_attached_and_group_policies() -> None:
    admin_doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    page = {
        "UserDetailList": [
            detail("inline", UserPolicyList=[{"PolicyName": "p", "PolicyDocument": admin_doc}]),
            detail(
                "aws-admin",
                AttachedManagedPolicies=[
                    {
                        "PolicyName": "AdministratorAccess",
                        "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess",
                    }
                ],
            ),
            detail("grouped", GroupList=["ops"]),
            detail("scoped"),
        ],
        "GroupDetailList": [
            {
                "GroupName": "ops",
                "Arn": f"arn:aws:iam::{ACCOUNT}:group/ops",
                "GroupPolicyList": [],
                "AttachedManagedPolicies": [
                    {"PolicyName": "wild", "PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/wild"}
                ],
            }
        ],
        "Policies": [
            {
                "PolicyName": "wild",
                "Arn": f"arn:aws:iam::{ACCOUNT}:policy/wild",
                "PolicyVersionList": [
                    {
                        "IsDefaultVersion": True,
                        "VersionId": "v1",
                        "Document": '{"Statement": {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}}',
                    }
                ],
            }
        ],
    }
    result = evaluate(None, page)
    assert result[("iam_admin_privilege", "inline")] is Status.FAIL
    assert result[("iam_admin_privilege", "aws-admin")] is Status.FAIL
    assert result[("iam_wildcard_privilege", "grouped")] is Status.FAIL
    assert not [k for k, s in result.items() if k[1] == "scoped" and s is Status.FAIL]
    # no credential report: its checks are ERROR for the account, never PASS
    assert result[("iam_inactive_principal", "<account>")] is Status.ERROR
    assert result[("iam_root_account_used", "<account>")] is Status.ERROR


def test_roles_unused_service_linked_roles_exempt() -> None:
    def role(name: str, path: str = "/", last: int | None = None, created: int = 400) -> dict[str, Any]:
        return {
            "RoleName": name,
            "Arn": f"arn:aws:iam::{ACCOUNT}:role{path}{name}",
            "Path": path,
            "CreateDate": NOW - timedelta(days=created),
            "AttachedManagedPolicies": [],
            "RolePolicyList": [],
            "RoleLastUsed": {"LastUsedDate": NOW - timedelta(days=last)} if last is not None else {},
        }

    page = {
        "RoleDetailList": [
            role("used", last=5),
            role("stale", last=100),
            role("never"),
            role("young", created=10),
            role("AWSServiceRoleForSupport", "/aws-service-role/"),
        ]
    }
    result = evaluate(report(), page)
    fails = {n for (c, n), s in result.items() if c == "iam_role_unused" and s is Status.FAIL}
    assert fails == {"stale", "never"}


def test_policy_analysis_shapes() -> None:
    assert [
        g.level
        for g in grants_in({"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}, "x")
    ] == ["admin"]
    assert grants_in({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}, "x") == ()
    assert (
        grants_in({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}, "x") == ()
    )
    assert [
        g.level
        for g in grants_in(
            "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A"
            "%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D",
            "x",
        )
    ] == ["admin"]
    assert [
        g.level
        for g in grants_in(
            {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}]}, "x"
        )
    ] == ["wildcard"]


def test_authorization_details_are_paginated_and_folded_page_by_page() -> None:
    import boto3
    from botocore.stub import Stubber

    from supportops.runbooks.access_review.iam_details import FILTER, collect_authorization_details

    iam = boto3.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1").client(
        "iam"
    )
    pages = [0]
    with Stubber(iam) as stubber:
        base = {"Filter": FILTER, "MaxItems": 1000}
        stubber.add_response(
            "get_account_authorization_details",
            {"UserDetailList": [detail("a"), detail("b")], "IsTruncated": True, "Marker": "m1"},
            base,
        )
        stubber.add_response(
            "get_account_authorization_details",
            {"UserDetailList": [detail("c")], "RoleDetailList": [], "IsTruncated": False},
            {**base, "Marker": "m1"},
        )
        inventory = collect_authorization_details(iam, ACCOUNT, on_page=lambda n: pages.append(n))
        stubber.assert_no_pending_responses()
    assert sorted(inventory.users) == ["a", "b", "c"] and inventory.pages == 2 and pages == [0, 2, 1]
