"""The security baseline's config (``supportops:securityBaseline``): which detection, scanning and
recording services the foundation deploys, in which regions, and where their findings go.

Every service is on by default. A stack turns one off only by naming it under ``optOut`` with the
reason (e.g. "enabled organization-wide by the delegated administrator account 111122223333"): the
reason is what the rules report instead of a FAIL, so an assessor reads why it is absent.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator

from supportops.models import CamelInputModel, StrictFlag, repeated

AWS_REGION_PATTERN = r"^[a-z]{2}(-gov)?-[a-z]+-\d$"


class BaselineService(StrEnum):
    GUARDDUTY = "guardDuty"
    SECURITY_HUB = "securityHub"
    INSPECTOR = "inspector"
    CONFIG_RECORDER = "configRecorder"
    ACCESS_ANALYZER = "accessAnalyzer"
    FINDINGS_ROUTING = "findingsRouting"

    @property
    def label(self) -> str:
        return SERVICE_LABELS[self]


SERVICE_LABELS: dict[BaselineService, str] = {
    BaselineService.GUARDDUTY: "GuardDuty",
    BaselineService.SECURITY_HUB: "Security Hub",
    BaselineService.INSPECTOR: "Inspector",
    BaselineService.CONFIG_RECORDER: "AWS Config recorder",
    BaselineService.ACCESS_ANALYZER: "IAM Access Analyzer",
    BaselineService.FINDINGS_ROUTING: "findings routing",
}


class GuardDutyFeature(StrEnum):
    """GuardDuty protection plans (``aws.guardduty.DetectorFeature`` names)."""

    S3_DATA_EVENTS = "S3_DATA_EVENTS"
    LAMBDA_NETWORK_LOGS = "LAMBDA_NETWORK_LOGS"
    RDS_LOGIN_EVENTS = "RDS_LOGIN_EVENTS"
    EBS_MALWARE_PROTECTION = "EBS_MALWARE_PROTECTION"
    RUNTIME_MONITORING = "RUNTIME_MONITORING"


class InspectorScan(StrEnum):
    """Inspector2 scan types (``aws.inspector2.Enabler`` resource types)."""

    ECR = "ECR"
    LAMBDA = "LAMBDA"
    LAMBDA_CODE = "LAMBDA_CODE"
    EC2 = "EC2"


class AlertSeverity(StrEnum):
    """Security Hub's normalized severity labels (GuardDuty and Inspector findings carry them too)."""

    CRITICAL = "CRITICAL"
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


OptOutReason = Annotated[str, Field(min_length=10, max_length=500, pattern=r"\S")]

# The platform runs Lambda functions and S3 buckets, no EC2/ECS/EKS/RDS: runtime monitoring, RDS
# login events and EBS malware scans have nothing to watch unless a stack adds such workloads.
DEFAULT_GUARDDUTY_FEATURES = (GuardDutyFeature.S3_DATA_EVENTS, GuardDutyFeature.LAMBDA_NETWORK_LOGS)
DEFAULT_INSPECTOR_SCANS = (InspectorScan.ECR, InspectorScan.LAMBDA, InspectorScan.LAMBDA_CODE)
# Inspector scan types the platform needs (its functions; the images any container adds).
REQUIRED_INSPECTOR_SCANS = frozenset({InspectorScan.ECR, InspectorScan.LAMBDA})


class SecurityBaselineConfig(CamelInputModel):
    """Detection (GuardDuty), posture (Security Hub: AWS FSBP + PCI DSS v4.0.1), vulnerability scans
    (Inspector), change recording (AWS Config), external-access analysis (Access Analyzer) and
    findings routed to the encrypted security-alerts topic."""

    # Regions the regional services run in; None: every one of the stack's allowedRegions.
    regions: (
        Annotated[list[Annotated[str, Field(pattern=AWS_REGION_PATTERN)]], Field(min_length=1)] | None
    ) = None
    # Services this stack does not deploy, each with the reason (recorded in every rule's verdict).
    opt_out: dict[BaselineService, OptOutReason] = {}
    guard_duty_features: Annotated[list[GuardDutyFeature], Field(min_length=1)] = list(
        DEFAULT_GUARDDUTY_FEATURES
    )
    inspector_scans: Annotated[list[InspectorScan], Field(min_length=1)] = list(DEFAULT_INSPECTOR_SCANS)
    # True when this account is the organization's delegated administrator for GuardDuty and IAM
    # Access Analyzer: GuardDuty then auto-enables every member account and the analyzer's zone of
    # trust is the organization. False: a standalone account (detector and analyzer for it alone).
    delegated_administrator: StrictFlag = False
    # Findings at these severities page the alerts topic (the rest stay in Security Hub).
    alert_severities: Annotated[list[AlertSeverity], Field(min_length=1)] = [
        AlertSeverity.CRITICAL,
        AlertSeverity.HIGH,
    ]

    @field_validator("regions", "guard_duty_features", "inspector_scans", "alert_severities", mode="after")
    @classmethod
    def _no_duplicates(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return value
        duplicates = repeated(value)
        if duplicates:
            raise ValueError(f"duplicate entries: {', '.join(duplicates)}")
        return value

    @field_validator("inspector_scans", mode="after")
    @classmethod
    def _platform_scans(cls, value: list[InspectorScan]) -> list[InspectorScan]:
        missing = sorted(REQUIRED_INSPECTOR_SCANS - set(value))
        if missing:
            raise ValueError(
                f"inspectorScans must include {', '.join(missing)} (the platform's functions and images); "
                "to run without Inspector, opt out of inspector with the reason"
            )
        return value

    @property
    def analyzer_type(self) -> str:
        return "ORGANIZATION" if self.delegated_administrator else "ACCOUNT"

    def enabled(self, service: BaselineService) -> bool:
        return service not in self.opt_out

    def opt_out_reason(self, service: BaselineService) -> str | None:
        return self.opt_out.get(service)

    def regions_in_scope(self, home: str, allowed: list[str]) -> list[str]:
        """The home region first, then the others in config order."""
        chosen = self.regions if self.regions is not None else allowed
        return [home, *(r for r in chosen if r != home)]
