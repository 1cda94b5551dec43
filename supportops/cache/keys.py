"""Cache keys: SHA-256 digests of canonical JSON, of file contents, and of the installed versions
whose change must invalidate every derived result (a result is never trusted across versions)."""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Final

# The distributions whose code shapes a plan (the program's SDKs) besides our own.
PLAN_PACKAGES: Final = ("supportops", "pulumi", "pulumi-aws", "pulumi-aws-native")


def digest(*parts: Any) -> str:
    """A hex SHA-256 of ``parts`` written as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a file's bytes; None when it cannot be read (a key that never matches)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def files_match(recorded: dict[str, str | None]) -> bool:
    """True when every recorded file still has the recorded content."""
    return all(file_digest(Path(name)) == expected for name, expected in recorded.items())


def names_digest(directory: Path, suffix: str = ".py") -> str | None:
    """A digest of the names of the ``suffix`` files in ``directory``: a program that imports what
    it finds there (plugins) sees a new file even though no file it read changed."""
    try:
        names = sorted(entry.name for entry in directory.iterdir() if entry.name.endswith(suffix))
    except OSError:
        return None
    return digest(names)


def dirs_match(recorded: dict[str, str | None]) -> bool:
    return all(names_digest(Path(name)) == expected for name, expected in recorded.items())


@cache
def installed_versions(packages: tuple[str, ...] = PLAN_PACKAGES) -> dict[str, str]:
    """Versions of ``packages`` (``-`` when absent) and of Python, read from package metadata
    (no import: a cache hit must not pay for importing Pulumi)."""
    found = {"python": sys.version}
    for name in packages:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "-"
    return found
