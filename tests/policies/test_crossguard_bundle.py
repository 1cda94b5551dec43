"""`supportops crossguard build`: a pack folder that needs nothing outside itself to install."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from supportops.errors import BadInput
from supportops.policies.crossguard.bundle import build_pack


@pytest.mark.slow
@pytest.mark.xdist_group("wheel-build")  # builds in the checkout's build/ folder, as the packaging test does
def test_the_built_pack_installs_from_its_own_folder(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    wheel = build_pack(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["PulumiPolicy.yaml", "__main__.py", "requirements.txt", wheel.name]
    )
    requirements = [
        line
        for line in (out / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    # Every local requirement is a file inside the pack; the rest come from the package index.
    assert requirements == [f"./{wheel.name}", "pulumi-policy>=1.21,<2"]
    names = zipfile.ZipFile(wheel).namelist()
    assert "supportops/policies/crossguard/pack.py" in names
    assert "supportops/policies/rules/s3_bucket_cmk_encryption.py" in names
    assert "build_policies()" in (out / "__main__.py").read_text(encoding="utf-8")


def test_a_used_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BadInput, match="must be new or empty"):
        build_pack(tmp_path)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"
