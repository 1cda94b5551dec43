"""A fresh clone deploys with only the Pulumi CLI added: what Pulumi's toolchain installs is enough to
run the program from Pulumi.yaml's `main`.

Pulumi's pip toolchain (the one Pulumi.yaml names) creates the virtualenv named in
`runtime.options.virtualenv` under the project root, upgrades pip/setuptools/wheel, then runs
`pip install -r requirements.txt` with the *program directory* (`main`) as its working directory;
nothing else is installed. This test does exactly that into a fresh virtual environment and plans
the foundation phase from there under Pulumi's mock runtime.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml


def _project(repo_root: Path) -> dict[str, object]:
    loaded = yaml.safe_load((repo_root / "Pulumi.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_pulumi_yaml_names_the_pip_toolchain_and_a_program_with_requirements(repo_root: Path) -> None:
    project = _project(repo_root)
    runtime = project["runtime"]
    assert isinstance(runtime, dict) and runtime["name"] == "python"
    assert runtime["options"].get("toolchain", "pip") == "pip"
    assert runtime["options"]["virtualenv"] == ".venv"
    program_dir = repo_root / str(project["main"])
    assert (program_dir / "__main__.py").is_file()
    requirements = (program_dir / "requirements.txt").read_text(encoding="utf-8")
    specs = [line.strip() for line in requirements.splitlines() if line.strip() and not line.startswith("#")]
    # The toolkit itself, resolved from the program directory: the checkout's pyproject.toml.
    assert specs == ["-e .."]
    assert ((program_dir / "..").resolve() / "pyproject.toml").is_file()


@pytest.mark.slow
@pytest.mark.xdist_group("wheel-build")  # the editable install writes the egg-info, as builds do
def test_what_pulumi_installs_runs_the_program(repo_root: Path, tmp_path: Path) -> None:
    project = _project(repo_root)
    program_dir = repo_root / str(project["main"])
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip", "setuptools", "wheel"], check=True, timeout=600, env=env)
    subprocess.run([*pip, "-r", "requirements.txt"], cwd=program_dir, check=True, timeout=900, env=env)

    out = tmp_path / "plan.json"
    done = subprocess.run(
        [
            str(venv / "bin" / "supportops"),
            "plan",
            "--stack",
            "demo-foundation",
            "--project",
            str(repo_root),
            "--format",
            "json",
            "--out",
            str(out),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    inventory = json.loads(out.read_text(encoding="utf-8"))
    types = {resource["type"] for resource in inventory["resources"]}
    assert {"aws:connect/instance:Instance", "aws:kms/key:Key", "aws:cloudtrail/trail:Trail"} <= types
