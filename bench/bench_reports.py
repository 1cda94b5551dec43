"""Report formats at scale: HTML size and write time, JSON write time and peak memory (streamed
writer vs building the whole document first), every format's write time, and, when Chromium is
installed, how long the 10,000-finding HTML takes to open in it.

    .venv/bin/python bench/bench_reports.py [--findings 10000] [--json-sizes 10000,50000]

Targets (issue 5): HTML of 10,000 findings a few MB (< 5 MB) and quick to open; JSON memory flat
(the streamed writer's peak does not grow with the number of findings).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "reports"))

from chromium_harness import FLAGS, find_chromium  # noqa: E402
from report_factories import synthetic_report  # noqa: E402

from supportops.findings import Report  # noqa: E402
from supportops.reports.formats import WRITERS, json_report, writer  # noqa: E402


def _timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _peak(action: Callable[[], None]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _baseline_json(report: Report, path: Path) -> None:
    """What the writer did before streaming: build the whole document and its text, then write."""
    path.write_text(json.dumps(json_report.to_json(report), indent=2, default=str) + "\n", encoding="utf-8")


def _browser_open(binary: str, page: Path, work: Path) -> float:
    command = [binary, *FLAGS, f"--user-data-dir={work / 'profile'}", "--dump-dom", page.as_uri()]
    return _timed(lambda: subprocess.run(command, capture_output=True, timeout=180, check=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=10_000)
    parser.add_argument("--json-sizes", default="10000,50000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        report = synthetic_report(args.findings)
        print(f"findings: {args.findings}")
        for fmt in WRITERS:
            path = work / f"report.{fmt}"
            seconds = _timed(partial(writer(fmt), report, path))
            print(f"  {fmt:<6} write {seconds * 1000:8.1f} ms  size {path.stat().st_size / 1e6:6.2f} MB")

        html = work / "report.html"
        binary = find_chromium()
        if binary:
            empty = work / "empty.html"
            empty.write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
            _browser_open(binary, empty, work)  # warm the disk cache
            base = min(_browser_open(binary, empty, work) for _ in range(2))
            full = min(_browser_open(binary, html, work) for _ in range(2))
            print(f"  html   chromium --dump-dom {full:.2f} s (an empty page: {base:.2f} s; "
                  f"difference {full - base:.2f} s)")
        else:
            print("  html   chromium not installed: open time not measured")

        print("JSON peak Python memory while writing (tracemalloc):")
        for size in (int(s) for s in args.json_sizes.split(",")):
            big = synthetic_report(size)
            path = work / "big.json"
            baseline = _peak(partial(_baseline_json, big, path))
            baseline_s = _timed(partial(_baseline_json, big, path))
            streamed = _peak(partial(json_report.write, big, path))
            streamed_s = _timed(partial(json_report.write, big, path))
            print(f"  {size:>7} findings: streamed {streamed / 1e6:7.2f} MB in {streamed_s:5.2f} s | "
                  f"whole document {baseline / 1e6:7.2f} MB in {baseline_s:5.2f} s | "
                  f"streamed file {path.stat().st_size / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
