"""Without a terminal (a runner's log), long runs print timestamped progress lines on stderr as they
go, never only at the end; ``--quiet`` silences them; stdout stays the machine-readable result."""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
from pathlib import Path

from supportops.progress import WaitMilestones, progress_sink

STAMPED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (?P<message>.+)$")


def _supportops(*args: str) -> list[str]:
    return [sys.executable, "-c", "from supportops.cli.main import main; main()", *args]


def test_a_drill_with_piped_output_prints_its_stage_before_it_ends(tmp_path: Path) -> None:
    process = subprocess.Popen(
        _supportops("dr", "demo", "customer-context", "--out", str(tmp_path / "dr"), "-f", "json"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONUNBUFFERED": "0"},
    )
    assert process.stderr is not None and process.stdout is not None
    try:
        stage_line = ""
        for line in process.stderr:
            if STAMPED.match(line.strip()):
                stage_line = line.strip()
                # Freeze the drill the moment its stage line arrives: its result (stdout) must not
                # exist yet, so the line was written while the drill ran, not flushed at the end.
                process.send_signal(signal.SIGSTOP)
                break
        assert stage_line, "no timestamped stage line on stderr"
        readable, _, _ = select.select([process.stdout], [], [], 0)
        assert not readable, "the drill had already printed its result when the stage line arrived"
        process.send_signal(signal.SIGCONT)
        out, _rest = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGCONT)
            process.kill()
    match = STAMPED.match(stage_line)
    assert match is not None
    assert match["message"] == "drill customer-context: customer-context-pitr"
    assert process.returncode == 0
    assert json.loads(out)["title"].startswith("DR drill")


def test_quiet_silences_progress_lines_but_not_the_result(tmp_path: Path) -> None:
    done = subprocess.run(
        _supportops("--quiet", "dr", "demo", "customer-context", "--out", str(tmp_path / "dr"), "-f", "json"),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert not [line for line in done.stderr.splitlines() if STAMPED.match(line)]
    assert json.loads(done.stdout)["summary"]["PASS"] > 0


def test_a_long_wait_reports_its_start_then_after_30_s_then_every_minute() -> None:
    lines: list[str] = []
    with progress_sink(lines.append):
        wait = WaitMilestones("restored table ACTIVE")
        for seconds in (0.0, 10.0, 29.0, 31.0, 60.0, 90.0, 92.0, 151.0, 153.0):
            wait.waited(seconds)
        wait.finished(160.0)
    assert lines == [
        "waiting for restored table ACTIVE",
        "still waiting for restored table ACTIVE (31 s)",
        "still waiting for restored table ACTIVE (92 s)",
        "still waiting for restored table ACTIVE (153 s)",
        "restored table ACTIVE: reached after 160.0 s",
    ]


def test_a_wait_that_never_waited_and_a_run_without_listener_say_nothing() -> None:
    lines: list[str] = []
    with progress_sink(lines.append):
        WaitMilestones("bucket versioning").finished(0.1)
    WaitMilestones("nobody listens").waited(0.0)  # no sink: no error, no output
    assert lines == []
