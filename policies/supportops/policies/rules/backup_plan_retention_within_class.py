"""Recovery points (and their copies) expire, within the vault's data class maximum."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="backup_plan_retention_within_class",
    title="Backup recovery points expire within the data class maximum",
    severity=Severity.MEDIUM,
    category=Category.RETENTION,
    rationale=(
        "Backups are copies of personal data: without lifecycle.delete_after they are kept forever, "
        "and an erased customer survives in every recovery point (GDPR Art. 5(1)(e), Art. 17). "
        "Copies to the replica region need their own lifecycle."
    ),
    remediation=(
        "aws.backup.Plan('plan', rules=[{..., 'lifecycle': {'deleteAfter': 35},\n"
        "    'copyActions': [{'destinationVaultArn': copy_vault.arn, 'lifecycle': {'deleteAfter': 35}}]}])"
    ),
    resource_types=("aws:backup/plan:Plan",),
)

VAULT = "aws:backup/vault:Vault"


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)
    vaults: dict[str, Resource] = {}
    for vault in context.inventory.of_type(VAULT):
        for ref in (vault.prop("name", None), vault.id, vault.prop("arn", None)):
            if isinstance(ref, str):
                vaults[ref] = vault

    def check(plan: Resource) -> rel.Verdict:
        rules = plan.prop("rules", None)
        if rel.is_unknown(rules):
            return rel.unknown("rules")
        verdicts: list[rel.Verdict] = []
        for i, _ in enumerate(rel.records(rules, "rules")):
            target = plan.prop(f"rules.{i}.targetVaultName", None)
            vault = vaults.get(target) if isinstance(target, str) else None
            data_class = index.data_class(vault) if vault is not None else None
            maximum = context.config.data_class(data_class).max_days if data_class else None
            copies = f"rules.{i}.copyActions"
            paths = [f"rules.{i}.lifecycle.deleteAfter"] + [
                f"rules.{i}.copyActions.{j}.lifecycle.deleteAfter"
                for j in range(len(rel.items(plan.prop(copies, None), copies)))
            ]
            for path in paths:
                value = plan.prop(path, None)
                if rel.is_unknown(value):
                    verdicts.append(rel.unknown(path))
                    continue
                days = rel.whole_number(value, path, minimum=1)
                expected = f"<= {maximum} days" if maximum else "a deleteAfter in days"
                if days is None:
                    verdicts.append(
                        rel.failed("recovery points are kept forever", rel.ev(path, None, expected))
                    )
                elif maximum is not None and days > maximum:
                    verdicts.append(
                        rel.failed(f"recovery points are kept {days:g} days", rel.ev(path, days, expected))
                    )
                else:
                    verdicts.append(
                        rel.passed(f"recovery points expire after {days:g} days", rel.ev(path, days))
                    )
        return rel.combine(verdicts) or rel.failed("the plan has no rules", rel.ev("rules", None))

    return rel.each(context, META, check)
