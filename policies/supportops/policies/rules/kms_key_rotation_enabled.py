"""Customer-managed symmetric KMS keys rotate at least yearly."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="kms_key_rotation_enabled",
    title="KMS keys rotate automatically at least every 365 days",
    severity=Severity.HIGH,
    category=Category.KEY_MANAGEMENT,
    rationale=(
        "PCI DSS 3.6.1.3/3.7.4 require cryptoperiods and key changes at their end; automatic "
        "rotation of symmetric keys (at most 365 days) limits how much data one key version "
        "protects. Asymmetric and HMAC keys cannot rotate automatically and are not in scope."
    ),
    remediation="aws.kms.Key('data', enable_key_rotation=True, rotation_period_in_days=365)",
    resource_types=(rel.KMS_KEY,),
)

MAX_ROTATION_DAYS = 365
KEY_SPECS = frozenset(
    {"SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384",
     "ECC_NIST_P521", "ECC_SECG_P256K1", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
     "ML_DSA_44", "ML_DSA_65", "ML_DSA_87"}
)


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(key: Resource) -> rel.Verdict:
        # customerMasterKeySpec first (older state), then keySpec; a falsy 0 must not skip to the other.
        older = key.prop("customerMasterKeySpec", None) is not None
        spec_path = "customerMasterKeySpec" if older else "keySpec"
        spec = key.prop(spec_path, None)
        if rel.is_unknown(spec):
            return rel.unknown(spec_path)
        spec = rel.choice(spec, spec_path, KEY_SPECS)
        if spec not in (None, "SYMMETRIC_DEFAULT"):
            return rel.not_applicable(f"{spec} keys do not support automatic rotation")
        enabled = key.prop("enableKeyRotation", None)
        period = key.prop("rotationPeriodInDays", None)
        if rel.is_unknown(enabled) or rel.is_unknown(period):
            return rel.unknown("enableKeyRotation")
        if rel.flag(enabled, "enableKeyRotation") is not True:
            return rel.failed("automatic key rotation is off", rel.ev("enableKeyRotation", enabled, "true"))
        # KMS accepts 90..2560 days; anything else (-1, 0) is not a rotation period.
        found = rel.whole_number(period, "rotationPeriodInDays", minimum=90, maximum=2560)
        days = MAX_ROTATION_DAYS if found is None else found
        if days > MAX_ROTATION_DAYS:
            return rel.failed(
                f"the key rotates every {days:g} days",
                rel.ev("rotationPeriodInDays", days, f"<= {MAX_ROTATION_DAYS}"),
            )
        return rel.passed(f"the key rotates every {days:g} days", rel.ev("rotationPeriodInDays", days))

    return rel.each(context, META, check)
