"""Where a finding points in the repository: the program line that declared the resource, or the
input file the resource was read from.

Code-scanning dashboards (GitHub's SARIF ingestion) need a file and a line for every result. An
offline plan knows the program's own line for each resource (recorded while the program runs, see
:mod:`supportops.inventory.offline_plan.source_locations`); a state export, a preview file or a live
account do not, so their findings point at the input file itself (at the line naming the resource's
URN when there is one) and say so (``kind`` is ``input``).

Paths are POSIX and relative to the repository root (the nearest folder holding ``.git``, else the
project folder), so they stay the same from one checkout to another.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

#: Location kinds: the program statement that declared the resource, or the input file read.
PROGRAM: Final = "program"
INPUT: Final = "input"


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A file and a 1-based line span (columns 1-based too, ``end_column`` exclusive, as SARIF).

    ``component_*`` is the line inside the component library that created the resource, when a
    component did (the program line is then where the component was instantiated)."""

    file: str
    line: int
    end_line: int | None = None
    column: int | None = None
    end_column: int | None = None
    kind: str = PROGRAM
    component_file: str | None = None
    component_line: int | None = None

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"file": self.file, "line": self.line, "kind": self.kind}
        if self.end_line is not None:
            document["endLine"] = self.end_line
        if self.column is not None:
            document["column"] = self.column
        if self.end_column is not None:
            document["endColumn"] = self.end_column
        if self.component_file is not None:
            document["component"] = {"file": self.component_file, "line": self.component_line}
        return document

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> SourceLocation | None:
        """The location a ``to_json`` wrote; None for null or anything malformed (an old cache)."""
        if not isinstance(data, Mapping):
            return None
        file, line = data.get("file"), data.get("line")
        if not isinstance(file, str) or not file or not isinstance(line, int) or not _line(line):
            return None
        component = data.get("component")
        component = component if isinstance(component, Mapping) else {}
        return cls(
            file=file,
            line=line,
            end_line=data.get("endLine") if _line(data.get("endLine")) else None,
            column=data.get("column") if _line(data.get("column")) else None,
            end_column=data.get("endColumn") if _line(data.get("endColumn")) else None,
            kind=INPUT if data.get("kind") == INPUT else PROGRAM,
            component_file=component.get("file") if isinstance(component.get("file"), str) else None,
            component_line=component.get("line") if _line(component.get("line")) else None,
        )

    def display(self) -> str:
        """``file:line`` (what a CI log and an editor understand)."""
        return f"{self.file}:{self.line}"


def _line(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


@lru_cache(maxsize=64)
def repository_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``.git``; ``start`` itself when none does."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (POSIX); the path as given when it lies outside ``root``."""
    if not _inside(path, root):
        return path.as_posix()
    return Path(os.path.relpath(path.resolve(), root)).as_posix()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


# `"urn": "urn:pulumi:..."` as Pulumi writes it (stack export, preview JSON): one per resource.
_URN_LINE = re.compile(rb'"urn"\s*:\s*"(urn:pulumi:[^"\\]*)"')


def urn_lines(path: Path) -> dict[str, tuple[int, int]]:
    """URN -> (line, line length) of its first ``"urn": ...`` in a Pulumi JSON file (one pass)."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    found: dict[str, tuple[int, int]] = {}
    for number, text in enumerate(data.splitlines(), start=1):
        if b'"urn"' not in text:
            continue
        for match in _URN_LINE.finditer(text):
            urn = match.group(1).decode("utf-8", "replace")
            found.setdefault(urn, (number, len(text.decode("utf-8", "replace"))))
    return found


def input_location(path: Path, root: Path, line: int = 1, length: int | None = None) -> SourceLocation:
    return SourceLocation(
        file=relative_path(path, root),
        line=line,
        end_line=line,
        column=1,
        end_column=(length + 1) if length else None,
        kind=INPUT,
    )
