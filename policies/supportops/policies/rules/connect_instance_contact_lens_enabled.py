"""Connect instances have Contact Lens on (redaction of card data depends on it)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="connect_instance_contact_lens_enabled",
    title="Connect instances have Contact Lens enabled",
    severity=Severity.HIGH,
    category=Category.CARD_DATA,
    rationale=(
        "Sensitive-data redaction of recordings and transcripts is a Contact Lens feature; with "
        "Contact Lens off the flows' redaction settings do nothing (PCI DSS 3.3.1, 3.4.1)."
    ),
    remediation="aws.connect.Instance('contact-center', ..., contact_lens_enabled=True)",
    resource_types=(rel.CONNECT_INSTANCE,),
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(instance: Resource) -> rel.Verdict:
        value = instance.prop("contactLensEnabled", None)
        if rel.is_unknown(value):
            return rel.unknown("contactLensEnabled")
        # The provider defaults contact_lens_enabled to true when it is not set.
        if rel.flag(value, "contactLensEnabled") in (None, True):
            return rel.passed("Contact Lens is enabled", rel.ev("contactLensEnabled", value))
        return rel.failed(
            "Contact Lens is off: redaction cannot run", rel.ev("contactLensEnabled", value, "true")
        )

    return rel.each(context, META, check)
