"""Publish each KPI's daily values (the ``<kpi>_daily`` named queries) as CloudWatch metrics, so the
operations dashboard can draw its trend lines: namespace :data:`KPI_METRIC_NAMESPACE`, metric name
the KPI's name, one datapoint per completed day stamped at 00:00 UTC.

Run it once a day for the day before (``days=1``, the default). CloudWatch keeps every sample it is
sent, so publishing a day twice averages the two values; to fill a gap, publish the missing days
once (``days`` up to 14: CloudWatch refuses datapoints more than two weeks old). Today is never
published: its value is still moving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from supportops.errors import SupportopsError
from supportops.kpi_summary.model import KPI_METRIC_NAMESPACE, DailyRow, KpiSpec
from supportops.kpi_summary.sources import ResultSource, validate_rows

MAX_AGE_DAYS = 14
BATCH = 1000  # PutMetricData takes at most 1000 datapoints per call
UNITS = {"%": "Percent", "min": "None", "score": "None"}


@dataclass(frozen=True)
class Datapoints:
    data: list[dict[str, Any]]
    outside: int  # days not in the range published
    empty: int


def daily_datapoints(
    catalog: Sequence[KpiSpec], source: ResultSource, today: dt.date, days: int = 1
) -> Datapoints:
    """The datapoints of the ``days`` completed days before ``today``; other days are counted as
    outside the range, days without data as empty."""
    if not 1 <= days <= MAX_AGE_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_AGE_DAYS}")
    oldest = today - dt.timedelta(days=days)
    data: list[dict[str, Any]] = []
    outside = empty = 0
    for spec in catalog:
        where, rows = source.rows(f"{spec.name}_daily")
        for row in validate_rows(where, rows, DailyRow):
            if row.value is None:
                empty += 1
            elif not oldest <= row.day < today:
                outside += 1
            else:
                stamp = dt.datetime.combine(row.day, dt.time(0, 0), tzinfo=dt.UTC)
                data.append(
                    {
                        "MetricName": spec.name,
                        "Timestamp": stamp,
                        "Value": row.value,
                        "Unit": UNITS[spec.unit],
                    }
                )
    return Datapoints(data, outside, empty)


class PublishError(SupportopsError):
    """CloudWatch refused the datapoints."""


def publish(client: Any, points: Datapoints) -> int:
    for start in range(0, len(points.data), BATCH):
        try:
            client.put_metric_data(
                Namespace=KPI_METRIC_NAMESPACE, MetricData=points.data[start : start + BATCH]
            )
        except Exception as exc:  # botocore's ClientError: one line, not a traceback
            code = getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
            raise PublishError(
                f"cloudwatch PutMetricData: {code}: {' '.join(str(exc).split())[:300]}"
            ) from None
    return len(points.data)
