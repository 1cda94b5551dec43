"""GuardDuty, Inspector and Security Hub findings are routed by EventBridge to a KMS-encrypted SNS
topic, from every region in scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from supportops.findings import Finding, Severity
from supportops.inventory.model import STACK_TYPE, Resource, unwrap
from supportops.policies import relations as rel
from supportops.policies import security_baseline as sb
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.stacks.config.security_baseline import BaselineService

EVENT_RULE: Final = "aws:cloudwatch/eventRule:EventRule"
EVENT_TARGET: Final = "aws:cloudwatch/eventTarget:EventTarget"
TOPIC: Final = "aws:sns/topic:Topic"
AGGREGATOR: Final = "aws:securityhub/findingAggregator:FindingAggregator"
# Service -> (its own event source, its ProductName in Security Hub's imported findings).
SOURCES: Final = {
    BaselineService.GUARDDUTY: ("aws.guardduty", "GuardDuty"),
    BaselineService.INSPECTOR: ("aws.inspector2", "Inspector"),
    BaselineService.SECURITY_HUB: ("aws.securityhub", "Security Hub"),
}

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="security_findings_routed",
    title="Security findings are routed to a KMS-encrypted alerts topic from every region in scope",
    severity=Severity.HIGH,
    category=Category.SECURITY_MONITORING,
    rationale=(
        "A finding nobody reads detects nothing: PCI DSS 10.4.1.1 and 11.5.1 ask for automated review "
        "and alerting, HIPAA 164.308(a)(1)(ii)(D) for activity review. EventBridge rules send each "
        "service's findings to an SNS topic encrypted with a customer-managed key; with several "
        "regions, Security Hub's finding aggregator brings the others' findings to the routing region."
    ),
    remediation=(
        "rule = aws.cloudwatch.EventRule('gd', event_pattern=json.dumps({'source': ['aws.guardduty']}))\n"
        "topic = aws.sns.Topic('alerts', kms_master_key_id=audit_key.arn)\n"
        "aws.cloudwatch.EventTarget('gd', rule=rule.name, arn=topic.arn, dead_letter_config={'arn': dlq.arn})"
    ),
    resource_types=(STACK_TYPE, AGGREGATOR),
    needs_stack=True,
)


def _matches(pattern: Any, source: str, product: str) -> bool:
    """Whether the event pattern selects this service's findings (its own events, or Security Hub's
    imported findings of its product)."""
    if not isinstance(pattern, Mapping):
        return False
    sources = sb.strings_of(pattern.get("source"))
    if source in sources:
        return True
    if "aws.securityhub" not in sources:
        return False
    detail = pattern.get("detail")
    findings = detail.get("findings") if isinstance(detail, Mapping) else None
    products = sb.strings_of(findings.get("ProductName")) if isinstance(findings, Mapping) else []
    return not products or product in products


def _encrypted_topic(index: rel.Relations, topics: list[Resource], target: Resource) -> str | None:
    """The target's topic's name when it is encrypted with a customer-managed key, else None."""
    for topic in topics:
        if sb.names(target, "arn", topic, "arn"):
            key = index.key(topic.prop("kmsMasterKeyId", None))
            if key.kind is rel.KeyKind.UNKNOWN:
                raise rel.Unknown("kmsMasterKeyId")
            return topic.name if key.customer_managed else None
    return None


def _routes(context: EvaluationContext, index: rel.Relations, source: str, product: str) -> list[str]:
    """Names of the encrypted topics findings of this source reach."""
    topics = context.inventory.of_type(TOPIC)
    reached: list[str] = []
    for rule in context.inventory.of_type(EVENT_RULE):
        raw = rule.prop("eventPattern", None)
        if rel.is_unknown(raw):
            raise rel.Unknown("eventPattern")
        try:
            pattern = rel.parse_json(raw)
        except ValueError:
            continue
        if not _matches(pattern, source, product):
            continue
        for target in context.inventory.of_type(EVENT_TARGET):
            if sb.names(target, "rule", rule, "name"):
                topic = _encrypted_topic(index, topics, target)
                if topic is not None:
                    reached.append(topic)
    return reached


def _other_regions_aggregated(context: EvaluationContext, index: rel.Relations) -> list[str]:
    """Regions in scope whose Security Hub findings no aggregator in the home region brings home."""
    home, *others = sb.regions(context)
    covered: set[str] = set()
    for aggregator in context.inventory.of_type(AGGREGATOR):
        if index.region(aggregator, context.config) != home:
            continue
        mode = unwrap(aggregator.prop("linkingMode", None))
        linked = set(sb.strings_of(aggregator.prop("specifiedRegions", None)))
        if mode == "ALL_REGIONS":
            covered.update(others)
        elif mode == "SPECIFIED_REGIONS":
            covered.update(linked)
        elif mode == "ALL_REGIONS_EXCEPT_SPECIFIED":
            covered.update(set(others) - linked)
    return [r for r in others if r not in covered]


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def decide() -> rel.Verdict:
        services = [s for s in SOURCES if context.config.security_baseline.enabled(s)]
        skipped = sb.premise(context, BaselineService.FINDINGS_ROUTING) or (
            None if services else sb.premise(context, *SOURCES)
        )
        if skipped is not None:
            return skipped
        index = rel.relations(context.inventory)
        evidence = []
        unrouted = []
        for service in services:
            topics = _routes(context, index, *SOURCES[service])
            evidence.append(rel.ev(f"{service.label} findings", sb.joined(set(topics)), "an encrypted topic"))
            if not topics:
                unrouted.append(service.label)
        if unrouted:
            return rel.failed(f"not routed to an encrypted topic: {', '.join(unrouted)}", *evidence)
        hub = BaselineService.SECURITY_HUB in services
        stranded = _other_regions_aggregated(context, index) if hub else sb.regions(context)[1:]
        evidence.append(rel.ev("regions not brought to the routing region", stranded or None, "none"))
        if stranded:
            return rel.failed(
                f"findings of {', '.join(stranded)} reach no route (no Security Hub aggregation)", *evidence
            )
        return rel.passed(
            "every service's findings reach an encrypted topic from every region in scope", *evidence
        )

    return sb.each_stack(context, META, decide)
