"""IAM roles (aws:iam/role:Role), their inline policies (aws:iam/rolePolicy:RolePolicy), managed
policy attachments (aws:iam/rolePolicyAttachment:RolePolicyAttachment) and customer-managed policies
(aws:iam/policy:Policy), all from GetAccountAuthorizationDetails: pages, not a call per role."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any, Final

from supportops.inventory.live.collector import GLOBAL_REGION, Out, tag_dict
from supportops.inventory.live.reader import Reader

SERVICE: Final = "iam"
ROLE: Final = "aws:iam/role:Role"
ROLE_POLICY: Final = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT: Final = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY: Final = "aws:iam/policy:Policy"
TYPES: Final = (ROLE, ROLE_POLICY, ATTACHMENT, POLICY)
GLOBAL: Final = True
CALLS: Final = (("iam", "GetAccountAuthorizationDetails"),)


def document(value: Any) -> str | None:
    """A policy document as JSON text (boto3 decodes it to a dict; some endpoints leave it URL-encoded)."""
    if value is None:
        return None
    if isinstance(value, str):
        text = urllib.parse.unquote(value) if value.startswith("%7B") else value
        return text
    return json.dumps(value)


def collect(read: Reader, out: Out) -> None:
    for role in read.pages("GetAccountAuthorizationDetails", "RoleDetailList", Filter=["Role"]):
        name = role["RoleName"]
        tags = tag_dict(role.get("Tags"))
        out.add(
            ROLE,
            name,
            {
                "name": name,
                "arn": role.get("Arn"),
                "path": role.get("Path"),
                "assumeRolePolicy": document(role.get("AssumeRolePolicyDocument")),
                "maxSessionDuration": role.get("MaxSessionDuration"),
                "tags": tags,
                "tagsAll": tags,
            },
            arn=role.get("Arn"),
            region=GLOBAL_REGION,
        )
        for inline in role.get("RolePolicyList") or []:
            policy_name = inline["PolicyName"]
            out.add(
                ROLE_POLICY,
                f"{name}:{policy_name}",
                {
                    "role": name,
                    "name": policy_name,
                    "policy": document(inline.get("PolicyDocument")),
                },
                region=GLOBAL_REGION,
            )
        for attached in role.get("AttachedManagedPolicies") or []:
            policy_arn = attached["PolicyArn"]
            out.add(
                ATTACHMENT,
                f"{name}/{policy_arn}",
                {"role": name, "policyArn": policy_arn},
                region=GLOBAL_REGION,
            )
    for policy in read.pages("GetAccountAuthorizationDetails", "Policies", Filter=["LocalManagedPolicy"]):
        default: dict[str, Any] = next(
            (v for v in policy.get("PolicyVersionList") or [] if v.get("IsDefaultVersion")), {}
        )
        out.add(
            POLICY,
            policy["Arn"],
            {
                "name": policy.get("PolicyName"),
                "arn": policy.get("Arn"),
                "path": policy.get("Path"),
                "policy": document(default.get("Document")),
            },
            arn=policy.get("Arn"),
            region=GLOBAL_REGION,
        )
