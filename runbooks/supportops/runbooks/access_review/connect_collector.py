"""Amazon Connect users and security profiles of one instance, through list/describe calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from supportops.runbooks.access_review.inventory import ConnectInventory, ConnectUser

PERMISSIONS = (
    "connect:ListUsers",
    "connect:DescribeUser",
    "connect:ListSecurityProfiles",
    "connect:ListSecurityProfilePermissions",
)


def collect_connect(
    connect: Any, account_id: str, instance_id: str, region: str, on_user: Callable[[], None] | None = None
) -> ConnectInventory:
    inventory = ConnectInventory(account_id=account_id, instance_id=instance_id, region=region)
    for page in connect.get_paginator("list_security_profiles").paginate(InstanceId=instance_id):
        for summary in page.get("SecurityProfileSummaryList", []):
            inventory.profile_names[summary["Id"]] = summary.get("Name", summary["Id"])
    for profile_id in inventory.profile_names:
        permissions: set[str] = set()
        pages = connect.get_paginator("list_security_profile_permissions").paginate(
            InstanceId=instance_id, SecurityProfileId=profile_id
        )
        for page in pages:
            permissions.update(page.get("Permissions", []))
        inventory.profile_permissions[profile_id] = frozenset(permissions)
    for page in connect.get_paginator("list_users").paginate(InstanceId=instance_id):
        for summary in page.get("UserSummaryList", []):
            user = connect.describe_user(InstanceId=instance_id, UserId=summary["Id"])["User"]
            inventory.users.append(
                ConnectUser(
                    instance_id=instance_id,
                    user_id=user["Id"],
                    arn=user["Arn"],
                    username=user.get("Username", ""),
                    security_profile_ids=tuple(user.get("SecurityProfileIds", [])),
                    tags=dict(user.get("Tags", {})),
                )
            )
            if on_user is not None:
                on_user()
    return inventory
