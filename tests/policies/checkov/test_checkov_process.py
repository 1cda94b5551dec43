"""The one checkov process of a run: started early (its imports overlap with planning), given its
arguments once, stopped when not needed; anything that is not a checkov console script is run as is."""

from __future__ import annotations

import json
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from supportops.inventory.model import Inventory
from supportops.policies.checkov.plan import to_terraform_plan
from supportops.policies.checkov.runner import (
    CheckovProcess,
    CheckovUnavailable,
    checkov_interpreter,
    find_checkov,
    installed_checkov_version,
    run_checkov,
)

FAKE_MAIN = '''\
import json, os, sys, time
open(os.environ["FAKE_MARKER"], "w").write(str(time.time()))  # written when imported


class Checkov:
    def __init__(self, argv):
        self.argv = argv

    def run(self):
        print(json.dumps({"argv": self.argv, "cwd": os.getcwd(), "sys_argv": sys.argv}))
        return 1
'''


def console_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A checkov console script whose `checkov.main` is a stand-in (on PYTHONPATH)."""
    package = tmp_path / "lib" / "checkov"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "main.py").write_text(FAKE_MAIN, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "lib"))
    monkeypatch.setenv("FAKE_MARKER", str(tmp_path / "imported"))
    script = tmp_path / "checkov"
    script.write_text(f"#!{sys.executable}\nfrom checkov.main import Checkov\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_a_started_process_imports_before_it_is_given_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = console_script(tmp_path, monkeypatch)
    assert checkov_interpreter(script) == Path(sys.executable)
    process = CheckovProcess(script)
    process.start(tmp_path)
    deadline = time.monotonic() + 30
    while not (tmp_path / "imported").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (tmp_path / "imported").exists()  # imported while the run was still planning
    work = tmp_path / "work"
    work.mkdir()
    run = process.run(["--framework", "secrets", "-f", "a.py"], cwd=work)
    answer = json.loads(run.stdout)
    assert answer["argv"][:4] == ["--framework", "secrets", "-f", "a.py"]
    assert {"--skip-download", "--compact", "-o", "json"} <= set(answer["argv"])
    assert Path(answer["cwd"]) == work and answer["sys_argv"][0] == "checkov"
    process.close()


def test_a_process_not_needed_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    process = CheckovProcess(console_script(tmp_path, monkeypatch))
    process.start(tmp_path)
    started = process._process
    assert started is not None and started.poll() is None
    process.close()
    assert started.poll() is not None


def test_anything_else_runs_as_it_is(tmp_path: Path) -> None:
    wrapper = tmp_path / "checkov"
    wrapper.write_text(f"#!{sys.executable}\nimport sys\nprint('not json')\n", encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    assert checkov_interpreter(wrapper) is None
    process = CheckovProcess(wrapper)
    process.start(tmp_path)  # nothing to start: a wrapper is run once, when its arguments are known
    assert process._process is None
    assert process.run(["--version"], cwd=tmp_path).stdout.strip() == "not json"


def test_a_crashing_started_process_is_unavailable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = console_script(tmp_path, monkeypatch)
    (tmp_path / "lib" / "checkov" / "main.py").write_text("raise SystemExit(3)\n", encoding="utf-8")
    process = CheckovProcess(script)
    process.start(tmp_path)
    with pytest.raises(CheckovUnavailable, match="exited with code 3"):
        process.run(["--version"], cwd=tmp_path)


def test_the_installed_checkov_is_a_console_script_with_a_version() -> None:
    checkov = find_checkov()
    assert checkov_interpreter(checkov) is not None
    version = installed_checkov_version(checkov)
    assert version is not None and version[0].isdigit()


def test_closing_a_run_that_ended_early_stops_the_working_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = console_script(tmp_path, monkeypatch)
    main = tmp_path / "lib" / "checkov" / "main.py"
    main.write_text(main.read_text(encoding="utf-8").replace("    def run(self):\n",
                                                             "    def run(self):\n        time.sleep(60)\n"))
    process = CheckovProcess(script)
    process.start(tmp_path)
    errors: list[Exception] = []

    def work() -> None:
        try:
            process.run(["--version"], cwd=tmp_path)
        except CheckovUnavailable as error:
            errors.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    deadline = time.monotonic() + 30
    while process._running is None and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    process.close()
    worker.join(timeout=30)
    assert not worker.is_alive() and time.monotonic() - started < 20
    assert len(errors) == 1 and "exited with code" in str(errors[0])


def _canonical(stdout: str) -> list[str]:
    """checkov's results, order-free (checkov orders results and evaluated keys by set iteration)."""
    reports = json.loads(stdout)
    rows = []
    for report in reports if isinstance(reports, list) else [reports]:
        for kind in ("passed_checks", "failed_checks", "skipped_checks"):
            for check in report["results"].get(kind, []):
                check = dict(check)
                result = check["check_result"]
                check["check_result"] = {k: v for k, v in result.items() if k != "evaluated_keys"}
                rows.append(json.dumps([report["check_type"], kind, check], sort_keys=True))
    return sorted(rows)


def test_the_started_process_reports_what_the_console_script_reports(
    checkov_installed: None, noncompliant: Inventory, tmp_path: Path
) -> None:
    """The pre-started driver loads checkov's graph checks and secret plugins while it waits: the
    results of a plan and a secrets scan must equal a plain `checkov` run of the same arguments."""
    conversion = to_terraform_plan(noncompliant)
    (tmp_path / "plan.json").write_text(json.dumps(conversion.plan), encoding="utf-8")
    key = "AKIA" + "QWERTYUIOPASDFGH"  # split: this file is itself in the repository's secrets scan
    (tmp_path / "settings.py").write_text(f'aws_access_key_id = "{key}"\n', encoding="utf-8")
    args = ["--framework", "terraform_plan", "secrets", "-f", "plan.json", "--enable-secret-scan-all-files",
            "-f", "settings.py"]
    process = CheckovProcess()
    process.start(tmp_path)
    started = _canonical(process.run(args, cwd=tmp_path).stdout)
    plain = _canonical(run_checkov(args, cwd=tmp_path).stdout)
    assert started == plain
    assert any('"CKV2_AWS_' in row for row in started)  # graph checks ran in the started process
    assert any('"secrets"' in row and "failed_checks" in row for row in started)
