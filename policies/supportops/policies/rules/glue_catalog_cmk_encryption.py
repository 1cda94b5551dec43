"""The Glue Data Catalog encrypts metadata and connection passwords with customer-managed keys."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="glue_catalog_cmk_encryption",
    title="Glue Data Catalog encryption uses customer-managed keys",
    severity=Severity.HIGH,
    category=Category.ENCRYPTION_AT_REST,
    rationale=(
        "Catalog metadata describes the analytics lake (column names, partitions, sample values) and "
        "connection passwords open data sources; both must be encrypted with a customer-managed key "
        "(PCI DSS 3.5.1, 8.3.2)."
    ),
    remediation=(
        "aws.glue.DataCatalogEncryptionSettings('catalog', data_catalog_encryption_settings={\n"
        "    'encryptionAtRest': {'catalogEncryptionMode': 'SSE-KMS', 'sseAwsKmsKeyId': key.arn},\n"
        "    'connectionPasswordEncryption': {'returnConnectionPasswordEncrypted': True,\n"
        "                                     'awsKmsKeyId': key.arn}})"
    ),
    resource_types=("aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",),
    needs_stack=True,
)

BASE = "dataCatalogEncryptionSettings"
RETURNED = f"{BASE}.connectionPasswordEncryption.returnConnectionPasswordEncrypted"
KMS_MODES = ("SSE-KMS", "SSE-KMS-WITH-SERVICE-ROLE")


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(settings: Resource) -> rel.Verdict | None:
        mode = settings.prop(f"{BASE}.encryptionAtRest.catalogEncryptionMode", None)
        returned = settings.prop(RETURNED, None)
        if rel.is_unknown(mode):
            return rel.unknown(f"{BASE}.encryptionAtRest.catalogEncryptionMode")
        if rel.is_unknown(returned):
            return rel.unknown(RETURNED)
        verdicts: list[rel.Verdict] = []
        if mode not in KMS_MODES:
            verdicts.append(
                rel.failed(
                    f"catalog encryption at rest is {mode or 'not set'}",
                    rel.ev(f"{BASE}.encryptionAtRest.catalogEncryptionMode", mode, "SSE-KMS"),
                )
            )
        else:
            path = f"{BASE}.encryptionAtRest.sseAwsKmsKeyId"
            verdicts.append(rel.key_verdict(index, path, settings.prop(path, None), "catalog metadata"))
        if rel.flag(returned, RETURNED) is not True:
            verdicts.append(
                rel.failed("connection passwords are not encrypted", rel.ev(RETURNED, returned, "true"))
            )
        else:
            path = f"{BASE}.connectionPasswordEncryption.awsKmsKeyId"
            verdicts.append(rel.key_verdict(index, path, settings.prop(path, None), "connection passwords"))
        return rel.combine(verdicts)

    return rel.each(context, META, check)
