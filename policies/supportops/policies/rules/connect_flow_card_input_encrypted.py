"""Card input captured by a flow is encrypted with the payment processor's public key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="connect_flow_card_input_encrypted",
    title="Stored customer input is encrypted (InputEncryption key id and certificate)",
    severity=Severity.CRITICAL,
    category=Category.CARD_DATA,
    rationale=(
        "A stored input holds the card number in the contact's attributes; with InputEncryption "
        "Connect encrypts it with the processor's public key so agents, logs and the CCP never see "
        "the PAN (PCI DSS 3.4.1, 3.5.1, tokenization requirement)."
    ),
    remediation=(
        "capture_card_number('capture', PaymentModuleInputs(\n"
        "    encryption_key_id=settings.payment_input_encryption.key_id,\n"
        "    certificate_pem=settings.payment_input_encryption.certificate_pem), 'resume')\n"
        "# GetParticipantInput with InputEncryption {EncryptionKeyId, Key}"
    ),
    resource_types=rel.FLOW_TYPES,
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(flow_resource: Resource) -> rel.Verdict:
        try:
            flow = rel.parse_flow(flow_resource)
        except rel.PolicyUnknown:
            return rel.unknown("content")
        if flow is None:
            return rel.errored("the flow has no content", rel.ev("content", None))
        captures = [a for a in flow.actions.values() if a.stores_input]
        if not captures:
            return rel.not_applicable("the flow captures no stored input")
        clear = []
        for action in captures:
            encryption = action.parameters.get("InputEncryption")
            if not (
                isinstance(encryption, Mapping)
                and encryption.get("EncryptionKeyId")
                and encryption.get("Key")
            ):
                clear.append(action.identifier)
        if clear:
            return rel.failed(
                f"input stored without encryption at {', '.join(sorted(clear))}",
                rel.ev("content.Actions", sorted(clear), "InputEncryption with EncryptionKeyId and Key"),
            )
        return rel.passed(
            "every stored input is encrypted",
            rel.ev("content.Actions", sorted(a.identifier for a in captures)),
        )

    return rel.each(context, META, check)
