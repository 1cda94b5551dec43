"""The runner: its buildspec parses, its commands are real CLI commands with real options reading the
environment variables the stack and the state machine set, and the bundle it installs builds from
this checkout with the console script, the ops modules and every dependency pinned."""

from __future__ import annotations

import re
import shlex
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
import typer
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from supportops.cli.app import create_app
from supportops.runbooks.ops.bundle import BUNDLE_NAME, build_runner_bundle
from supportops.stacks.components.operations import buildspec as spec
from supportops.stacks.components.operations import state_machine as sm

REPO = Path(__file__).resolve().parents[3]
# What sets each variable: the project's environment (operations_center) or the state machine's
# per-account override, and CodeBuild itself.
SET_BY_PROJECT = {spec.ENV_STACK, spec.ENV_BUCKET, spec.ENV_TOPIC, spec.ENV_NAMESPACE}
SET_BY_STATE_MACHINE = {sm.ENV_ACCOUNT, sm.ENV_JOB, sm.ENV_RUNBOOK, sm.ENV_RUN_ID}
SAMPLE = {
    spec.ENV_STACK: "demo-operations",
    spec.ENV_BUCKET: "demo-ops-evidence-abc",
    spec.ENV_TOPIC: "arn:aws:sns:us-east-1:123456789012:t",
    spec.ENV_NAMESPACE: "Supportops/Operations",
    sm.ENV_ACCOUNT: "123456789012",
    sm.ENV_JOB: "dr-drill",
    sm.ENV_RUNBOOK: "crm-idempotency",
    sm.ENV_RUN_ID: "exec-1",
    "CODEBUILD_SRC_DIR": str(REPO),
}


def test_the_buildspec_parses_and_its_run_command_is_a_real_invocation() -> None:
    document = yaml.safe_load(spec.buildspec_yaml())
    assert document["version"] == 0.2
    assert document["phases"]["install"]["runtime-versions"] == {"python": "3.11"}
    install = " ".join(document["phases"]["install"]["commands"])
    assert "constraints.txt" in install and "wheel.txt" in install
    (command,) = document["phases"]["build"]["commands"]
    invocation, tolerated = command.split(" || ")
    assert tolerated == "[ $? -eq 1 ]"  # findings (exit 1) are a completed run; anything else fails the build
    used = set(re.findall(r"\$\{?([A-Z_]+)", invocation))
    assert used == SET_BY_PROJECT | SET_BY_STATE_MACHINE | {"CODEBUILD_SRC_DIR"}
    words = shlex.split(re.sub(r"\$([A-Z_]+)", lambda m: SAMPLE[m.group(1)], invocation))
    assert words[0] == f"{spec.VENV}/bin/supportops"
    # Parse it with the CLI itself: unknown options, bad values or missing required ones raise.
    root = typer.main.get_command(create_app())
    context = root.make_context("supportops", list(words[1:]), resilient_parsing=True)
    ops_group = root.get_command(context, words[1])  # type: ignore[attr-defined]
    run_command = ops_group.get_command(context, words[2])
    parsed = run_command.make_context("run", list(words[3:]), parent=context)
    assert parsed.params["job"].value == "dr-drill"
    assert parsed.params["account"] == "123456789012"
    assert (parsed.params["bucket"], parsed.params["run_id"]) == ("demo-ops-evidence-abc", "exec-1")


@pytest.mark.xdist_group("wheel-build")  # builds in the checkout's build/ folder, one build at a time
def test_the_runner_bundle_builds_with_the_entry_point_and_pinned_dependencies(tmp_path: Path) -> None:
    bundle = build_runner_bundle(REPO, tmp_path)
    assert bundle.name == BUNDLE_NAME
    archive = zipfile.ZipFile(bundle)
    names = set(archive.namelist())
    wheel_name = archive.read("wheel.txt").decode().strip().removeprefix("./")
    assert wheel_name in names and {"constraints.txt", "Pulumi.yaml", "Pulumi.demo-operations.yaml"} <= names
    archive.extract(wheel_name, tmp_path)
    wheel = zipfile.ZipFile(tmp_path / wheel_name)
    contents = set(wheel.namelist())
    assert {
        "supportops/runbooks/ops/runner.py",
        "supportops/cli/commands/ops.py",
        "supportops/stacks/components/operations/buildspec.py",
        "supportops/runbooks/dr/crm-idempotency.yaml",
    } <= contents
    entry_points = next(n for n in contents if n.endswith("entry_points.txt"))
    assert "supportops = supportops.cli.main:main" in wheel.read(entry_points).decode()
    metadata = Parser().parsestr(wheel.read(next(n for n in contents if n.endswith("METADATA"))).decode())
    pins = dict(line.split("==") for line in archive.read("constraints.txt").decode().split())
    for requirement in map(Requirement, metadata.get_all("Requires-Dist") or []):
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            version = pins[canonicalize_name(requirement.name)]  # every runtime dependency pinned
            assert requirement.specifier.contains(version, prereleases=True)
