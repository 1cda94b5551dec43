"""CloudTrail trails (aws:cloudtrail/trail:Trail) whose home is the region read."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread, tag_dict
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "cloudtrail"
TRAIL: Final = "aws:cloudtrail/trail:Trail"
TYPES: Final = (TRAIL,)
GLOBAL: Final = False
CALLS: Final = (("cloudtrail", "DescribeTrails"), ("cloudtrail", "ListTags"))
TAG_BATCH: Final = 20  # ListTags takes at most 20 trail ARNs


def collect(read: Reader, out: Out) -> None:
    described = read.call("DescribeTrails", includeShadowTrails=False) or {}
    trails = [t for t in described.get("trailList", []) if t.get("HomeRegion", read.region) == read.region]
    tags: dict[str, Any] = {}
    for start in range(0, len(trails), TAG_BATCH):
        batch = [t["TrailARN"] for t in trails[start : start + TAG_BATCH]]
        listed = out.sub(read, "ListTags", out.urn(TRAIL, batch[0]), ResourceIdList=batch)
        for arn in batch:
            tags[arn] = UNKNOWN
        if not isinstance(listed, Unread):
            for item in (listed or {}).get("ResourceTagList", []):
                tags[item["ResourceId"]] = tag_dict(item.get("TagsList"))
    for trail in trails:
        arn = trail["TrailARN"]
        trail_tags = tags.get(arn, {})
        out.add(
            TRAIL,
            trail["Name"],
            {
                "name": trail["Name"],
                "arn": arn,
                "s3BucketName": trail.get("S3BucketName"),
                "s3KeyPrefix": trail.get("S3KeyPrefix"),
                "kmsKeyId": trail.get("KmsKeyId"),
                "enableLogFileValidation": trail.get("LogFileValidationEnabled"),
                "isMultiRegionTrail": trail.get("IsMultiRegionTrail"),
                "includeGlobalServiceEvents": trail.get("IncludeGlobalServiceEvents"),
                "isOrganizationTrail": trail.get("IsOrganizationTrail"),
                "cloudWatchLogsGroupArn": trail.get("CloudWatchLogsLogGroupArn"),
                "cloudWatchLogsRoleArn": trail.get("CloudWatchLogsRoleArn"),
                "snsTopicName": trail.get("SnsTopicName"),
                "tags": trail_tags,
                "tagsAll": trail_tags,
            },
            arn=arn,
        )
