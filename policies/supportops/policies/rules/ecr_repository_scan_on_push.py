"""ECR repositories scan images on push."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.BASELINE,
    id="ecr_repository_scan_on_push",
    title="ECR repositories scan images on push",
    severity=Severity.MEDIUM,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "Scanning on push reports known vulnerabilities of every image before it runs (PCI DSS "
        "6.3.3); a registry scanning configuration covers every repository at once."
    ),
    remediation="aws.ecr.Repository('app', image_scanning_configuration={'scan_on_push': True})",
    resource_types=("aws:ecr/repository:Repository",),
)

REGISTRY_SCANNING = "aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    registry = context.inventory.of_type(REGISTRY_SCANNING)

    def check(repository: Resource) -> rel.Verdict:
        if registry:
            return rel.passed("a registry scanning configuration scans the repositories")
        value = repository.prop("imageScanningConfiguration.scanOnPush", None)
        if rel.is_unknown(value):
            return rel.unknown("imageScanningConfiguration.scanOnPush")
        evidence = rel.ev("imageScanningConfiguration.scanOnPush", value, "true")
        if rel.flag(value, "imageScanningConfiguration.scanOnPush") is True:
            return rel.passed("images are scanned on push", evidence)
        return rel.failed("images are not scanned on push", evidence)

    return rel.each(context, META, check)
