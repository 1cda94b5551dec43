"""The dashboard body and alarm sizing as pure functions: deterministic and laid out on the grid."""

from __future__ import annotations

import json
from typing import Any

from supportops.stacks.components.analytics.dashboard import KPI_NAMESPACE, DashboardSpec, dashboard_body
from supportops.stacks.components.analytics.kpis import named_queries, platform_kpis
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
        query_names={q.key: f"q-{q.key}" for q in named_queries(kpis)},
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
    metric = [
        w["properties"]
        for w in widgets
        if w["type"] == "metric" and w["properties"]["metrics"][0][0] != KPI_NAMESPACE
    ]
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


def _trend_widgets() -> dict[str, dict[str, Any]]:
    widgets = json.loads(dashboard_body(_spec()))["widgets"]
    return {
        w["properties"]["metrics"][0][1]: w["properties"]
        for w in widgets
        if w["type"] == "metric" and w["properties"]["metrics"][0][0] == KPI_NAMESPACE
    }


def test_every_kpi_has_a_daily_trend_line_over_28_days_with_its_target() -> None:
    trends = _trend_widgets()
    assert set(trends) == {k.name for k in platform_kpis(TIERS)}
    assert all(t["period"] == 86_400 and t["start"] == "-P28D" for t in trends.values())
    # a range target is a band, a minimum or maximum a line, no target no annotation
    assert trends["csat"]["annotations"]["horizontal"] == [[{"label": "target", "value": 80}, {"value": 90}]]
    assert trends["deflection_rate"]["annotations"]["horizontal"] == [
        [{"label": "target", "value": 15}, {"value": 40}]
    ]
    (mttr,) = trends["mttr_incidents"]["annotations"]["horizontal"]
    assert (mttr["value"], mttr["fill"]) == (240, "above")
    (precision,) = trends["answer_precision"]["annotations"]["horizontal"]
    assert (precision["value"], precision["fill"]) == (80, "below")
    assert "annotations" not in trends["agent_contact_rate_bot_arm"]


def test_kpi_text_names_the_window_query_and_both_trend_queries() -> None:
    widgets = json.loads(dashboard_body(_spec()))["widgets"]
    markdown = " ".join(w["properties"].get("markdown", "") for w in widgets)
    for name in ("mttr_incidents", "deflection_rate", "answer_recall_bot_arm"):
        assert f"saved query `q-{name}`" in markdown
        assert f"`q-{name}_daily` (per day) and `q-{name}_monthly` (per month)" in markdown
