"""The pre-commit hook this repository provides: a manifest pre-commit accepts, whose command parses
with the real CLI and, run as pre-commit runs it, checks the stack and passes on the demo."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from cli_parsing import parse_command_line
from pre_commit.clientlib import load_manifest

REPO_ROOT = Path(__file__).resolve().parents[2]
MANIFEST = REPO_ROOT / ".pre-commit-hooks.yaml"


def test_the_manifest_is_valid_for_pre_commit() -> None:
    hooks = load_manifest(str(MANIFEST))
    assert [hook["id"] for hook in hooks] == ["supportops-comply"]


def test_the_hook_command_parses_and_runs_once_per_commit_not_per_file() -> None:
    (hook,) = load_manifest(str(MANIFEST))
    argv = [*shlex.split(hook["entry"]), *hook["args"]]
    assert parse_command_line(argv) == ["supportops", "comply"]
    assert hook["pass_filenames"] is False  # the stack is planned whole, whatever file changed
    assert hook["language"] == "python"


def test_the_hook_triggers_on_the_files_that_shape_a_verdict() -> None:
    (hook,) = load_manifest(str(MANIFEST))
    files = re.compile(hook["files"])
    shaping = ("Pulumi.prod-foundation.yaml", "stacks/supportops/stacks/phases/foundation.py", "waivers.yaml")
    for path in shaping:
        assert files.search(path), path
    for path in ("README.md", "docs/cli.md", "out/report.html"):
        assert not files.search(path), path


def test_the_hook_as_pre_commit_runs_it_passes_on_the_demo_stack() -> None:
    (hook,) = load_manifest(str(MANIFEST))
    words = [*shlex.split(hook["entry"]), *hook["args"]]
    # pre-commit runs `entry args...` in the repository root with the package installed.
    done = subprocess.run(
        [sys.executable, "-c", "from supportops.cli.main import main; main()", *words[1:]],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
