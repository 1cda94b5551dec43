"""KMS keys keep the longest deletion window of our baseline (30 days)."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="kms_key_deletion_window",
    title="KMS keys have a deletion window of at least 30 days",
    severity=Severity.MEDIUM,
    category=Category.KEY_MANAGEMENT,
    rationale=(
        "Deleting a key makes every recording, backup and log it encrypts unreadable. A 30-day "
        "window leaves time to notice (the deletion is scheduled, alarmed and cancellable). "
        "Medium, not high: deletion still needs an explicit, logged ScheduleKeyDeletion call."
    ),
    remediation="aws.kms.Key('data', deletion_window_in_days=30, enable_key_rotation=True)",
    resource_types=(rel.KMS_KEY,),
)

MIN_WINDOW_DAYS = 30
DEFAULT_WINDOW_DAYS = 30  # what KMS applies when the input is not set


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    def check(key: Resource) -> rel.Verdict:
        value = key.prop("deletionWindowInDays", None)
        if rel.is_unknown(value):
            return rel.unknown("deletionWindowInDays")
        found = rel.whole_number(value, "deletionWindowInDays", minimum=0)
        days = DEFAULT_WINDOW_DAYS if found is None else found  # 0 is a value, not "unset"
        evidence = rel.ev("deletionWindowInDays", days, f">= {MIN_WINDOW_DAYS}")
        if days < MIN_WINDOW_DAYS:
            return rel.failed(f"the key can be deleted {days:g} days after scheduling", evidence)
        return rel.passed(f"deletion window is {days:g} days", evidence)

    return rel.each(context, META, check)
