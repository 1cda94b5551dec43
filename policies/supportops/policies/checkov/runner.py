"""Run the pinned checkov from its own virtual environment as a subprocess, fully offline.

checkov's pins (packaging<24, an exact boto3) clash with pulumi's, so it never shares our
environment: ``scripts/_checkov_venv.sh`` installs it into ``<repo>/.venv-checkov`` and
``$SUPPORTOPS_CHECKOV`` may point at another executable. Whatever goes wrong (missing, crashing,
timing out, printing something that is not its JSON report) becomes a :class:`CheckovUnavailable`
with a readable reason, which the scan turns into an ERROR: never a silent pass.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from supportops.source_tree import repository_root

CHECKOV_ENV_VAR: Final = "SUPPORTOPS_CHECKOV"
REPO_ROOT: Final = repository_root() or Path.cwd()
DEFAULT_TIMEOUT_SECONDS: Final = 300.0

# No platform mapping, no guideline download, no version check: nothing leaves the machine.
# EVAL_TF_PLAN_AFTER_UNKNOWN: a value the plan marks unknown until apply counts as set (see
# attributes.py), instead of missing.
OFFLINE_ENV: Final[Mapping[str, str]] = {
    "BC_SKIP_MAPPING": "TRUE",
    "EVAL_TF_PLAN_AFTER_UNKNOWN": "true",
    "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
    "LOG_LEVEL": "ERROR",
    "PYTHONWARNINGS": "ignore",
}
OFFLINE_ARGS: Final = ("--skip-download", "--compact", "-o", "json")
# Variables that would make checkov talk to a platform; never passed on.
_PLATFORM_VARS: Final = ("BC_API_KEY", "PRISMA_API_URL", "BC_API_URL", "CKV_API_KEY")


class CheckovUnavailable(Exception):
    """checkov could not produce a report; the message says why, in one line."""


@dataclass(frozen=True)
class CheckovRun:
    stdout: str
    stderr: str
    returncode: int
    seconds: float


def find_checkov(repo_root: Path = REPO_ROOT) -> Path:
    configured = os.environ.get(CHECKOV_ENV_VAR)
    candidate = Path(configured) if configured else repo_root / ".venv-checkov" / "bin" / "checkov"
    if not candidate.is_file() or not os.access(candidate, os.X_OK):
        where = f"${CHECKOV_ENV_VAR}={configured}" if configured else str(candidate)
        raise CheckovUnavailable(
            f"checkov is not installed at {where} (run scripts/_checkov_venv.sh, or set ${CHECKOV_ENV_VAR})"
        )
    return candidate


def offline_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in (os.environ if base is None else base).items() if k not in _PLATFORM_VARS}
    env.update(OFFLINE_ENV)
    return env


def run_checkov(
    args: Sequence[str],
    *,
    executable: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    cwd: Path | None = None,
) -> CheckovRun:
    """Run ``checkov <args> --skip-download --compact -o json``; exit codes 0 (all passed) and 1
    (some failed) are reports, anything else is a crash."""
    program = executable or find_checkov()
    command = [str(program), *args, *OFFLINE_ARGS]
    started = time.perf_counter()
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=offline_environment(),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise CheckovUnavailable(f"checkov timed out after {timeout:g} s") from error
    except OSError as error:
        raise CheckovUnavailable(f"checkov could not be started ({program}): {error}") from error
    run = CheckovRun(completed.stdout, completed.stderr, completed.returncode, time.perf_counter() - started)
    if run.returncode not in (0, 1):
        raise CheckovUnavailable(
            f"checkov exited with code {run.returncode}: {last_line(run.stderr) or last_line(run.stdout)}"
        )
    return run


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no output)"


# ------------------------------------------------------------------------------ one process a run

# Started before the run knows what to scan: checkov spends ~2-3 s importing its checks, which then
# overlaps with planning. While it waits it also does what checkov's first run in a process does
# anyway and keeps for later runs (the Terraform graph checks parsed from their YAML, ~0.25 s;
# detect-secrets' plugin table): the same objects, only sooner. A failure there is left to the run
# itself to meet and report. It then reads one request (arguments and working directory) and runs
# checkov exactly as its console script does, then leaves without the interpreter's teardown of
# checkov's ~4,000 modules (~0.8 s that the run would wait for: the report is read to EOF). Exit
# handlers still run and the streams are flushed first.
_WARM_DRIVER: Final = """\
import json, os, sys, warnings
warnings.simplefilter("ignore")
from checkov.main import Checkov
try:
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    get_graph_checks_registry("terraform").load_checks()
    get_mapping_from_secret_type_to_class()
