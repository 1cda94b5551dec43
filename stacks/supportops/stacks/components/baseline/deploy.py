"""Build the security baseline's services for a stack: the ones its config does not opt out of, in
every region in scope (``securityBaseline.regions``, default every allowed region)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi

from supportops.stacks.components.baseline.access_analyzer import (
    ExternalAccessAnalysis,
    ExternalAccessAnalysisArgs,
)
from supportops.stacks.components.baseline.config_recorder import (
    ConfigurationRecording,
    ConfigurationRecordingArgs,
)
from supportops.stacks.components.baseline.findings_routing import (
    FindingsRouting,
    FindingsRoutingArgs,
    routing_patterns,
)
from supportops.stacks.components.baseline.security_hub import SecurityPosture, SecurityPostureArgs
from supportops.stacks.components.baseline.threat_detection import ThreatDetection, ThreatDetectionArgs
from supportops.stacks.components.baseline.vulnerability_scanning import (
    VulnerabilityScanning,
    VulnerabilityScanningArgs,
)
from supportops.stacks.config.security_baseline import BaselineService
from supportops.stacks.context import PlatformContext


@dataclass(frozen=True)
class AuditDestination:
    """Where recorded configuration goes: the audit bucket (its policy already lets Config write) and key."""

    bucket_name: pulumi.Input[str]
    bucket_arn: pulumi.Input[str]
    kms_key_arn: pulumi.Input[str]
    bucket: pulumi.Resource  # waited for: its policy must exist before the first delivery


@dataclass(frozen=True)
class DetectionServices:
    detection: ThreatDetection | None
    recording: ConfigurationRecording | None
    posture: SecurityPosture | None
    scanning: VulnerabilityScanning | None
    access: ExternalAccessAnalysis | None
    routing: FindingsRouting | None


def build_detection_services(context: PlatformContext, audit: AuditDestination) -> DetectionServices:
    settings = context.config.security_baseline
    regions = context.config.baseline_regions()
    opts = context.component_opts()
    on = settings.enabled
    detection = (
        ThreatDetection(
            context.name("guardduty"),
            ThreatDetectionArgs(
                regions=regions,
                features=settings.guard_duty_features,
                delegated_administrator=settings.delegated_administrator,
            ),
            opts=opts,
        )
        if on(BaselineService.GUARDDUTY)
        else None
    )
    recording = (
        ConfigurationRecording(
            context.name("config"),
            ConfigurationRecordingArgs(
                regions=regions,
                account_id=context.account_id,
                bucket_name=audit.bucket_name,
                bucket_arn=audit.bucket_arn,
                kms_key_arn=audit.kms_key_arn,
                partition=context.partition,
                wait_for=(audit.bucket,),
            ),
            opts=opts,
        )
        if on(BaselineService.CONFIG_RECORDER)
        else None
    )
    posture = (
        SecurityPosture(
            context.name("securityhub"),
            SecurityPostureArgs(
                regions=regions,
                partition=context.partition,
                # Security Hub's controls read AWS Config's recorded items.
                wait_for=tuple(recording.statuses.values()) if recording else (),
            ),
            opts=opts,
        )
        if on(BaselineService.SECURITY_HUB)
        else None
    )
    scanning = (
        VulnerabilityScanning(
            context.name("inspector"),
            VulnerabilityScanningArgs(
                regions=regions, account_id=context.account_id, scans=settings.inspector_scans
            ),
            opts=opts,
        )
        if on(BaselineService.INSPECTOR)
        else None
    )
    access = (
        ExternalAccessAnalysis(
            context.name("access-analyzer"),
            ExternalAccessAnalysisArgs(regions=regions, analyzer_type=settings.analyzer_type),
            opts=opts,
        )
        if on(BaselineService.ACCESS_ANALYZER)
        else None
    )
    routing = None
    patterns = routing_patterns(
        settings.alert_severities,
        security_hub=posture is not None,
        guardduty=detection is not None,
        inspector=scanning is not None,
    )
    if on(BaselineService.FINDINGS_ROUTING) and patterns:
        routing = FindingsRouting(
            context.name("security-findings"),
            FindingsRoutingArgs(region=context.region, kms_key_arn=audit.kms_key_arn, patterns=patterns),
            opts=opts,
        )
    return DetectionServices(detection, recording, posture, scanning, access, routing)
