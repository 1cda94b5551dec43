"""Plan a program with the interpreter of its project's own virtualenv.

A project may depend on SDKs we do not ship (pulumi-random, -tls, -docker, awsx…). When Pulumi.yaml
names a virtualenv (``runtime.options.virtualenv``) that is not the one we run in, the planner runs
there as a child process, with only our core package added to its path: the child needs nothing but
the Pulumi SDK the project already has. The resolved spec goes in on stdin, the inventory comes back
as JSON in a file (the program may print to stdout), a failure as one line on stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from supportops.inventory.model import Inventory
from supportops.inventory.offline_plan.session import ProgramFailed, ProgramSpec, ProgramStuck

# The folder that holds the `supportops` core (a namespace package portion: no __init__ there).
_CORE_ROOT = Path(__file__).resolve().parents[3]
_EXTRA_SECONDS = 60.0  # start-up and imports on top of the child's own watchdog


def project_interpreter(project_dir: Path, project: Any) -> Path | None:
    """The Python of the project's declared virtualenv, if it exists and is not ours."""
    runtime = getattr(project, "runtime", None)
    options = getattr(runtime, "options", None) or {}
    declared = options.get("virtualenv") if isinstance(options, dict) else None
    if not isinstance(declared, str) or not declared:
        return None
    venv = (project_dir / declared).resolve()
    if venv == Path(sys.prefix).resolve():
        return None
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.is_file():
            return candidate
    return None


def plan_in_interpreter(python: Path, spec: ProgramSpec) -> Inventory:
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(_CORE_ROOT), environment.get("PYTHONPATH", "")) if p
    )
    with tempfile.TemporaryDirectory(prefix="supportops-plan-") as workdir:
        out = Path(workdir) / "inventory.json"
        command = [str(python), "-m", "supportops.inventory.offline_plan.child", str(out)]
        try:
            done = subprocess.run(
                command,
                input=json.dumps(spec.to_json()),
                capture_output=True,
                text=True,
                env=environment,
                cwd=spec.project_dir,
                timeout=spec.watchdog_seconds + _EXTRA_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ProgramStuck(
                f"planning in {python} made no progress for {spec.watchdog_seconds + _EXTRA_SECONDS:g} s "
                "and was stopped"
            ) from None
        if done.returncode != 0 or not out.is_file():
            lines = [line for line in done.stderr.splitlines() if line.strip()]
            last = lines[-1].removeprefix("error: ") if lines else f"exit code {done.returncode}"
            error = ProgramStuck if "made no progress" in last else ProgramFailed
            raise error(f"{last} (planned with {python})")
        return Inventory.from_json(json.loads(out.read_text(encoding="utf-8")))
