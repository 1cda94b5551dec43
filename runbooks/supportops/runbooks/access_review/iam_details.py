"""IAM users, roles, groups and local managed policies from GetAccountAuthorizationDetails, paginated
(cost grows with pages, not principals); each page is reduced to compact records and dropped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from supportops.runbooks.access_review.inventory import Grant, IamGroup, IamInventory, IamRole, IamUser
from supportops.runbooks.access_review.policy_analysis import grants_in

PERMISSIONS = ("iam:GetAccountAuthorizationDetails",)
FILTER = ["User", "Role", "Group", "LocalManagedPolicy"]  # AWS managed policies are judged by ARN
PAGE_SIZE = 1000


def _tags(items: list[dict[str, Any]] | None) -> dict[str, str]:
    return {str(t.get("Key")): str(t.get("Value", "")) for t in items or []}


def _date(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _inline(policies: list[dict[str, Any]] | None, prefix: str = "inline") -> tuple[Grant, ...]:
    grants: list[Grant] = []
    for policy in policies or []:
        grants.extend(grants_in(policy.get("PolicyDocument"), f"{prefix}:{policy.get('PolicyName')}"))
    return tuple(grants)


def _attached(items: list[dict[str, Any]] | None) -> tuple[str, ...]:
    return tuple(str(p["PolicyArn"]) for p in items or [] if "PolicyArn" in p)


def parse_authorization_page(page: dict[str, Any], into: IamInventory) -> None:
    """Fold one page of GetAccountAuthorizationDetails into ``into`` (the page can then be dropped)."""
    into.pages += 1
    for user in page.get("UserDetailList", []):
        into.users[user["UserName"]] = IamUser(
            name=user["UserName"],
            arn=user["Arn"],
            created=_date(user.get("CreateDate")),
            groups=tuple(user.get("GroupList", [])),
            attached_policy_arns=_attached(user.get("AttachedManagedPolicies")),
            inline_grants=_inline(user.get("UserPolicyList")),
            tags=_tags(user.get("Tags")),
        )
    for role in page.get("RoleDetailList", []):
        path = str(role.get("Path", "/"))
        into.roles.append(
            IamRole(
                name=role["RoleName"],
                arn=role["Arn"],
                path=path,
                created=_date(role.get("CreateDate")),
                last_used=_date((role.get("RoleLastUsed") or {}).get("LastUsedDate")),
                attached_policy_arns=_attached(role.get("AttachedManagedPolicies")),
                inline_grants=_inline(role.get("RolePolicyList")),
                tags=_tags(role.get("Tags")),
                service_linked=path.startswith("/aws-service-role/"),
            )
        )
    for group in page.get("GroupDetailList", []):
        into.groups[group["GroupName"]] = IamGroup(
            name=group["GroupName"],
            arn=group["Arn"],
            attached_policy_arns=_attached(group.get("AttachedManagedPolicies")),
            inline_grants=_inline(group.get("GroupPolicyList")),
        )
    for policy in page.get("Policies", []):
        default = next((v for v in policy.get("PolicyVersionList", []) if v.get("IsDefaultVersion")), None)
        if default is not None:
            into.managed_grants[policy["Arn"]] = grants_in(
                default.get("Document"), f"managed:{policy['Arn']}"
            )


def collect_authorization_details(
    iam: Any, account_id: str, on_page: Callable[[int], None] | None = None
) -> IamInventory:
    inventory = IamInventory(account_id=account_id)
    paginator = iam.get_paginator("get_account_authorization_details")
    for page in paginator.paginate(Filter=FILTER, PaginationConfig={"PageSize": PAGE_SIZE}):
        parse_authorization_page(page, inventory)
        if on_page is not None:
            on_page(len(page.get("UserDetailList", [])) + len(page.get("RoleDetailList", [])))
    return inventory
