"""The executive summary reading Athena: named queries by id from the stack outputs, run in the
stack's workgroup, results read with the paginated GetQueryResults. botocore's Stubber checks every
request against Athena's real service model (moto's Athena does not run SQL)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from supportops.errors import BadInput
from supportops.kpi_summary.model import KpiSpec, Status
from supportops.kpi_summary.sources import AthenaError, AthenaResults, StackOutputs, load_stack_outputs
from supportops.kpi_summary.summary import build_summary

WORKGROUP = "demo-kpis"
OUTPUTS = StackOutputs(
    athenaWorkgroup=WORKGROUP,
    kpiQueryIds={"csat_monthly": "11111111-1111-1111-1111-111111111111", "top_issue_types_monthly": "2222"},
)
CATALOG = [KpiSpec(name="csat", title="CSAT", description="d", unit="%", minimum=80, maximum=90)]


@pytest.fixture()
def athena() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client(
        "athena", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _row(*values: str | None) -> dict[str, Any]:
    return {"Data": [{} if v is None else {"VarCharValue": v} for v in values]}


def _expect_query(
    stubber: Stubber, query_id: str, execution_id: str, sql: str, pages: list[list[Any]]
) -> None:
    stubber.add_response(
        "get_named_query",
        {
            "NamedQuery": {
                "Name": f"demo-kpis-{query_id}",
                "Database": "demo_support_analytics",
                "QueryString": sql,
            }
        },
        {"NamedQueryId": query_id},
    )
    stubber.add_response(
        "start_query_execution",
        {"QueryExecutionId": execution_id},
        {
            "QueryString": sql,
            "QueryExecutionContext": {"Database": "demo_support_analytics"},
            "WorkGroup": WORKGROUP,
        },
    )
    stubber.add_response(
        "get_query_execution",
        {"QueryExecution": {"Status": {"State": "RUNNING"}}},
        {"QueryExecutionId": execution_id},
    )
    stubber.add_response(
        "get_query_execution",
        {"QueryExecution": {"Status": {"State": "SUCCEEDED"}}},
        {"QueryExecutionId": execution_id},
    )
    for index, rows in enumerate(pages):
        response: dict[str, Any] = {"ResultSet": {"Rows": rows}}
        if index + 1 < len(pages):
            response["NextToken"] = f"page-{index + 1}"
        params: dict[str, Any] = {"QueryExecutionId": execution_id}
        if index:
            params["NextToken"] = f"page-{index}"
        stubber.add_response("get_query_results", response, params)


def test_queries_run_in_the_stack_workgroup_and_every_page_is_read(athena: tuple[Any, Stubber]) -> None:
    client, stubber = athena
    _expect_query(
        stubber,
        "11111111-1111-1111-1111-111111111111",
        "exec-1",
        "WITH surveys AS (...) SELECT month AS period, ...",
        [
            [_row("period", "value"), _row("2026-10", "78.5")],  # the header only on the first page
            [_row("2026-11", "81.25"), _row("2026-09", None)],  # NULL: no VarCharValue
        ],
    )
    _expect_query(
        stubber,
        "2222",
        "exec-2",
        "WITH tickets AS (...) SELECT ...",
        [
            [
                _row("period", "group_value", "row_count", "share", "p50", "p95"),
                _row("2026-11", "login", "3", "75", "10", ""),
            ]
        ],
    )
    waits: list[float] = []
    source = AthenaResults(client, OUTPUTS, poll_seconds=0.5, sleep=waits.append)
    summary = build_summary(CATALOG, source, "2026-11")
    (csat,) = summary.kpis
    assert (csat.value, csat.previous, csat.status) == (81.25, 78.5, Status.MET)
    assert dict(csat.trend)["2026-09"] is None
    (issue,) = summary.top_issues
    assert (issue.group_value, issue.row_count, issue.share, issue.p50, issue.p95) == (
        "login",
        3,
        75.0,
        10.0,
        None,
    )
    assert waits == [0.5, 0.5]  # one poll while each query ran
    assert summary.source == f"Athena workgroup {WORKGROUP}"


def test_a_failed_query_is_one_line_naming_the_query(athena: tuple[Any, Stubber]) -> None:
    client, stubber = athena
    stubber.add_response(
        "get_named_query",
        {"NamedQuery": {"Name": "q", "Database": "db", "QueryString": "SELECT 1"}},
        {"NamedQueryId": "11111111-1111-1111-1111-111111111111"},
    )
    stubber.add_response("start_query_execution", {"QueryExecutionId": "exec-9"})
    stubber.add_response(
        "get_query_execution",
        {"QueryExecution": {"Status": {"State": "FAILED", "StateChangeReason": "TABLE_NOT_FOUND: surveys"}}},
    )
    with pytest.raises(
        AthenaError, match=r"^athena query csat_monthly: query exec-9 failed: TABLE_NOT_FOUND"
    ):
        AthenaResults(client, OUTPUTS, sleep=lambda _: None).rows("csat_monthly")


def test_an_api_error_is_one_line_with_its_code(athena: tuple[Any, Stubber]) -> None:
    client, stubber = athena
    stubber.add_client_error(
        "get_named_query", "AccessDeniedException", "not authorized to athena:GetNamedQuery"
    )
    with pytest.raises(
        AthenaError, match=r"athena query csat_monthly: AccessDeniedException: .*not authorized"
    ):
        AthenaResults(client, OUTPUTS, sleep=lambda _: None).rows("csat_monthly")


def test_a_query_missing_from_the_stack_outputs_is_bad_input(athena: tuple[Any, Stubber]) -> None:
    client, _ = athena
    with pytest.raises(BadInput, match=r"kpiQueryIds\.aht_monthly: no such named query"):
        AthenaResults(client, OUTPUTS).rows("aht_monthly")


def test_stack_outputs_are_read_from_pulumi_stack_output_json(tmp_path: Path) -> None:
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"athenaWorkgroup": WORKGROUP, "kpiQueryIds": {"csat": "1"}, "other": 1}))
    assert load_stack_outputs(path).kpiQueryIds == {"csat": "1"}
    path.write_text(json.dumps({"kpiQueryIds": {}}))
    with pytest.raises(BadInput, match="athenaWorkgroup: required key is missing"):
        load_stack_outputs(path)


def test_daily_values_are_published_for_the_dashboard_trend_lines(tmp_path: Path) -> None:
    from supportops.kpi_summary.publish import daily_datapoints, publish
    from supportops.kpi_summary.sources import CsvExports

    (tmp_path / "csat_daily.csv").write_text(
        '"period","value"\n"2026-11-10","70"\n"2026-11-28","75.5"\n"2026-11-29",""\n"2026-11-30","80"\n'
    )
    (tmp_path / "aht_daily.csv").write_text('"period","value"\n"2026-11-29","6.25"\n')
    catalog = [
        *CATALOG,
        KpiSpec(name="aht", title="AHT", description="d", unit="min", maximum=12, better="lower"),
    ]
    today = dt.date(2026, 11, 30)
    # the last 2 completed days: 11-28 and 11-29; 11-10 is older, 11-30 is today (still moving)
    points = daily_datapoints(catalog, CsvExports(tmp_path), today, days=2)
    assert (points.outside, points.empty) == (2, 1)
    midnight = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
    expected = [
        {"MetricName": "csat", "Timestamp": midnight, "Value": 75.5, "Unit": "Percent"},
        {"MetricName": "aht", "Timestamp": midnight + dt.timedelta(days=1), "Value": 6.25, "Unit": "None"},
    ]
    assert points.data == expected
    client = boto3.client(
        "cloudwatch", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )
    with Stubber(client) as stubber:
        stubber.add_response("put_metric_data", {}, {"Namespace": "Supportops/KPI", "MetricData": expected})
        assert publish(client, points) == 2
        stubber.assert_no_pending_responses()
    with pytest.raises(ValueError, match="between 1 and 14"):
        daily_datapoints(catalog, CsvExports(tmp_path), today, days=15)
