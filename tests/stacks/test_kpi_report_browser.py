"""The executive summary page in headless Chromium: it renders, produces no console output (no
errors, no CSP violations) and shows the key numbers of the sample month.

Skipped with a reason when Chromium is missing, except in CI (CI=true), where that is a failure."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from supportops.kpi_summary.model import Status
from supportops.kpi_summary.render import render_html
from supportops.kpi_summary.sources import CsvExports
from supportops.kpi_summary.summary import build_summary
from supportops.stacks.components.analytics.kpi_catalog import report_catalog
from supportops.stacks.components.analytics.sample_data import SAMPLE_DIR
from supportops.stacks.config import StackConfig


def _harness() -> ModuleType:
    """tests/reports/chromium_harness.py, by path (tests/reports is not a package)."""
    path = Path(__file__).resolve().parent.parent / "reports" / "chromium_harness.py"
    spec = importlib.util.spec_from_file_location("kpi_chromium_harness", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _text(html: str) -> str:
    text = re.sub(r"<(script|style|title)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.replace("&amp;", "&").split())


def _sample_value(name: str) -> float:
    line = next(
        line
        for line in (SAMPLE_DIR / f"{name}_monthly.csv").read_text(encoding="utf-8").splitlines()
        if line.startswith('"2026-11"')
    )
    return float(line.split(",")[1].strip('"'))


def test_summary_renders_in_chromium_without_console_output(tmp_path: Path) -> None:
    harness = _harness()
    binary = harness.find_chromium()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail(harness.MISSING + " (required in CI)")
        pytest.skip(harness.MISSING)
    tiers = StackConfig(environment="demo", phase="analytics").sla_tiers
    summary = build_summary(report_catalog(tiers), CsvExports(SAMPLE_DIR), "2026-11")
    page = tmp_path / "summary.html"
    page.write_text(render_html(summary), encoding="utf-8")
    run = harness.run_chromium(binary, page.as_uri(), tmp_path, "--dump-dom")
    assert run.console == []
    text = _text(run.stdout)
    assert "Support KPIs — executive summary 2026-11" in text
    assert f"{summary.count(Status.MET)} targets met {summary.count(Status.MISSED)} targets missed" in text
    for name in ("csat", "deflection_rate", "sla_compliance_critical", "answer_precision_bot_arm"):
        assert f"{_sample_value(name):.1f} %" in text, name
    assert f"{_sample_value('mttr_incidents'):.0f} min" in text
    assert re.search(r"1 login \d+ [\d.]+ % \d+ min \d+ min 2 billing", text)
    assert run.stdout.count('class="trend"') == len(summary.kpis) - len(summary.arms) * 3
