"""Secrets rotate on a schedule no longer than the configured credential rotation period."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="secretsmanager_secret_rotation",
    title="Secrets rotate within the credential rotation period",
    severity=Severity.MEDIUM,
    category=Category.KEY_MANAGEMENT,
    rationale=(
        "Integration credentials (CRM API tokens) must change periodically (PCI DSS 8.6.3); a "
        "SecretRotation with automatically_after_days at most crm.credentialRotationDays enforces it."
    ),
    remediation=(
        "aws.secretsmanager.SecretRotation('rotation', secret_id=secret.id,\n"
        "    rotation_lambda_arn=rotator.arn, rotation_rules={'automaticallyAfterDays': 90})"
    ),
    resource_types=("aws:secretsmanager/secret:Secret",),
    needs_stack=True,
)

ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    rotations: dict[str, Resource] = {}
    pending = False  # a rotation whose secret is unknown until apply
    for rotation in context.inventory.of_type(ROTATION):
        secret_id = rotation.prop("secretId", None)
        if rel.is_unknown(secret_id):
            pending = True
        elif isinstance(secret_id, str):
            rotations[secret_id] = rotation
    limit = context.config.crm.credential_rotation_days

    def check(secret: Resource) -> rel.Verdict:
        rotation = next(
            (
                rotations[ref]
                for ref in (secret.id, secret.prop("arn", None), secret.prop("name", None))
                if isinstance(ref, str) and ref in rotations
            ),
            None,
        )
        if rotation is None:
            if pending:
                return rel.unknown("SecretRotation.secretId")
            return rel.failed(
                "no rotation is configured for this secret",
                rel.ev("rotation", None, f"a SecretRotation every <= {limit} days"),
            )
        days = rotation.prop("rotationRules.automaticallyAfterDays", None)
        if rel.is_unknown(days):
            return rel.unknown(f"{rotation.name}.rotationRules.automaticallyAfterDays")
        # Secrets Manager accepts 1..1000 days.
        value = rel.whole_number(
            days, f"{rotation.name}.rotationRules.automaticallyAfterDays", minimum=1, maximum=1000
        )
        schedule = rel.text(
            rotation.prop("rotationRules.scheduleExpression", None),
            f"{rotation.name}.rotationRules.scheduleExpression",
        )
        if value is None and isinstance(schedule, str):
            return rel.passed(f"rotates on {schedule}", rel.ev("rotationRules.scheduleExpression", schedule))
        evidence = rel.ev(f"{rotation.name}.rotationRules.automaticallyAfterDays", value, f"<= {limit}")
        if value is None or value > limit:
            return rel.failed(f"rotates every {value} days, above the {limit}-day period", evidence)
        return rel.passed(f"rotates every {value:g} days", evidence)

    return rel.each(context, META, check)
