"""The monthly executive summary (`supportops kpi report`) from CSV exports: exact values from
hand-written exports, the bundled sample exports, bad input as one located line (exit 2), and the
self-contained HTML page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.kpi_summary.charts import trend_svg
from supportops.kpi_summary.model import KpiSpec, Section, Status
from supportops.kpi_summary.render import render_html, to_json
from supportops.kpi_summary.sources import CsvExports
from supportops.kpi_summary.summary import build_summary, previous_months
from supportops.stacks.components.analytics.kpi_catalog import report_catalog
from supportops.stacks.components.analytics.sample_data import SAMPLE_DIR, sample_exports
from supportops.stacks.config import StackConfig

TIERS = StackConfig(environment="demo", phase="analytics").sla_tiers
CATALOG = [
    KpiSpec(name="csat", title="CSAT", description="d", unit="%", minimum=80, maximum=90),
    KpiSpec(name="aht", title="AHT", description="d", unit="min", minimum=4, maximum=12, better="lower"),
    KpiSpec(name="p50", title="P50", description="d", unit="min", better="lower"),
    KpiSpec(name="recall_bot_arm", title="R", description="d", unit="%", minimum=60,
            section=Section.PILOT_ARM, arm="bot"),
]  # fmt: skip
ISSUES_HEADER = '"period","group_value","row_count","share","p50","p95"\n'


def _exports(tmp_path: Path, **overrides: str) -> Path:
    files = {
        # a gap in 2026-09; NULL (empty) in 2026-08
        "csat_monthly.csv": '"period","value"\n"2026-08",""\n"2026-10","78.5"\n"2026-11","81.25"\n',
        "aht_monthly.csv": '"period","value"\n"2026-10","11.0"\n"2026-11","12.5"\n',
        "p50_monthly.csv": '"period","value"\n"2026-11","300"\n',
        "recall_bot_arm_monthly.csv": '"period","value"\n',
        "top_issue_types_monthly.csv": ISSUES_HEADER
        + "".join(
            f'"2026-11","k{n:02d}","{n}","{n * 100 / 75:.4f}","{n * 10}","{n * 20}"\n' for n in range(1, 13)
        )
        + '"2026-10","old","99","100","1",""\n',
    }
    files |= overrides
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_months_run_back_across_the_year() -> None:
    assert previous_months("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]


def test_each_kpi_against_its_target_with_trend_and_previous_month(tmp_path: Path) -> None:
    summary = build_summary(CATALOG, CsvExports(_exports(tmp_path)), "2026-11")
    csat, aht, p50, recall = summary.kpis
    assert (csat.value, csat.previous, csat.status) == (81.25, 78.5, Status.MET)
    assert csat.trend[-4:] == (("2026-08", None), ("2026-09", None), ("2026-10", 78.5), ("2026-11", 81.25))
    assert len(csat.trend) == 12 and csat.trend[0] == ("2025-12", None)
    # AHT: lower is better, 12.5 min is above the 4-12 range's top -> missed
    assert (aht.value, aht.status) == (12.5, Status.MISSED)
    assert (p50.value, p50.status) == (300, Status.TRACKED)
    assert (recall.value, recall.status) == (None, Status.NO_DATA)
    # 12 types in 2026-11: the 10 largest, largest first (k12 .. k03); 2026-10's row is not this month
    assert [(r.group_value, r.row_count) for r in summary.top_issues] == [
        (f"k{n:02d}", n) for n in range(12, 2, -1)
    ]
    document = to_json(summary)
    assert document["verdict"] == {"met": 1, "missed": 1, "no data": 1, "tracked": 1}
    assert document["topIssueTypes"][0] == {
        "issueType": "k12", "tickets": 12, "sharePercent": 16.0, "p50Minutes": 120.0, "p95Minutes": 240.0,
    }  # fmt: skip
    assert document["kpis"][0]["target"] == {
        "minimum": 80,
        "maximum": 90,
        "better": "higher",
        "text": "80\u201390 %",
    }


def test_ties_in_the_top_10_are_cut_by_name(tmp_path: Path) -> None:
    rows = "".join(f'"2026-11","{name}","5","10","1","2"\n' for name in ("zeta", "eta", "beta", "alpha"))
    rows += "".join(f'"2026-11","big{n}","9","10","1","2"\n' for n in range(8))
    summary = build_summary(
        CATALOG[:1],
        CsvExports(_exports(tmp_path, **{"top_issue_types_monthly.csv": ISSUES_HEADER + rows})),
        "2026-11",
    )
    assert [r.group_value for r in summary.top_issues][-3:] == ["big7", "alpha", "beta"]


def test_an_empty_month_is_no_data_not_an_error(tmp_path: Path) -> None:
    summary = build_summary(CATALOG, CsvExports(_exports(tmp_path)), "2027-03")
    assert {k.status for k in summary.kpis} == {Status.NO_DATA}
    assert summary.top_issues == ()
    assert "No tickets in 2027-03." in render_html(summary)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("csat_monthly.csv", '"period","value"\n"2026-10","1"\n"2026-11","high"\n',
         "csat_monthly.csv: row 3, column value: Input should be a valid number"),
        ("csat_monthly.csv", '"period","value"\n"2026-13","1"\n',
         "csat_monthly.csv: row 2, column period: String should match"),
        ("csat_monthly.csv", '"period"\n"2026-10"\n', None),
        ("csat_monthly.csv", '"period","value"\n"2026-10","1","2"\n',
         "csat_monthly.csv: row 2: 3 fields where the header has 2"),
        ("csat_monthly.csv", '"period","value","extra"\n"2026-10","1","2"\n',
         "csat_monthly.csv: row 2, column extra: unknown column"),
        ("csat_monthly.csv", '"period","value"\n"2026-10","1"\n"2026-10","2"\n',
         "csat_monthly.csv: row 3, column period: month 2026-10 appears twice"),
        ("top_issue_types_monthly.csv", ISSUES_HEADER + '"2026-11","x","-1","1","",""\n',
         "top_issue_types_monthly.csv: row 2, column row_count: Input should be greater than or equal to 0"),
    ],
)  # fmt: skip
def test_bad_exports_are_one_line_with_file_row_and_column_and_exit_2(
    tmp_path: Path, repo_root: Path, name: str, text: str, message: str | None
) -> None:
    exports = _exports(tmp_path, **{name: text})
    result = _invoke(repo_root, "--exports", str(exports), catalog_from_tmp=True)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    expected = message or "csat_monthly.csv: row 2, column value: required column is missing"
    assert expected in lines[0]


def _invoke(repo_root: Path, *args: str, month: str = "2026-11", catalog_from_tmp: bool = False):  # type: ignore[no-untyped-def]
    app = create_app()
    argv = [
        "kpi",
        "report",
        "--month",
        month,
        "--stack",
        "demo-analytics",
        "--project",
        str(repo_root),
        *args,
    ]
    if catalog_from_tmp:
        # the demo stack's catalog reads every KPI: give the hand-written exports the files it needs
        exports = Path(args[args.index("--exports") + 1])
        for spec in report_catalog(TIERS):
            path = exports / f"{spec.monthly_key}.csv"
            if not path.exists():
                path.write_text('"period","value"\n', encoding="utf-8")
    return CliRunner().invoke(app, argv)


def test_a_missing_export_bad_month_and_source_choice_are_usage_errors(
    tmp_path: Path, repo_root: Path
) -> None:
    missing = _invoke(repo_root, "--exports", str(tmp_path))
    assert missing.exit_code == 2 and "csat_monthly.csv: no such file" in missing.output
    month = _invoke(repo_root, "--exports", str(SAMPLE_DIR), month="2026-1")
    assert month.exit_code == 2 and "--month: expected a month as YYYY-MM" in month.output
    neither = _invoke(repo_root)
    assert neither.exit_code == 2 and "give exactly one" in neither.output


def test_bundled_sample_exports_are_current() -> None:
    expected = sample_exports(TIERS)
    bundled = {p.name: p.read_text(encoding="utf-8") for p in SAMPLE_DIR.glob("*.csv")}
    assert bundled == expected, "regenerate: python -m supportops.stacks.components.analytics.sample_data"
    assert set(expected) == {f"{s.monthly_key}.csv" for s in report_catalog(TIERS)} | {
        "top_issue_types_monthly.csv"
    }


def test_the_demo_summary_from_the_sample_exports(tmp_path: Path, repo_root: Path) -> None:
    result = _invoke(repo_root, "--exports", str(SAMPLE_DIR), "--out", str(tmp_path), "--format", "json")
    # some sample targets are missed (SLA High and Medium, MTTR, recall): exit 1
    assert result.exit_code == 1, result.output
    document = json.loads((tmp_path / "executive-summary-2026-11.json").read_text(encoding="utf-8"))
    assert json.loads(result.output) == document
    kpis = {k["name"]: k for k in document["kpis"]}
    csv_value = float(
        next(line for line in (SAMPLE_DIR / "deflection_rate_monthly.csv").read_text().splitlines()
             if line.startswith('"2026-11"')).split(",")[1].strip('"')
    )  # fmt: skip
    assert kpis["deflection_rate"]["value"] == csv_value
    assert kpis["deflection_rate"]["status"] == "met"
    assert kpis["mttr_incidents"]["status"] == "missed"
    assert {k["arm"] for k in document["kpis"] if k["section"] == "pilot_arm"} == {"bot", "agent"}
    assert {k["tier"] for k in document["kpis"] if k["section"] == "sla"} == {"Critical", "High", "Medium"}
    assert len(document["topIssueTypes"]) == 10
    assert document["verdict"]["missed"] == sum(1 for k in document["kpis"] if k["status"] == "missed")
    html = (tmp_path / "executive-summary-2026-11.html").read_text(encoding="utf-8")
    assert "default-src &#39;none&#39;" in html or "default-src 'none'" in html
    assert "<script" not in html and not re.search(r"""(src|href)=["']?(https?:|//)""", html)


