"""A project that declares its own virtualenv (Pulumi.yaml runtime.options.virtualenv) is planned
with that interpreter, so SDKs only it has (here a stand-in pulumi-random) can be imported; their
resources are kept with their inputs, marked not evaluated, their outputs invented from the SDK."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from supportops.inventory.model import Inventory
from supportops.inventory.offline_plan import PlanRequest, plan_program
from supportops.inventory.offline_plan.runner import ProgramFailed

# A stand-in for the pulumi-random SDK, written the way Pulumi's generator writes one: a resource
# class registering its outputs, with @pulumi.getter properties carrying their types.
RANDOM_SDK = """
import pulumi


class RandomId(pulumi.CustomResource):
    def __init__(self, resource_name, byte_length, opts=None):
        props = {"byte_length": byte_length, "hex": None}
        super().__init__("random:index/randomId:RandomId", resource_name, props, opts)

    def translate_input_property(self, prop):
        return {"byte_length": "byteLength"}.get(prop, prop)

    @property
    @pulumi.getter
    def hex(self) -> pulumi.Output[str]:
        return pulumi.get(self, "hex")
"""

PROGRAM = """
import pulumi_aws as aws
import pulumi_random

suffix = pulumi_random.RandomId("suffix", byte_length=4)
aws.s3.Bucket("data", bucket=suffix.hex.apply(lambda h: f"data-{h}"))
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("own-venv")
    venv = root / "venv"
    base = getattr(sys, "_base_executable", sys.executable)  # a venv is made from the base Python
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    (site,) = (venv / "lib").glob("python*/site-packages")
    # The project's environment has Pulumi (ours, linked) and an SDK we do not have.
    (site / "shared.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    (site / "pulumi_random").mkdir()
    (site / "pulumi_random" / "__init__.py").write_text(RANDOM_SDK, encoding="utf-8")
    (root / "Pulumi.yaml").write_text(
        "name: own-venv\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n", encoding="utf-8"
    )
    (root / "Pulumi.dev.yaml").write_text("config:\n  aws:region: us-east-2\n", encoding="utf-8")
    (root / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def plan(project: Path) -> Inventory:
    return plan_program(PlanRequest(project, "dev"))


def test_the_program_is_planned_with_the_project_interpreter(project: Path, plan: Inventory) -> None:
    with pytest.raises(ProgramFailed, match="ModuleNotFoundError: No module named 'pulumi_random'"):
        plan_program(PlanRequest(project, "dev", use_project_virtualenv=False))
    assert {r.name for r in plan if r.custom and not r.type.startswith("pulumi:")} == {"suffix", "data"}


def test_another_providers_resource_is_kept_not_evaluated_with_invented_outputs(plan: Inventory) -> None:
    (suffix,) = plan.of_type("random:index/randomId:RandomId")
    assert suffix.evaluated is False
    assert suffix.inputs == {"byteLength": 4}
    assert suffix.invented == ["outputs.hex"]
    (bucket,) = plan.of_type("aws:s3/bucket:Bucket")
    assert bucket.evaluated is True
    assert bucket.inputs["bucket"] == f"data-{suffix.outputs['hex']}"
    assert "inputs.bucket" in bucket.invented


def test_the_child_needs_nothing_but_the_pulumi_sdk() -> None:
    # A project's virtualenv has Pulumi (and its own dependencies), not our validation stack.
    probe = (
        "import sys; import supportops.inventory.offline_plan.child; "
        "print(sorted(m for m in ('pydantic', 'typer', 'rich', 'supportops.loading') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
