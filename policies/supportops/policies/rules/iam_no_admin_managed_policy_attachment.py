"""No role, user or group gets an AWS administrator managed policy."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="iam_no_admin_managed_policy_attachment",
    title="No AdministratorAccess, PowerUserAccess or IAMFullAccess attachments",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "The AWS-managed administrator policies grant far more than any platform component needs; "
        "attaching them defeats least privilege (PCI DSS 7.2.2) and access reviews."
    ),
    remediation=(
        "aws.iam.RolePolicyAttachment('logs', role=role.name,\n"
        "    policy_arn='arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole')"
    ),
    resource_types=(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        "aws:iam/policyAttachment:PolicyAttachment",
        "aws:iam/role:Role",
    ),
)

ADMIN_POLICIES = frozenset({"AdministratorAccess", "PowerUserAccess", "IAMFullAccess"})


def _admin(arn: str) -> bool:
    return ":iam::aws:policy/" in arn and arn.rsplit("/", 1)[-1] in ADMIN_POLICIES


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(resource: Resource) -> rel.Verdict | None:
        path = "managedPolicyArns" if resource.type == "aws:iam/role:Role" else "policyArn"
        value = resource.prop(path, None)
        if rel.is_unknown(value):
            return rel.unknown(path)
        # A non-string entry could hide an attachment (ERROR); policyArn is one ARN, not a list.
        arns = rel.strings(value, path) if path == "managedPolicyArns" else [rel.text(value, path) or ""]
        if path == "managedPolicyArns" and not arns:
            return None
        if arns == [""]:
            return rel.errored("the attachment names no policy", rel.ev(path, value, "a policy ARN"))
        admin = [a for a in arns if _admin(a)]
        if admin:
            return rel.failed(
                f"attaches {', '.join(a.rsplit('/', 1)[-1] for a in admin)}",
                rel.ev(path, admin, "no AWS administrator managed policy"),
            )
        return rel.passed("no administrator managed policy", rel.ev(path, arns))

    return rel.each(context, META, check)
