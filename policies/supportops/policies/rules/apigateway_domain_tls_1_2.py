"""API Gateway custom domains negotiate TLS 1.2 or newer only."""

from __future__ import annotations

import re
from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="apigateway_domain_tls_1_2",
    title="API Gateway domains use a TLS 1.2+ security policy",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_IN_TRANSIT,
    rationale=(
        "The CRM webhook endpoint receives ticket and customer data; TLS 1.0/1.1 are not strong "
        "cryptography (PCI DSS 4.2.1), so the domain's security policy must be TLS_1_2 or a newer "
        "TLS 1.2/1.3 policy."
    ),
    remediation=(
        "aws.apigatewayv2.DomainName('hooks', domain_name=domain, domain_name_configuration={\n"
        "    'certificateArn': cert.arn, 'endpointType': 'REGIONAL', 'securityPolicy': 'TLS_1_2'})"
    ),
    resource_types=("aws:apigatewayv2/domainName:DomainName", "aws:apigateway/domainName:DomainName"),
)

# TLS_1_2, and the enhanced policies (SecurityPolicy_TLS13_1_3_..., SecurityPolicy_TLS12_...).
MODERN = re.compile(r"^(TLS_1_[23]|SecurityPolicy_TLS1[23].*)$")


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(domain: Resource) -> rel.Verdict:
        path = (
            "domainNameConfiguration.securityPolicy"
            if domain.type.startswith("aws:apigatewayv2/")
            else "securityPolicy"
        )
        policy = domain.prop(path, None)
        if rel.is_unknown(policy):
            return rel.unknown(path)
        evidence = rel.ev(path, policy, "TLS_1_2 or newer")
        if isinstance(policy, str) and MODERN.match(policy):
            return rel.passed(f"security policy {policy}", evidence)
        return rel.failed(f"security policy is {policy or 'not set'} (TLS older than 1.2 accepted)", evidence)

    return rel.each(context, META, check)
