"""A quick start: `supportops` loads a command's module only when that command runs (or the help lists
every command), so `supportops comply` in the edit loop pays neither for boto3 nor for Pulumi, nor for
typer building commands it never runs; and every command the help lists still runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys

from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.version import __version__

# Modules `supportops --version` and building `comply` must not load (with every module below them).
FORBIDDEN = ("boto3", "botocore", "pulumi", "pulumi_aws", "rich.markdown")

# A fresh interpreter: the console script's `--version`, then `comply` resolved as a run resolves it.
PROBE = """
import json, sys
import typer
from typer.main import get_command
from supportops.cli import main

sys.argv = ["supportops", "--version"]
try:
    main.main()
except SystemExit as done:
    code = done.code
root = get_command(main.create_app())
comply = root.get_command(typer.Context(root), "comply")
forbidden = %r
print(json.dumps({
    "code": code,
    "comply_options": sorted(o for p in comply.params for o in p.opts),
    "forbidden": sorted(m for m in sys.modules if any(m == f or m.startswith(f + ".") for f in forbidden)),
    "commands": sorted(m for m in sys.modules if m.startswith("supportops.cli.commands.")),
}))
"""

LISTED = [
    "plan", "comply", "drift", "history", "config", "evidence", "crossguard", "access-review", "dr",
    "kpi", "privacy", "ops", "report",
]


def test_version_and_building_comply_load_no_aws_pulumi_or_markdown_module() -> None:
    run = subprocess.run(
        [sys.executable, "-c", PROBE % (FORBIDDEN,)], capture_output=True, text=True, check=True, timeout=60
    )
    version, report = run.stdout.splitlines()
    assert version == f"supportops {__version__}"
    probe = json.loads(report)
    assert probe["code"] == 0
    assert {"--stack", "--checkov", "--format", "--out"} <= set(probe["comply_options"])
    assert probe["forbidden"] == []
    assert probe["commands"] == ["supportops.cli.commands.comply"]  # no other command was loaded


def test_every_command_the_help_lists_runs_its_help() -> None:
    runner = CliRunner()
    listing = runner.invoke(create_app(), ["--help"], env={"COLUMNS": "100"})
    assert listing.exit_code == 0, listing.output
    panel = listing.output[listing.output.index("─ Commands ─"):]
    names = re.findall(r"^│ ([a-z][a-z-]*) {2,}\S", panel, flags=re.MULTILINE)
    assert names == LISTED
    for name in names:
        result = runner.invoke(create_app(), [name, "--help"], env={"COLUMNS": "100"})
        assert result.exit_code == 0, (name, result.output)
        assert f"Usage: supportops {name} [OPTIONS]" in result.output
