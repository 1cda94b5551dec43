"""A CrossGuard pack folder that installs on its own, for `pulumi policy publish` and policy groups.

The pack in the repository (``policies/crossguard/``) installs the toolkit from the checkout it sits
in (``requirements.txt``: ``../..``), which is right for ``pulumi preview --policy-pack`` in a clone
but not for a pack uploaded alone. :func:`build_pack` writes a self-contained copy: the pack's files,
a wheel of this toolkit built from the checkout, and a ``requirements.txt`` naming that wheel and the
policy SDK, so every byte the published pack runs is inside its folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Final

from supportops.errors import BadInput
from supportops.source_tree import repository_root

PACK_FILES: Final = ("PulumiPolicy.yaml", "__main__.py")
POLICY_REQUIREMENTS: Final = ("pulumi-policy>=1.21,<2",)


def pack_source() -> Path:
    root = repository_root()
    if root is None:
        raise BadInput.at("supportops", "", "building a policy pack needs the supportops source checkout")
    return root / "policies" / "crossguard"


def build_pack(out: Path, *, source: Path | None = None) -> Path:
    """Write a self-contained pack into ``out`` (a new or empty folder); returns the wheel's path."""
    pack = source or pack_source()
    checkout = pack.parents[1]
    if out.exists() and any(out.iterdir()):
        raise BadInput.at(out, "", "the pack folder must be new or empty (nothing is overwritten)")
    out.mkdir(parents=True, exist_ok=True)
    for name in PACK_FILES:
        shutil.copy2(pack / name, out / name)
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(checkout),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    wheels = sorted(out.glob("supportops-*.whl"))
    if built.returncode != 0 or len(wheels) != 1:
        reason = (built.stderr.strip().splitlines() or ["no wheel was written"])[-1]
        raise BadInput.at(checkout, "", f"cannot build the supportops wheel ({reason[:200]})")
    lines = [f"./{wheels[0].name}", *POLICY_REQUIREMENTS]
    (out / "requirements.txt").write_text(
        "# Self-contained: the toolkit wheel sits in this folder (`supportops crossguard build`).\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    return wheels[0]
