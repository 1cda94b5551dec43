"""Every regional resource is in one of the stack's allowed regions."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Evidence, Finding, Severity
from supportops.inventory.model import STACK_TYPE, Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="resource_region_allowed",
    title="Resources are deployed only in allowed regions",
    severity=Severity.HIGH,
    category=Category.DATA_RESIDENCY,
    rationale=(
        "Customer data must stay in the regions the data-processing agreement names (GDPR Chapter "
        "V transfers); allowedRegions lists them, and every regional resource, replica and provider "
        "must be in one. Global services (IAM, Route 53, CloudFront, Organizations) are not regional."
    ),
    remediation=(
        "# Pulumi.<stack>.yaml\n"
        "config:\n"
        "  supportops:allowedRegions: [us-east-1, us-west-2]\n"
        "aws.s3.Bucket('replica', region=config.resilience.replica_region)"
    ),
    # Every AWS type: the rule is evaluated over all custom resources of the aws and aws-native
    # packages (the catalog lists the providers as its representative types).
    resource_types=(rel.AWS_PROVIDER, rel.AWS_NATIVE_PROVIDER),
)

GLOBAL_PREFIXES = (
    "aws:iam/",
    "aws:route53/",
    "aws:cloudfront/",
    "aws:organizations/",
    "aws:globalaccelerator/",
    "aws:waf/",
    "aws-native:iam:",
    "aws-native:route53:",
    "aws-native:cloudfront:",
    "aws-native:organizations:",
)


def in_scope(type_token: str) -> bool:
    return type_token.startswith(
        ("aws:", "aws-native:", "pulumi:providers:aws")
    ) and not type_token.startswith(GLOBAL_PREFIXES)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    if "allowed_regions" not in context.config.model_fields_set:
        # No allow-list stated: the model's default list is not a policy anyone chose.
        unset = rel.not_applicable("no region allow-list is configured (supportops:allowedRegions)")
        return rel.each(context, META, lambda _stack: unset, types=(STACK_TYPE,))
    index = rel.relations(context.inventory)
    allowed = frozenset(context.config.allowed_regions)
    expected = f"one of {', '.join(sorted(allowed))}"
    types = tuple(t for t in context.inventory.types() if in_scope(t))
    verdicts: dict[str | None, rel.Verdict] = {}  # one verdict per region: most resources share one

    def check(resource: Resource) -> rel.Verdict | None:
        if not resource.custom:
            return None
        region = index.region(resource, context.config)
        verdict = verdicts.get(region)
        if verdict is None:
            evidence = Evidence("region", region, expected)
            if region is None:
                verdict = rel.unknown("region")
            elif region in allowed:
                verdict = rel.passed(f"in {region}", evidence)
            else:
                verdict = rel.failed(f"in {region}, outside allowedRegions", evidence)
            verdicts[region] = verdict
        return verdict

    return rel.each(context, META, check, types=types)
