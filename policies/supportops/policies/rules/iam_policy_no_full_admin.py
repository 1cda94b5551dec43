"""IAM policies never allow every action on every resource."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="iam_policy_no_full_admin",
    title="IAM policies do not allow '*' actions on '*' resources",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "A statement allowing every action (or everything but a NotAction list) on every resource "
        "is full administrator access: least privilege (PCI DSS 7.2.1/7.2.2, HIPAA 164.312(a)(1)) "
        "needs actions and resources named."
    ),
    remediation=(
        "aws.iam.RolePolicy('lookup', role=role.id, policy=document([{'Effect': 'Allow',\n"
        "    'Action': ['dynamodb:GetItem'], 'Resource': table.arn}]))"
    ),
    resource_types=(
        "aws:iam/policy:Policy",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/userPolicy:UserPolicy",
        "aws:iam/groupPolicy:GroupPolicy",
        "aws:iam/role:Role",
    ),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict | None:
        paths: list[str] = []
        if resource.type == "aws:iam/role:Role":
            inline = resource.prop("inlinePolicies", None)
            if rel.is_unknown(inline):
                return rel.unknown("inlinePolicies")
            paths = [f"inlinePolicies.{i}.policy" for i in range(len(rel.items(inline, "inlinePolicies")))]
            if not paths:
                return None  # a role without inline policies: its attachments are separate resources
        else:
            paths = ["policy"]
        for path in paths:
            try:
                document = index.policy(resource, path)
            except rel.PolicyUnknown:
                return rel.unknown(path)
            if document is None:
                continue
            for statement in document.statements:
                if statement.allows_everything():
                    return rel.failed(
                        f"statement {statement.sid or '(no Sid)'} allows every action on every resource",
                        rel.ev(
                            path,
                            {
                                "Action": list(statement.actions or statement.not_actions),
                                "Resource": list(statement.resources or statement.not_resources),
                            },
                            "named actions and resources",
                        ),
                    )
        return rel.passed("no statement allows every action on every resource")

    return rel.each(context, META, check)
