"""Where the repository's own project files are, for commands that default to them."""

from __future__ import annotations

from pathlib import Path

from supportops.source_tree import repository_root as source_checkout


def repository_root() -> Path:
    """The directory holding this toolkit's Pulumi.yaml: the current directory when it is a
    supportops checkout, else the source tree this package was installed from."""
    cwd = Path.cwd()
    if (cwd / "Pulumi.yaml").is_file():
        return cwd
    return source_checkout() or cwd
