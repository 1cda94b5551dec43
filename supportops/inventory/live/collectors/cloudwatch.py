"""CloudWatch metric alarms (aws:cloudwatch/metricAlarm:MetricAlarm): one list call per 100 alarms."""

from __future__ import annotations

from typing import Final

from supportops.inventory.live.collector import Out
from supportops.inventory.live.reader import Reader

SERVICE: Final = "cloudwatch"
ALARM: Final = "aws:cloudwatch/metricAlarm:MetricAlarm"
TYPES: Final = (ALARM,)
GLOBAL: Final = False
CALLS: Final = (("cloudwatch", "DescribeAlarms"),)


def collect(read: Reader, out: Out) -> None:
    for alarm in read.pages("DescribeAlarms", "MetricAlarms", AlarmTypes=["MetricAlarm"]):
        name = alarm["AlarmName"]
        arn = alarm.get("AlarmArn")
        tags = out.tags(arn)
        dimensions = {d["Name"]: d["Value"] for d in alarm.get("Dimensions") or []}
        out.add(
            ALARM,
            name,
            {
                "name": name,
                "arn": arn,
                "actionsEnabled": alarm.get("ActionsEnabled"),
                "alarmActions": alarm.get("AlarmActions") or None,
                "okActions": alarm.get("OKActions") or None,
                "insufficientDataActions": alarm.get("InsufficientDataActions") or None,
                "alarmDescription": alarm.get("AlarmDescription"),
                "metricName": alarm.get("MetricName"),
                "namespace": alarm.get("Namespace"),
                "statistic": alarm.get("Statistic"),
                "period": alarm.get("Period"),
                "evaluationPeriods": alarm.get("EvaluationPeriods"),
                "threshold": alarm.get("Threshold"),
                "comparisonOperator": alarm.get("ComparisonOperator"),
                "treatMissingData": alarm.get("TreatMissingData"),
                "dimensions": dimensions or None,
                "tags": tags,
                "tagsAll": tags,
            },
            arn=arn,
        )
