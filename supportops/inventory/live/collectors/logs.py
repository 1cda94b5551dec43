"""CloudWatch Logs log groups (aws:cloudwatch/logGroup:LogGroup): one list call per 50 groups, tags
from the region's tag index."""

from __future__ import annotations

from typing import Final

from supportops.inventory.live.collector import Out
from supportops.inventory.live.reader import Reader

SERVICE: Final = "logs"
LOG_GROUP: Final = "aws:cloudwatch/logGroup:LogGroup"
TYPES: Final = (LOG_GROUP,)
GLOBAL: Final = False
CALLS: Final = (("logs", "DescribeLogGroups"),)


def collect(read: Reader, out: Out) -> None:
    for group in read.pages("DescribeLogGroups", "logGroups"):
        name = group["logGroupName"]
        arn = str(group.get("arn", "")).removesuffix(":*") or None
        tags = out.tags(arn)
        out.add(
            LOG_GROUP,
            name,
            {
                "name": name,
                "arn": arn,
                "kmsKeyId": group.get("kmsKeyId"),
                "retentionInDays": group.get("retentionInDays"),
                "logGroupClass": group.get("logGroupClass"),
                "tags": tags,
                "tagsAll": tags,
            },
            arn=arn,
        )