def test_trend_chart_breaks_at_gaps_and_says_when_there_is_no_data() -> None:
    spec = CATALOG[0]
    trend = [("2026-08", 70.0), ("2026-09", None), ("2026-10", 78.5), ("2026-11", 81.25)]
    svg = trend_svg(spec, trend, ["70", "", "78.5", "81.25"])
    assert svg.count("<polyline") == 2  # 08 alone, then 10-11
    assert svg.count("<circle") == 3 and "2026-11: 81.25" in svg
    assert 'class="target"' in svg  # the 80-90 band
    assert "no data" in trend_svg(spec, [("2026-11", None)], [""])


def test_publish_reads_every_daily_query_of_the_catalog(tmp_path: Path, repo_root: Path) -> None:
    for spec in report_catalog(TIERS):
        (tmp_path / f"{spec.name}_daily.csv").write_text(
            '"period","value"\n"2020-01-01","1"\n', encoding="utf-8"
        )
    argv = [
        "kpi",
        "publish",
        "--stack",
        "demo-analytics",
        "--project",
        str(repo_root),
        "--exports",
        str(tmp_path),
    ]
    result = CliRunner().invoke(create_app(), argv)
    assert result.exit_code == 0, result.output
    count = len(report_catalog(TIERS))
    assert f"published 0 datapoints to CloudWatch (0 days without data, {count} outside" in result.output
    (tmp_path / "csat_daily.csv").unlink()
    missing = CliRunner().invoke(create_app(), argv)
    assert missing.exit_code == 2 and "csat_daily.csv: no such file" in missing.output
