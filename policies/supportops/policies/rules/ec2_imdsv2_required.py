"""EC2 instances and launch templates require IMDSv2 (session tokens)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="ec2_imdsv2_required",
    title="EC2 instances and launch templates require IMDSv2",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "IMDSv1 answers any request from the instance, so an SSRF in a web application hands out the "
        "instance role's credentials; IMDSv2 requires a session token a forwarded request cannot get."
    ),
    remediation="aws.ec2.Instance('vm', ..., metadata_options={'http_tokens': 'required'})",
    resource_types=("aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(instance: Resource) -> rel.Verdict:
        endpoint = instance.prop("metadataOptions.httpEndpoint", None)
        tokens = instance.prop("metadataOptions.httpTokens", None)
        if rel.is_unknown(endpoint):
            return rel.unknown("metadataOptions.httpEndpoint")
        if endpoint == "disabled":
            evidence = rel.ev("metadataOptions.httpEndpoint", endpoint)
            return rel.passed("the metadata service is disabled", evidence)
        if rel.is_unknown(tokens):
            return rel.unknown("metadataOptions.httpTokens")
        evidence = rel.ev("metadataOptions.httpTokens", tokens, "required")
        if tokens == "required":
            return rel.passed("IMDSv2 session tokens are required", evidence)
        if tokens is None:
            return rel.failed(
                "metadataOptions.httpTokens is not set: IMDSv1 stays available unless the AMI or the "
                "account default requires tokens",
                evidence,
            )
        return rel.failed(f"metadataOptions.httpTokens is {tokens}: IMDSv1 is available", evidence)

    return rel.each(context, META, check)
