"""`supportops history` over synthetic runs (a year of monthly drills, quarterly reviews of two
accounts, daily compliance): the trends carry the right values, from a local folder and from the
bucket alike, and the HTML page shows them in a real browser (headless Chromium)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.runbooks.ops.history import read_bucket, read_local, trends
from supportops.runbooks.ops.history_html import render
from supportops.runbooks.ops.local import provision
from supportops.runbooks.ops.runner import SUMMARY_FILE, SUMMARY_SCHEMA

A, B = "123456789012", "210987654321"
# Monthly drills: achieved RTO in seconds (target 4 h = 14,400 s); May and September missed it.
RTO = [600, 900, 1200, 1500, 16_000, 1800, 2100, 2400, 20_000, 2700, 3000, 3300]
RPO = [60.0 + month for month in range(12)]
# (date, account, flagged): Q2 is reviewed twice in account A, the later review counts.
REVIEWS = [
    ("2026-01-02", A, 5),
    ("2026-01-02", B, 2),
    ("2026-04-01", A, 4),
    ("2026-05-20", A, 1),
    ("2026-04-01", B, 3),
    ("2026-07-01", A, 2),
    ("2026-10-01", A, 0),
    ("2026-10-01", B, 6),
]
COMPLIANCE = [("2026-11-28", {"high": 3, "medium": 1}), ("2026-11-29", {"high": 1}), ("2026-11-30", {})]
SEVERITIES = ("info", "low", "medium", "high", "critical")


def _summary(job: str, account: str, run_id: str, at: str, **fields: Any) -> dict[str, Any]:
    failing = fields.pop("failing", {})
    by_severity = {s: failing.get(s, 0) for s in SEVERITIES}
    document = {
        "schema": SUMMARY_SCHEMA,
        "job": job,
        "account": account,
        "accountName": "x",
        "runId": run_id,
        "startedAt": f"{at}T07:00:00+00:00",
        "finishedAt": f"{at}T07:05:00+00:00",
        "status": "PASS",
        "exitCode": 0,
        "failingBySeverity": by_severity,
        "errors": 0,
        "drills": [],
        "principals": None,
        "principalsFlagged": None,
        "problems": [],
        "bundles": [],
        "location": f"s3://bucket/{job}/{account}/{run_id}/",
        "notification": None,
    }
    document.update(fields)
    if sum(by_severity.values()) or any(d["rtoStatus"] == "FAIL" for d in document["drills"]):
        document["status"] = "FAIL"
    return document


def synthetic_runs() -> list[dict[str, Any]]:
    runs = []
    for month, (rto, rpo) in enumerate(zip(RTO, RPO, strict=True), start=1):
        missed = rto > 14_400
        drill = {
            "runbook": "crm-idempotency",
            "step": "idempotency-pitr",
            "rtoSeconds": float(rto),
            "rtoTargetSeconds": 14_400.0,
            "rpoSeconds": rpo,
            "rpoTargetSeconds": 900.0,
            "rtoStatus": "FAIL" if missed else "PASS",
            "rpoStatus": "PASS",
        }
        runs.append(
            _summary(
                "dr-drill",
                A,
                f"dr-{month:02d}",
                f"2026-{month:02d}-06",
                drills=[drill],
                failing={"high": 1} if missed else {},
            )
        )
    for index, (day, account, flagged) in enumerate(REVIEWS):
        runs.append(
            _summary(
                "access-review",
                account,
                f"ar-{index}",
                day,
                principalsFlagged=flagged,
                failing={"medium": flagged},
            )
        )
    for index, (day, failing) in enumerate(COMPLIANCE):
        runs.append(_summary("compliance", A, f"cc-{index}", day, failing=failing))
    return runs


def write_folder(root: Path) -> Path:
    for run in synthetic_runs():
        folder = root / run["job"] / run["account"] / run["runId"]
        folder.mkdir(parents=True)
        (folder / SUMMARY_FILE).write_text(json.dumps(run), encoding="utf-8")
        (folder / "report.json").write_text("{}", encoding="utf-8")  # bundles are not read
    return root


def test_trends_from_a_local_folder_carry_the_right_values(tmp_path: Path) -> None:
    found = trends(read_local(write_folder(tmp_path)))
    assert len(found.runs) == 12 + len(REVIEWS) + len(COMPLIANCE) >= 12
    assert [r.started_at for r in found.runs] == sorted(r.started_at for r in found.runs)
    rto = found.drills[("crm-idempotency/idempotency-pitr", "RTO")]
    assert [p.achieved for p in rto] == [float(v) for v in RTO]
    assert {p.target for p in rto} == {14_400.0}
    assert [p.at.month for p in rto if p.status == "FAIL"] == [5, 9]
    rpo = found.drills[("crm-idempotency/idempotency-pitr", "RPO")]
    assert [p.achieved for p in rpo] == RPO
    # Q2: account A's later review (1) counts, not its first (4); plus B's 3.
    assert found.flags_per_quarter == {"2026-Q1": 7, "2026-Q2": 4, "2026-Q3": 2, "2026-Q4": 6}
    compliance = [r.failing for r in found.runs if r.job == "compliance"]
    assert compliance == [4, 1, 0]


def test_history_reads_the_bucket_like_the_folder(endpoint: str, tmp_path: Path) -> None:
    ops = provision(endpoint, "-history")
    s3 = ops.client("s3")
    for run in synthetic_runs():
        key = f"{run['job']}/{run['account']}/{run['runId']}/{SUMMARY_FILE}"
        s3.put_object(Bucket=ops.bucket, Key=key, Body=json.dumps(run).encode())
    from_bucket = trends(read_bucket(s3, ops.bucket))
    from_folder = trends(read_local(write_folder(tmp_path)))
    assert from_bucket.to_json() == from_folder.to_json()
    result = CliRunner().invoke(
        create_app(), ["history", "--bucket", ops.bucket, "--endpoint-url", endpoint, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["accessReviewFlagsPerQuarter"] == from_folder.flags_per_quarter


def test_a_summary_that_is_not_one_is_refused_with_its_location(tmp_path: Path) -> None:
    folder = tmp_path / "dr-drill" / A / "x"
    folder.mkdir(parents=True)
    (folder / SUMMARY_FILE).write_text('{"schema": "other/v1", "job": "dr-drill"}', encoding="utf-8")
    result = CliRunner().invoke(create_app(), ["history", "--from", str(tmp_path)])
    assert result.exit_code == 2
    assert SUMMARY_FILE in result.output and "Traceback" not in result.output


def _harness() -> ModuleType:
    """The browser harness of tests/reports (loaded by path: test folders are not packages)."""
    if "chromium_harness" in sys.modules:
        return sys.modules["chromium_harness"]
    path = Path(__file__).resolve().parents[2] / "reports" / "chromium_harness.py"
    spec = importlib.util.spec_from_file_location("chromium_harness", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["chromium_harness"] = module  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_the_history_page_shows_the_trends_in_a_browser(tmp_path: Path) -> None:
    harness = _harness()
    binary = harness.find_chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(harness.MISSING + " (required in CI)")
        pytest.skip(harness.MISSING)
    page = tmp_path / "history.html"
    page.write_text(render(trends(read_local(write_folder(tmp_path / "runs")))), encoding="utf-8")
    run = harness.run_chromium(binary, page.as_uri(), tmp_path, "--dump-dom")
    assert run.console == []
    dom = run.stdout
    rto_chart = re.search(
        r'<svg[^>]*data-drill="crm-idempotency/idempotency-pitr"[^>]*data-measure="RTO".*?</svg>',
        dom,
        flags=re.S,
    )
    assert rto_chart
    points = re.findall(r'<circle class="point( missed)?"[^>]*data-value="([^"]+)"', rto_chart.group(0))
    assert [float(value) for _, value in points] == [float(v) for v in RTO]
    assert [i + 1 for i, (missed, _) in enumerate(points) if missed] == [5, 9]
    quarters = dict(re.findall(r'data-quarter="([^"]+)" data-value="(\d+)"', dom))
    assert quarters == {"2026-Q1": "7", "2026-Q2": "4", "2026-Q3": "2", "2026-Q4": "6"}
    columns = re.findall(r'<g class="run" data-run="([^"]+)" data-job="[^"]+" data-value="(\d+)"', dom)
    assert len(columns) == 12 + len(REVIEWS) + len(COMPLIANCE)
    assert dict(columns)["dr-05"] == "1" and dict(columns)["cc-0"] == "4"
