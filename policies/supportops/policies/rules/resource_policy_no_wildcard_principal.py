"""Resource policies (buckets, queues, topics, secrets, vaults, buses, Lambda) are not open to all."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import premises
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="resource_policy_no_wildcard_principal",
    title="Resource policies have no unconstrained wildcard principal",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "An Allow to Principal '*' without a condition on source account, ARN or organization "
        "exposes the bucket, queue, topic, secret or function to any AWS account (PCI DSS 7.2.1, "
        "GDPR Art. 32). Deny statements for everyone (TLS enforcement) are fine."
    ),
    remediation=(
        "aws.sqs.QueuePolicy('events', queue_url=queue.url, policy=document([{'Effect': 'Allow',\n"
        "    'Principal': {'Service': 'events.amazonaws.com'}, 'Action': 'sqs:SendMessage',\n"
        "    'Resource': queue.arn, 'Condition': {'ArnEquals': {'aws:SourceArn': rule.arn}}}]))"
    ),
    resource_types=(
        rel.S3_POLICY,
        "aws:sqs/queuePolicy:QueuePolicy",
        "aws:sqs/queue:Queue",
        "aws:sns/topicPolicy:TopicPolicy",
        "aws:sns/topic:Topic",
        "aws:secretsmanager/secretPolicy:SecretPolicy",
        "aws:secretsmanager/secret:Secret",
        "aws:backup/vaultPolicy:VaultPolicy",
        "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
        "aws:lambda/permission:Permission",
    ),
    needs_stack=True,
)

OPTIONAL_POLICY = frozenset(
    {"aws:sqs/queue:Queue", "aws:sns/topic:Topic", "aws:secretsmanager/secret:Secret"}
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(resource: Resource) -> rel.Verdict | None:
        if resource.type == "aws:lambda/permission:Permission":
            return lambda_permission(resource)
        try:
            document = index.policy(resource, "policy")
        except rel.PolicyUnknown:
            return rel.unknown("policy")
        if document is None:
            return None if resource.type in OPTIONAL_POLICY else rel.errored("the policy is empty")
        website = premises.website_public_read(index, resource, document)
        if website is not None:
            return website
        return rel.principals_verdict(
            document,
            "policy",
            "the policy allows any AWS principal",
            "every Allow names its principals or constrains the caller",
        )

    return rel.each(context, META, check)


def lambda_permission(permission: Resource) -> rel.Verdict:
    principal = permission.prop("principal", None)
    if rel.is_unknown(principal):
        return rel.unknown("principal")
    constraints = {k: permission.prop(k, None) for k in ("sourceArn", "sourceAccount", "principalOrgId")}
    if any(rel.is_unknown(v) for v in constraints.values()):
        return rel.unknown("sourceArn")
    constrained = any(constraints.values())
    if principal == "*" and not constrained:
        return rel.failed(
            "anyone may invoke the function", rel.ev("principal", principal, "a named principal")
        )
    if isinstance(principal, str) and principal.endswith(".amazonaws.com") and not constrained:
        return rel.failed(
            f"any {principal} resource in any account may invoke the function",
            rel.ev("sourceArn", None, "sourceArn or sourceAccount"),
        )
    return rel.passed(f"{principal} may invoke, constrained to its source", rel.ev("principal", principal))
