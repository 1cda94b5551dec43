"""Where this toolkit's own checkout is, for commands that default to its project files."""

from __future__ import annotations

from pathlib import Path


def repository_root() -> Path | None:
    """The checkout this module was loaded from (the folder holding Pulumi.yaml), or None when
    supportops was installed from a wheel."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "Pulumi.yaml").is_file() and (parent / "pyproject.toml").is_file():
            return parent
    return None
