"""Security groups do not open SSH, RDP or every port to the whole internet."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="security_group_no_open_admin_ports",
    title="Security groups do not open SSH, RDP or all ports to 0.0.0.0/0 or ::/0",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "SSH and RDP open to the internet are brute-forced within minutes of launch; an all-ports rule "
        "exposes every service on the instances (PCI DSS 1.3.1). Use SSM Session Manager or a VPN."
    ),
    remediation=(
        "aws.vpc.SecurityGroupIngressRule('ssh', security_group_id=sg.id, cidr_ipv4='10.0.0.0/8',\n"
        "    from_port=22, to_port=22, ip_protocol='tcp')"
    ),
    resource_types=(
        "aws:ec2/securityGroup:SecurityGroup",
        "aws:ec2/securityGroupRule:SecurityGroupRule",
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    ),
)

WORLD: Final = frozenset({"0.0.0.0/0", "::/0"})
ADMIN_PORTS: Final = {22: "SSH (22)", 3389: "RDP (3389)"}


def exposure(rule: Mapping[str, Any], cidr_keys: tuple[str, ...], protocol_key: str) -> str | None:
    """What an ingress rule opens to the world (None: nothing of concern); raises LookupError when a
    value is unknown until apply."""
    cidrs: set[str] = set()
    for key in cidr_keys:
        value = rule.get(key)
        if rel.is_unknown(value):
            raise LookupError(key)
        cidrs.update(str(c) for c in rel.as_list(value))
    if not cidrs & WORLD:
        return None
    protocol = str(rule.get(protocol_key) or "").lower()
    if protocol in ("-1", "all"):
        return "all ports"
    # Ports are whole numbers in -1..65535: "22", NaN or 1e9 are never read as "nothing open".
    low = rel.whole_number(rule.get("fromPort"), "fromPort", minimum=-1, maximum=65535)
    high = rel.whole_number(rule.get("toPort"), "toPort", minimum=-1, maximum=65535)
    if low is None or high is None:
        return None
    if low <= 0 and high >= 65535:
        return "all ports"
    opened = [name for port, name in ADMIN_PORTS.items() if low <= port <= high]
    return ", ".join(opened) or None


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(resource: Resource) -> rel.Verdict | None:
        rules: list[tuple[str, Mapping[str, Any], tuple[str, ...], str]] = []
        if resource.type == "aws:ec2/securityGroup:SecurityGroup":
            ingress = resource.prop("ingress", None)
            if rel.is_unknown(ingress):
                return rel.unknown("ingress")
            for i, item in enumerate(rel.as_list(ingress)):
                if isinstance(item, Mapping):
                    rules.append((f"ingress.{i}", item, ("cidrBlocks", "ipv6CidrBlocks"), "protocol"))
        elif resource.type == "aws:ec2/securityGroupRule:SecurityGroupRule":
            if resource.prop("type", None) != "ingress":
                return None
            rules.append(("", resource.inputs, ("cidrBlocks", "ipv6CidrBlocks"), "protocol"))
        else:
            rules.append(("", resource.inputs, ("cidrIpv4", "cidrIpv6"), "ipProtocol"))
        for path, rule, cidr_keys, protocol_key in rules:
            try:
                opened = exposure(rule, cidr_keys, protocol_key)
            except LookupError as unknown:
                return rel.unknown(".".join(p for p in (path, str(unknown.args[0])) if p))
            if opened:
                where = f"{path} " if path else ""
                return rel.failed(
                    f"{where}opens {opened} to the internet",
                    rel.ev(path or "ingress", opened, "no SSH/RDP/all-ports ingress from 0.0.0.0/0 or ::/0"),
                )
        return rel.passed("no SSH, RDP or all-ports ingress from the internet")

    return rel.each(context, META, check)
