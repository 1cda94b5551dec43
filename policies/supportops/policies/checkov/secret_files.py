"""The files checkov's secrets scan of a directory reads, found the way checkov walks it.

Listing them ourselves lets the scan be cached per file (keyed by the file's content) and lets one
checkov process scan just the changed files (``-f``) next to the plans. The walk follows checkov's
``--enable-secret-scan-all-files`` directory walk: ``--skip-path`` regular expressions searched in
the joined path (and as plain substrings), and checkov's own skipped names.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Final

# checkov's secrets EXCLUDED_PATHS (checkov/secrets/utils.py): names skipped wherever they appear.
CHECKOV_SKIPPED_NAMES: Final = frozenset(
    {"node_modules", ".terraform", ".serverless", ".external_modules", ".idea", ".git", "venv"}
)


def _excluded(full_path: str, patterns: Sequence[re.Pattern[str]], raw: Sequence[str]) -> bool:
    return any(p.search(full_path) for p in patterns) or any(text in full_path for text in raw)


def scanned_files(root: Path, exclude: Sequence[str]) -> list[str]:
    """Paths relative to ``root`` (POSIX), sorted, of every file the secrets scan reads."""
    patterns = []
    for text in exclude:
        try:
            patterns.append(re.compile(text.replace(".terraform", r"\.terraform")))
        except re.error:
            continue
    found: list[str] = []
    top = str(root)
    for directory, dirs, files in os.walk(top):
        # A directory whose contents would all be excluded is not walked (checkov walks it and drops
        # each file; the files kept are the same).
        dirs[:] = [
            d for d in dirs
            if d not in CHECKOV_SKIPPED_NAMES
            and not _excluded(f"{directory}/{d}", patterns, exclude)
            and not _excluded(f"{directory}/{d}/", patterns, exclude)
        ]
        for name in files:
            full = f"{directory}/{name}"
            if name in CHECKOV_SKIPPED_NAMES or _excluded(full, patterns, exclude):
                continue
            found.append(os.path.relpath(full, top).replace(os.sep, "/"))
    return sorted(found)


def content_digests(root: Path, files: Sequence[str]) -> dict[str, str | None]:
    digests: dict[str, str | None] = {}
    for name in files:
        try:
            digests[name] = hashlib.sha256((root / name).read_bytes()).hexdigest()
        except OSError:
            digests[name] = None
    return digests
