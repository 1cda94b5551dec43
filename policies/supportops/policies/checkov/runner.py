"""Run the pinned checkov from its own virtual environment as a subprocess, fully offline.

checkov's pins (packaging<24, an exact boto3) clash with pulumi's, so it never shares our
environment: ``scripts/_checkov_venv.sh`` installs it into ``<repo>/.venv-checkov`` and
``$SUPPORTOPS_CHECKOV`` may point at another executable. Whatever goes wrong (missing, crashing,
timing out, printing something that is not its JSON report) becomes a :class:`CheckovUnavailable`
with a readable reason, which the scan turns into an ERROR: never a silent pass.
"""

from __future__ import annotations

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
