"""The runner bundle CodeBuild installs (its S3 source, ``runner/supportops-runner.zip`` in the
evidence bucket): the supportops wheel built from this checkout, the exact versions of its
dependencies it was tested with (``constraints.txt``), the name of the wheel (``wheel.txt``) and the
project's stack files (the job's config and the DR runbooks' targets). No container image."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from supportops.atomic import atomic_binary
from supportops.errors import SupportopsError
from supportops.stacks.components.operations.buildspec import buildspec_yaml

BUNDLE_NAME = "supportops-runner.zip"


def pinned_requirements(wheel: Path) -> list[str]:
    """``name==version`` for every dependency the wheel needs, transitively, as installed here."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode("utf-8")
    pending = [
        line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Requires-Dist:")
    ]
    pinned: dict[str, str] = {}
    while pending:
        requirement = Requirement(pending.pop())
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue  # an extra (dev, demo) or another platform
        key = canonicalize_name(requirement.name)
        if key in pinned:
            continue
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            raise SupportopsError(
                f"{requirement.name} is required by the wheel but not installed here"
            ) from None
        pinned[key] = f"{key}=={distribution.version}"
        pending += distribution.requires or []
    return sorted(pinned.values())


def build_wheel(project: Path, out: Path) -> Path:
    completed = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(project)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        tail = completed.stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise SupportopsError(f"building the wheel failed: {tail[0]}")
    (wheel,) = out.glob("supportops-*.whl")
    return wheel


def build_runner_bundle(project: Path, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / BUNDLE_NAME
    with tempfile.TemporaryDirectory(prefix="supportops-bundle-") as scratch:
        wheel = build_wheel(project, Path(scratch))
        constraints = "\n".join(pinned_requirements(wheel)) + "\n"
        with atomic_binary(target) as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(wheel, wheel.name)
            archive.writestr("wheel.txt", f"./{wheel.name}\n")
            archive.writestr("constraints.txt", constraints)
            archive.writestr("buildspec.yml", buildspec_yaml())  # for reading; the project's is inline
            for stack_file in sorted(project.glob("Pulumi*.yaml")):
                archive.write(stack_file, stack_file.name)
    return target
