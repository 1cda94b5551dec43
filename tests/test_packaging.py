"""Installing supportops adds one top-level import name and nothing generic like `cli` or `policies`."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest


# Builds in the checkout's build/ folder: never at the same time as another wheel build (xdist group).
@pytest.mark.xdist_group("wheel-build")
def test_wheel_has_only_the_supportops_namespace(repo_root: Path, tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(repo_root),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("supportops-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names}
    assert {t for t in top_level if not t.endswith(".dist-info")} == {"supportops"}
    # The code folders arrive under the namespace, with their data files and the Pulumi entry point.
    for expected in (
        "supportops/stacks/program.py",
        "supportops/cli/main.py",
        "supportops/inventory/model.py",
        "supportops/policies/rule.py",
        "supportops/findings.py",
        "supportops/runbooks/access_review/quarterly.yaml",
        "supportops/runbooks/dr/customer-context.yaml",
        "supportops/reports/formats/templates/report.html.j2",
        "supportops/errors.py",
    ):
        assert expected in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "supportops = supportops.cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


NAMESPACE_ROOTS = (".", "stacks", "policies", "runbooks", "cli")


def test_no_symlink_is_tracked(repo_root: Path) -> None:
    listing = subprocess.run(
        ["git", "ls-files", "-s"], cwd=repo_root, capture_output=True, text=True, check=True
    ).stdout
    assert [line.split("\t")[1] for line in listing.splitlines() if line.startswith("120000")] == []


def test_every_supportops_folder_is_a_namespace_portion(repo_root: Path) -> None:
    # One __init__.py in any supportops/ folder would make it a regular package that hides the others.
    for root in NAMESPACE_ROOTS:
        assert (repo_root / root / "supportops").is_dir(), root
        assert not (repo_root / root / "supportops" / "__init__.py").exists(), root


def test_each_wing_resolves_to_its_own_folder(repo_root: Path) -> None:
    import supportops.cli
    import supportops.policies
    import supportops.runbooks
    import supportops.stacks

    for module in (supportops.stacks, supportops.policies, supportops.runbooks, supportops.cli):
        wing = module.__name__.split(".")[1]
        assert Path(module.__file__ or "").resolve().parent == repo_root / wing / "supportops" / wing
