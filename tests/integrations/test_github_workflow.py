"""The reusable GitHub Actions workflow platform engineers call: valid for GitHub, every supportops
command in it parses with the real CLI, the SARIF it writes is the file it uploads, and checkov is
the version the project pins."""

from __future__ import annotations

import json
import re
import shlex
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from cli_parsing import parse_command_line

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO_ROOT / ".github" / "workflows"
REUSABLE = WORKFLOWS / "supportops-comply.yml"
UPLOAD_SARIF = "github/codeql-action/upload-sarif@"
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")
# Values a caller could pass, to turn the workflow's expressions and variables into a command line.
SAMPLE_VALUES = {"STACK": "demo-foundation", "PROJECT": ".", "SARIF": "supportops-demo-foundation.sarif"}


def _load(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1); GitHub reads it as "on".
    if True in document:
        document["on"] = document.pop(True)
    return document


def _github_workflow_schema() -> dict[str, Any]:
    vendor = resources.files("check_jsonschema") / "builtin_schemas" / "vendor" / "github-workflows.json"
    schema = json.loads(vendor.read_text(encoding="utf-8"))
    assert isinstance(schema, dict)
    return schema


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_workflow_is_valid_for_github(path: Path) -> None:
    jsonschema.validate(_load(path), _github_workflow_schema())


def _steps() -> list[dict[str, Any]]:
    steps = _load(REUSABLE)["jobs"]["comply"]["steps"]
    assert isinstance(steps, list)
    return steps


def _supportops_lines(script: str) -> list[str]:
    lines = [line.strip() for line in script.replace("\\\n", " ").splitlines()]
    return [line for line in lines if line.startswith("supportops ")]


def _expand(line: str, env: dict[str, str]) -> list[str]:
    words = shlex.split(line)
    values = {**SAMPLE_VALUES, **env}
    return [re.sub(r"\$\{?(\w+)\}?", lambda m: values[m.group(1)], word) for word in words]


def test_every_supportops_command_in_the_workflow_parses_with_the_cli() -> None:
    commands = []
    for step in _steps():
        env = {
            name: ("--checkov" if "checkov" in str(value) else str(value))
            for name, value in step.get("env", {}).items()
        }
        for line in _supportops_lines(step.get("run", "")):
            argv = _expand(line, env)
            commands.append(parse_command_line(argv))
    assert commands == [["supportops", "comply"]]


def test_the_uploaded_file_is_the_sarif_comply_writes_and_upload_has_permission() -> None:
    workflow = _load(REUSABLE)
    job = workflow["jobs"]["comply"]
    comply_step = next(step for step in _steps() if step.get("id") == "comply")
    (line,) = _supportops_lines(comply_step["run"])
    words = shlex.split(line)
    assert words[words.index("--format") + 1] == "sarif"
    assert words[words.index("--out") + 1] == "$SARIF"
    uploads = [step for step in _steps() if str(step.get("uses", "")).startswith(UPLOAD_SARIF)]
    (upload,) = uploads
    assert upload["with"]["sarif_file"] == "${{ env.SARIF }}"
    # One upload per stack, each with its own category: GitHub refuses several runs of one tool
    # under one category.
    assert "matrix.stack" in upload["with"]["category"]
    assert job["permissions"]["security-events"] == "write"
    assert "always()" in upload["if"], "findings must be uploaded even when comply exits 1"


def test_every_input_is_used_and_every_expression_names_a_declared_input() -> None:
    workflow = _load(REUSABLE)
    declared = set(workflow["on"]["workflow_call"]["inputs"])
    text = REUSABLE.read_text(encoding="utf-8")
    used = {
        name
        for expression in EXPRESSION.findall(text)
        for name in re.findall(r"inputs\.([A-Za-z0-9_-]+)", expression)
    }
    assert used == declared


def test_the_workflow_installs_the_checkov_version_the_project_pins() -> None:
    script = (REPO_ROOT / "scripts" / "_checkov_venv.sh").read_text(encoding="utf-8")
    pinned = re.search(r'^CHECKOV_VERSION="([^"]+)"$', script, re.MULTILINE)
    assert pinned is not None
    assert _load(REUSABLE)["jobs"]["comply"]["env"]["CHECKOV_VERSION"] == pinned.group(1)


def test_the_repository_ci_calls_the_reusable_workflow_on_every_demo_stack() -> None:
    ci = _load(WORKFLOWS / "ci.yml")
    call = ci["jobs"]["comply"]
    assert call["uses"] == "./.github/workflows/supportops-comply.yml"
    stacks = json.loads(call["with"]["stacks"])
    demo_files = REPO_ROOT.glob("Pulumi.demo-*.yaml")
    demo_stacks = sorted(path.name.removeprefix("Pulumi.").removesuffix(".yaml") for path in demo_files)
    assert sorted(stacks) == demo_stacks
    assert ci["jobs"]["tests"]["steps"][-1]["run"] == "./.ci/run"
