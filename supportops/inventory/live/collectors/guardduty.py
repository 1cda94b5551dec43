"""GuardDuty detectors (aws:guardduty/detector:Detector) with their protection plans
(aws:guardduty/detectorFeature:DetectorFeature) and, in the delegated administrator account, the
organization's auto-enable settings (aws:guardduty/organizationConfiguration:OrganizationConfiguration,
aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature)."""

from __future__ import annotations

from typing import Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "guardduty"
DETECTOR: Final = "aws:guardduty/detector:Detector"
FEATURE: Final = "aws:guardduty/detectorFeature:DetectorFeature"
ORGANIZATION: Final = "aws:guardduty/organizationConfiguration:OrganizationConfiguration"
ORGANIZATION_FEATURE: Final = (
    "aws:guardduty/organizationConfigurationFeature:OrganizationConfigurationFeature"
)
TYPES: Final = (DETECTOR, FEATURE, ORGANIZATION, ORGANIZATION_FEATURE)
GLOBAL: Final = False
CALLS: Final = (
    ("guardduty", "ListDetectors"),
    ("guardduty", "GetDetector"),
    ("guardduty", "DescribeOrganizationConfiguration"),
)
# A member (not delegated administrator) account cannot read the organization's configuration.
NOT_ADMINISTRATOR: Final = ("BadRequestException", "AccessDeniedException")


def collect(read: Reader, out: Out) -> None:
    for detector_id in read.pages("ListDetectors", "DetectorIds"):
        urn = out.urn(DETECTOR, detector_id)
        got = out.sub(read, "GetDetector", urn, absent=("ResourceNotFoundException",), DetectorId=detector_id)
        if got is None:
            continue
        if isinstance(got, Unread):
            out.add(DETECTOR, detector_id, {"enable": UNKNOWN})
            continue
        tags = dict(got.get("Tags") or {})
        out.add(
            DETECTOR,
            detector_id,
            {
                "enable": got.get("Status") == "ENABLED",
                "findingPublishingFrequency": got.get("FindingPublishingFrequency"),
                "tags": tags,
                "tagsAll": tags,
            },
        )
        for feature in got.get("Features") or []:
            out.add(
                FEATURE,
                f"{detector_id}/{feature['Name']}",
                {
                    "detectorId": detector_id,
                    "name": feature.get("Name"),
                    "status": feature.get("Status"),
                },
            )
        organization = out.sub(
            read, "DescribeOrganizationConfiguration", urn, absent=NOT_ADMINISTRATOR, DetectorId=detector_id
        )
        if organization is None or isinstance(organization, Unread):
            continue
        out.add(
            ORGANIZATION,
            detector_id,
            {
                "detectorId": detector_id,
                "autoEnableOrganizationMembers": organization.get("AutoEnableOrganizationMembers"),
            },
        )
        for feature in organization.get("Features") or []:
            out.add(
                ORGANIZATION_FEATURE,
                f"{detector_id}/{feature['Name']}",
                {
                    "detectorId": detector_id,
                    "name": feature.get("Name"),
                    "autoEnable": feature.get("AutoEnable"),
                },
            )
