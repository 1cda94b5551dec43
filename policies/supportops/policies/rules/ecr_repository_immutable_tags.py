"""ECR repositories make image tags immutable."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="ecr_repository_immutable_tags",
    title="ECR repositories make image tags immutable",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "With mutable tags anyone who can push can replace the image a deployment pins by tag; "
        "immutable tags make a tag name one image forever (PCI DSS 6.5.1 change control)."
    ),
    remediation="aws.ecr.Repository('app', image_tag_mutability='IMMUTABLE')",
    resource_types=("aws:ecr/repository:Repository",),
)

IMMUTABLE = ("IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION")


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(repository: Resource) -> rel.Verdict:
        value = repository.prop("imageTagMutability", None)
        if rel.is_unknown(value):
            return rel.unknown("imageTagMutability")
        evidence = rel.ev("imageTagMutability", value, "IMMUTABLE")
        if value in IMMUTABLE:
            return rel.passed(f"image tags are {value}", evidence)
        return rel.failed(f"image tags are mutable ({value or 'MUTABLE, the default'})", evidence)

    return rel.each(context, META, check)
