"""ECR repository policies do not let an unconstrained wildcard principal push or delete images."""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="ecr_repository_policy_no_public_write",
    title="ECR repository policies do not let anyone push or delete images",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "An Allow for Principal '*' without a constraining condition on push or delete actions lets "
        "any AWS account replace or remove the images the workloads run."
    ),
    remediation=(
        "aws.ecr.RepositoryPolicy('app', repository=repo.name, policy=json.dumps({...\n"
        "    'Principal': {'AWS': f'arn:aws:iam::{account}:role/ci'}, 'Action': ['ecr:PutImage', ...]}))"
    ),
    resource_types=("aws:ecr/repositoryPolicy:RepositoryPolicy",),
)

WRITE_ACTIONS = (
    "ecr:PutImage",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:BatchDeleteImage",
    "ecr:DeleteRepository",
    "ecr:DeleteRepositoryPolicy",
    "ecr:SetRepositoryPolicy",
)


def writes(statement: rel.Statement) -> list[str]:
    """The write actions a statement grants (patterns such as ``ecr:*`` or ``ecr:Put*``, or a
    NotAction that does not exclude them)."""
    def granted(action: str, patterns: Iterable[str]) -> bool:
        return any(fnmatchcase(action.lower(), p.lower()) for p in patterns)

    if statement.not_actions:
        return [w for w in WRITE_ACTIONS if not granted(w, statement.not_actions)]
    return [w for w in WRITE_ACTIONS if granted(w, statement.actions)]


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(policy: Resource) -> rel.Verdict:
        if rel.is_unknown(policy.prop("policy", None)):
            return rel.unknown("policy")
        document = index.policy(policy, "policy")
        if document is None:
            return rel.passed("the policy has no statements")
        granted = sorted({w for s in rel.open_statements(document) for w in writes(s)})
        evidence = rel.ev("policy", granted, "no push/delete action for an unconstrained '*' principal")
        if granted:
            return rel.failed(f"any principal may {', '.join(granted)}", evidence)
        return rel.passed("no unconstrained wildcard principal may push or delete", evidence)

    return rel.each(context, META, check)
