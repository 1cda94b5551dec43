"""ThreatDetection: a GuardDuty detector in every region in scope, with the protection plans that fit
the platform (S3 data events for the recordings/transcripts buckets, Lambda network activity for the
CRM functions), publishing findings every 15 minutes. In the organization's delegated administrator
account it also auto-enables GuardDuty and the same plans in every member account."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.config.security_baseline import GuardDutyFeature

PUBLISHING_FREQUENCY = "FIFTEEN_MINUTES"  # the shortest: findings reach EventBridge sooner
# Runtime monitoring runs an agent; AWS manages it for these workloads when asked to.
RUNTIME_AGENTS = ("EC2_AGENT_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EKS_ADDON_MANAGEMENT")


@dataclass(frozen=True)
class ThreatDetectionArgs:
    regions: Sequence[str]
    features: Sequence[GuardDutyFeature]
    delegated_administrator: bool = False


class ThreatDetection(pulumi.ComponentResource):
    detectors: dict[str, aws.guardduty.Detector]

    def __init__(
        self, name: str, args: ThreatDetectionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:baseline:ThreatDetection", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.detectors = {}
        for region in args.regions:
            detector = aws.guardduty.Detector(
                f"{name}-{region}",
                enable=True,
                finding_publishing_frequency=PUBLISHING_FREQUENCY,
                region=region,
                opts=child,
            )
            self.detectors[region] = detector
            for feature in args.features:
                aws.guardduty.DetectorFeature(
                    f"{name}-{region}-{feature.value.lower().replace('_', '-')}",
                    detector_id=detector.id,
                    name=feature.value,
                    status="ENABLED",
                    additional_configurations=_agents(feature),
                    region=region,
                    opts=child,
                )
            if args.delegated_administrator:
                self._organization(name, region, detector, args.features)
        self.register_outputs({"detectorIds": {r: d.id for r, d in self.detectors.items()}})

    def _organization(
        self, name: str, region: str, detector: aws.guardduty.Detector, features: Sequence[GuardDutyFeature]
    ) -> None:
        child = pulumi.ResourceOptions(parent=self)
        aws.guardduty.OrganizationConfiguration(
            f"{name}-{region}-organization",
            detector_id=detector.id,
            auto_enable_organization_members="ALL",
            region=region,
            opts=child,
        )
        for feature in features:
            aws.guardduty.OrganizationConfigurationFeature(
                f"{name}-{region}-organization-{feature.value.lower().replace('_', '-')}",
                detector_id=detector.id,
                name=feature.value,
                auto_enable="ALL",
                region=region,
                opts=child,
            )


def _agents(
    feature: GuardDutyFeature,
) -> list[aws.guardduty.DetectorFeatureAdditionalConfigurationArgs] | None:
    if feature is not GuardDutyFeature.RUNTIME_MONITORING:
        return None
    return [
        aws.guardduty.DetectorFeatureAdditionalConfigurationArgs(name=agent, status="ENABLED")
        for agent in RUNTIME_AGENTS
    ]
