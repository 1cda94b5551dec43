"""Connect fixtures for the Stubber: an instance with admin, agent and QA profiles and four users."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.stub import Stubber

ACCOUNT = "123456789012"
INSTANCE = "11111111-2222-3333-4444-555555555555"
REGION = "eu-west-2"
INSTANCE_ARN = f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{INSTANCE}"
PROFILES = {
    "p-admin": ("Admin", ["Users.Edit", "SecurityProfiles.Edit"]),
    "p-agent": ("Agent", ["BasicAgentAccess"]),
    "p-qa": ("QualityAnalyst", ["ListenCallRecordings", "ContactSearch.View"]),
}
USERS = {
    "u-1": ("maria", ["p-agent"]),
    "u-2": ("ops-lead", ["p-admin", "p-agent"]),
    "u-3": ("qa-1", ["p-qa"]),
    "u-4": ("break-glass-connect", ["p-admin"]),
}


def user_arn(user_id: str) -> str:
    return f"arn:aws:connect:{REGION}:{ACCOUNT}:instance/{INSTANCE}/agent/{user_id}"


def connect_client() -> Any:
    return boto3.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name=REGION).client(
        "connect"
    )


def stub_collection(stubber: Stubber) -> None:
    """ListSecurityProfiles, their permissions, ListUsers in two pages, DescribeUser per user."""
    stubber.add_response(
        "list_security_profiles",
        {
            "SecurityProfileSummaryList": [
                {"Id": pid, "Arn": f"{INSTANCE_ARN}/security-profile/{pid}", "Name": name}
                for pid, (name, _) in PROFILES.items()
            ]
        },
        {"InstanceId": INSTANCE},
    )
    for pid, (_, permissions) in PROFILES.items():
        stubber.add_response(
            "list_security_profile_permissions",
            {"Permissions": permissions},
            {"InstanceId": INSTANCE, "SecurityProfileId": pid},
        )
    items = list(USERS.items())
    for page, token_in, token_out in ((items[:2], None, "page-2"), (items[2:], "page-2", None)):
        params = {"InstanceId": INSTANCE, **({"NextToken": token_in} if token_in else {})}
        response: dict[str, Any] = {
            "UserSummaryList": [
                {"Id": uid, "Arn": user_arn(uid), "Username": name} for uid, (name, _) in page
            ]
        }
        if token_out:
            response["NextToken"] = token_out
        stubber.add_response("list_users", response, params)
        for uid, (name, profiles) in page:  # the users of a page are described before the next page
            stubber.add_response(
                "describe_user",
                {
                    "User": {
                        "Id": uid,
                        "Arn": user_arn(uid),
                        "Username": name,
                        "SecurityProfileIds": profiles,
                        "RoutingProfileId": "rp-1",
                        "Tags": {"owner": "contact-centre"},
                    }
                },
                {"InstanceId": INSTANCE, "UserId": uid},
            )