except Exception:
    pass
line = sys.stdin.readline()
request = json.loads(line) if line.strip() else None
if not request:
    sys.exit(0)
os.chdir(request["cwd"])
sys.argv = ["checkov", *request["args"]]
code = Checkov(request["args"]).run()
import atexit
atexit._run_exitfuncs()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code if isinstance(code, int) else 0)
"""


def checkov_interpreter(executable: Path) -> Path | None:
    """The Python of a checkov console script (its ``#!`` line), or None for anything else (a
    wrapper, a test double): those are run as they are, never pre-started."""
    try:
        with executable.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return None
    first = head.split(b"\n", 1)[0]
    if not first.startswith(b"#!") or b"from checkov.main import Checkov" not in head:
        return None
    interpreter = Path(first[2:].decode("utf-8", "replace").strip())
    return interpreter if interpreter.is_file() and os.access(interpreter, os.X_OK) else None


def installed_checkov_version(executable: Path) -> str | None:
    """checkov's version from its virtual environment's metadata (no start-up), if found."""
    interpreter = checkov_interpreter(executable)
    if interpreter is None:
        return None
    for info in sorted(interpreter.parent.parent.glob("lib/python*/site-packages/checkov-*.dist-info")):
        return info.name.removeprefix("checkov-").removesuffix(".dist-info")
    return None


class CheckovProcess:
    """The one checkov process of a run: :meth:`start` it early (optional), :meth:`run` it once,
    :meth:`close` it always (a process started but not needed is stopped)."""

    def __init__(self, executable: Path | None = None) -> None:
        self._executable = executable
        self._process: subprocess.Popen[str] | None = None
        self._running: subprocess.Popen[str] | None = None  # given its work, not finished yet
        self._started_at = 0.0
        self.runs = 0

    def start(self, cwd: Path | None = None) -> None:
        if self._process is not None:
            return
        try:
            program = self._executable or find_checkov()
        except CheckovUnavailable:
            return  # reported by run()
        interpreter = checkov_interpreter(program)
        if interpreter is None:
            return
        try:
            self._process = subprocess.Popen(
                [str(interpreter), "-c", _WARM_DRIVER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=offline_environment(),
                cwd=cwd,
            )
        except OSError:
            self._process = None
        self._started_at = time.perf_counter()

    def run(
        self, args: Sequence[str], *, cwd: Path | None = None, timeout: float = DEFAULT_TIMEOUT_SECONDS
    ) -> CheckovRun:
        self.runs += 1
        process, self._process = self._process, None
        if process is None:
            return run_checkov(args, executable=self._executable, timeout=timeout, cwd=cwd)
        request = json.dumps({"args": [*args, *OFFLINE_ARGS], "cwd": str(cwd or Path.cwd())}) + "\n"
        started = time.perf_counter()
        self._running = process
        try:
            stdout, stderr = process.communicate(request, timeout=timeout)
        except subprocess.TimeoutExpired as error:
            process.kill()
            process.communicate()
            raise CheckovUnavailable(f"checkov timed out after {timeout:g} s") from error
        finally:
            self._running = None
        run = CheckovRun(stdout, stderr, process.returncode, time.perf_counter() - started)
        if run.returncode not in (0, 1):
            raise CheckovUnavailable(
                f"checkov exited with code {run.returncode}: {last_line(run.stderr) or last_line(run.stdout)}"
            )
        return run

    def close(self) -> None:
        """Stop the process: one started but not needed, or one still working for a run that ended
        early (a bad input in a later step): the run does not wait for its results."""
        running = self._running
        if running is not None and running.poll() is None:
            running.kill()  # its run() returns with an error, which nobody reads any more
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.communicate()
