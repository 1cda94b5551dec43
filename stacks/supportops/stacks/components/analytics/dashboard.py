"""The operations dashboard: targets (uptime, RTO/RPO, SLA tiers), queue waits against each tier's
respond target, the SLA alarms, and per KPI a widget naming its Athena queries (28-day value, daily
and monthly trends) and target next to its daily trend line over the rolling 28 days.

The trend lines plot the custom metric ``KPI_NAMESPACE/<kpi name>`` (one datapoint per day, the
value of the ``<kpi>_daily`` query, published by ``supportops kpi publish``), with the target drawn
as a band or a line.

The body is rendered by a pure function from plain values, so it is deterministic and testable;
the component only resolves the outputs it needs and passes them in."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from supportops.kpi_summary.model import KPI_METRIC_NAMESPACE
from supportops.stacks.components.analytics.datasets import WINDOW_DAYS
from supportops.stacks.components.analytics.kpis import Granularity, KpiDefinition, Target
from supportops.stacks.components.analytics.sla_alarms import (
    CONNECT_NAMESPACE,
    PERIOD_SECONDS,
    QUEUE_WAIT_METRIC,
    AlarmSpec,
)
from supportops.stacks.config import ResilienceTargets

WIDTH = 24
HALF = 12
KPI_NAMESPACE = KPI_METRIC_NAMESPACE  # published by `supportops kpi publish`
DAY_SECONDS = 86_400


@dataclass(frozen=True)
class DashboardSpec:
    region: str
    connect_instance_id: str
    targets: ResilienceTargets
    alarms: Sequence[AlarmSpec]
    alarm_arns: Mapping[str, str]  # by tier
    kpis: Sequence[KpiDefinition]
    query_names: Mapping[str, str]  # by query key (kpi name, <name>_daily, <name>_monthly, ...)
    workgroup: str


def _targets_markdown(spec: DashboardSpec) -> str:
    t = spec.targets
    lines = [
        "## Targets",
        f"Uptime **{t.uptime_percent:g} %** · RTO **{t.rto_minutes} min** · RPO **{t.rpo_minutes} min**",
        "",
        "| Tier | Respond within |",
        "|---|---|",
        *(f"| {a.tier} | {a.threshold_seconds // 60} min |" for a in spec.alarms),
    ]
    return "\n".join(lines)


def _kpi_markdown(kpi: KpiDefinition, spec: DashboardSpec) -> str:
    target = kpi.target.describe(kpi.unit) if kpi.target else "tracked, no target"
    daily = spec.query_names[kpi.query_name(Granularity.DAY)]
    monthly = spec.query_names[kpi.query_name(Granularity.MONTH)]
    return (
        f"### {kpi.title}\n{kpi.description}\n\nTarget: **{target}**\n\n"
        f"Athena workgroup `{spec.workgroup}`, saved query `{spec.query_names[kpi.name]}` (rolling 28 days); "
        f"trends `{daily}` (per day) and `{monthly}` (per month)"
    )


def _target_annotations(target: Target | None) -> dict[str, Any]:
    if target is None:
        return {}
    if target.minimum is not None and target.maximum is not None:
        band = [{"label": "target", "value": target.minimum}, {"value": target.maximum}]
        return {"horizontal": [band]}
    if target.minimum is not None:
        return {"horizontal": [{"label": "target (minimum)", "value": target.minimum, "fill": "below"}]}
    return {"horizontal": [{"label": "target (maximum)", "value": target.maximum, "fill": "above"}]}


def _trend_widget(kpi: KpiDefinition, spec: DashboardSpec) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "title": f"{kpi.title} ({kpi.unit.value}), per day over {WINDOW_DAYS} days",
        "region": spec.region,
        "view": "timeSeries",
        "stat": "Average",
        "period": DAY_SECONDS,
        "start": f"-P{WINDOW_DAYS}D",
        "metrics": [[KPI_NAMESPACE, kpi.name, {"label": kpi.title}]],
    }
    annotations = _target_annotations(kpi.target)
    if annotations:
        properties["annotations"] = annotations
    return {"type": "metric", "properties": properties}


def dashboard_body(spec: DashboardSpec) -> str:
    widgets: list[dict[str, Any]] = []
    y = 0

    def place(widget: dict[str, Any], width: int, height: int) -> None:
        nonlocal y
        row_used = sum(w["width"] for w in widgets if w["y"] == y)
        if row_used + width > WIDTH:
            y += max(w["height"] for w in widgets if w["y"] == y)
            row_used = 0
        widgets.append({**widget, "x": row_used, "y": y, "width": width, "height": height})

    place({"type": "text", "properties": {"markdown": _targets_markdown(spec)}}, WIDTH, 6)
    for alarm in spec.alarms:
        place(
            {
                "type": "metric",
                "properties": {
                    "title": f"{alarm.tier}: longest queue wait (s)",
                    "region": spec.region,
                    "view": "timeSeries",
                    "stat": "Maximum",
                    "period": PERIOD_SECONDS,
                    "metrics": [
                        [
                            CONNECT_NAMESPACE,
                            QUEUE_WAIT_METRIC,
                            "InstanceId",
                            spec.connect_instance_id,
                            "MetricGroup",
                            "Queue",
                            "QueueName",
                            alarm.queue_name,
                        ]
                    ],
                    "annotations": {
                        "horizontal": [{"label": "respond target", "value": alarm.threshold_seconds}]
                    },
                },
            },
            HALF,
            6,
        )
    place(
        {
            "type": "alarm",
            "properties": {
                "title": "SLA alarms",
                "alarms": [spec.alarm_arns[a.tier] for a in spec.alarms],
            },
        },
        WIDTH,
        3,
    )
    for kpi in spec.kpis:
        place({"type": "text", "properties": {"markdown": _kpi_markdown(kpi, spec)}}, HALF, 5)
        place(_trend_widget(kpi, spec), HALF, 5)
    return json.dumps({"widgets": widgets}, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class OperationsDashboardArgs:
    region: str
    connect_instance_id: pulumi.Input[str]
    targets: ResilienceTargets
    alarms: Sequence[AlarmSpec]
    alarm_arns: Mapping[str, pulumi.Input[str]]
    kpis: Sequence[KpiDefinition]
    query_names: Mapping[str, pulumi.Input[str]]
    workgroup: pulumi.Input[str]


class OperationsDashboard(pulumi.ComponentResource):
    dashboard: aws.cloudwatch.Dashboard

    def __init__(
        self, name: str, args: OperationsDashboardArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("supportops:analytics:OperationsDashboard", name, None, opts)

        def render(values: dict[str, Any]) -> str:
            return dashboard_body(
                DashboardSpec(
                    region=args.region,
                    connect_instance_id=str(values["instance"]),
                    targets=args.targets,
                    alarms=args.alarms,
                    alarm_arns=values["alarms"],
                    kpis=args.kpis,
                    query_names=values["queries"],
                    workgroup=str(values["workgroup"]),
                )
            )

        body = pulumi.Output.from_input(
            {
                "instance": args.connect_instance_id,
                "alarms": dict(args.alarm_arns),
                "queries": dict(args.query_names),
                "workgroup": args.workgroup,
            }
        ).apply(render)
        self.dashboard = aws.cloudwatch.Dashboard(
            name, dashboard_name=name, dashboard_body=body, opts=pulumi.ResourceOptions(parent=self)
        )
        self.register_outputs({"dashboardName": self.dashboard.dashboard_name})
