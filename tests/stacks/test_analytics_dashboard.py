"""The dashboard body and alarm sizing as pure functions: deterministic and laid out on the grid."""

from __future__ import annotations

import json

from supportops.stacks.components.analytics.dashboard import DashboardSpec, dashboard_body
from supportops.stacks.components.analytics.kpis import platform_kpis
from supportops.stacks.components.analytics.sla_alarms import alarm_specs
from supportops.stacks.config import ResilienceTargets, SlaTier, StackConfig

TIERS = StackConfig(environment="demo", phase="analytics").sla_tiers


def _spec(tiers: list[SlaTier] = TIERS) -> DashboardSpec:
    kpis = platform_kpis(tiers)
    return DashboardSpec(
        region="us-east-1",
        connect_instance_id="instance-1",
        targets=ResilienceTargets(),
        alarms=alarm_specs(tiers),
        alarm_arns={t.name: f"arn:alarm:{t.name}" for t in tiers},
        kpis=kpis,
        query_names={k.name: f"q-{k.name}" for k in kpis},
        workgroup="wg",
    )


def test_alarms_fire_past_each_tier_respond_target() -> None:
    specs = {s.tier: s for s in alarm_specs(TIERS)}
    assert {t: s.threshold_seconds for t, s in specs.items()} == {
        "Critical": 900,
        "High": 3600,
        "Medium": 14400,
    }
    assert all(s.queue_name == s.tier for s in specs.values())


def test_body_is_deterministic_and_widgets_do_not_overlap() -> None:
    body = dashboard_body(_spec())
    assert body == dashboard_body(_spec())
    widgets = json.loads(body)["widgets"]
    cells: set[tuple[int, int]] = set()
    for widget in widgets:
        assert widget["x"] + widget["width"] <= 24
        area = {
            (x, y)
            for x in range(widget["x"], widget["x"] + widget["width"])
            for y in range(widget["y"], widget["y"] + widget["height"])
        }
        assert not area & cells, widget
        cells |= area


def test_queue_wait_widgets_mark_each_respond_target() -> None:
    widgets = json.loads(dashboard_body(_spec()))["widgets"]
    metric = [w["properties"] for w in widgets if w["type"] == "metric"]
    assert [m["annotations"]["horizontal"][0]["value"] for m in metric] == [900, 3600, 14400]
    assert all(m["metrics"][0][-1] in {"Critical", "High", "Medium"} for m in metric)


def test_a_custom_tier_gets_its_widget_alarm_and_kpi() -> None:
    tiers = [SlaTier(name="Gold", respond_minutes=5, resolve_minutes=60)]
    body = json.loads(dashboard_body(_spec(tiers)))
    markdown = " ".join(w["properties"].get("markdown", "") for w in body["widgets"])
    assert "| Gold | 5 min |" in markdown
    assert "q-sla_compliance_gold" in markdown
    assert next(w for w in body["widgets"] if w["type"] == "alarm")["properties"]["alarms"] == [
        "arn:alarm:Gold"
    ]
