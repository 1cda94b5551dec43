"""Load balancer listeners serve HTTPS with a TLS 1.2+ policy; HTTP listeners only redirect to HTTPS."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="lb_listener_https_tls12",
    title="Load balancer listeners use HTTPS/TLS with a TLS 1.2+ policy (HTTP only to redirect)",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_IN_TRANSIT,
    rationale=(
        "A plain HTTP listener that forwards traffic carries requests and session cookies in clear; "
        "a TLS listener whose policy allows TLS 1.0/1.1 accepts protocols PCI DSS 4.2.1 forbids. "
        "An HTTP listener whose default action redirects to HTTPS carries no data."
    ),
    remediation=(
        "aws.lb.Listener('https', load_balancer_arn=lb.arn, port=443, protocol='HTTPS',\n"
        "    ssl_policy='ELBSecurityPolicy-TLS13-1-2-2021-06', certificate_arn=cert.arn, ...)"
    ),
    resource_types=("aws:lb/listener:Listener", "aws:alb/listener:Listener"),
)

# ELB policies whose minimum protocol is TLS 1.2 or 1.3 (TLS13-1-0/1-1 and 2016-08 allow older ones).
TLS12_POLICY: Final = re.compile(r"^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-")
DEFAULT_POLICY: Final = "ELBSecurityPolicy-2016-08"  # the provider's default when sslPolicy is unset


def redirects_to_https(listener: Resource) -> bool | None:
    actions = listener.prop("defaultActions", None)
    if rel.is_unknown(actions):
        return None
    for action in rel.as_list(actions):
        if not isinstance(action, dict) or action.get("type") != "redirect":
            continue
        protocol = (action.get("redirect") or {}).get("protocol")
        if rel.is_unknown(protocol):
            return None
        if protocol == "HTTPS":
            return True
    return False


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(listener: Resource) -> rel.Verdict:
        protocol = listener.prop("protocol", None)
        if rel.is_unknown(protocol):
            return rel.unknown("protocol")
        protocol = str(protocol or "").upper()
        if protocol in ("", "HTTP"):
            # No protocol: an ALB listener defaults to HTTP (an NLB needs one).
            redirect = redirects_to_https(listener)
            if redirect is None:
                return rel.unknown("defaultActions")
            evidence = rel.ev("defaultActions", "redirect" if redirect else "forward", "redirect to HTTPS")
            if redirect:
                return rel.passed("the HTTP listener only redirects to HTTPS", evidence)
            return rel.failed("the listener serves plain HTTP without redirecting to HTTPS", evidence)
        if protocol not in ("HTTPS", "TLS"):
            return rel.not_applicable(f"a {protocol} listener carries no HTTP or TLS traffic to judge")
        policy = listener.prop("sslPolicy", None)
        if rel.is_unknown(policy):
            return rel.unknown("sslPolicy")
        shown = policy or f"{DEFAULT_POLICY} (the default)"
        evidence = rel.ev("sslPolicy", shown, "a TLS 1.2+ policy, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06")
        if isinstance(policy, str) and TLS12_POLICY.match(policy):
            return rel.passed(f"{protocol} with {policy}", evidence)
        return rel.failed(f"the {protocol} listener's policy {shown} accepts TLS older than 1.2", evidence)

    return rel.each(context, META, check)
