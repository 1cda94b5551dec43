"""Record, for every resource the program constructs, the line of the program that declared it.

The monitor sees a registration on an executor thread, long after the program's own frame is gone;
the resource's constructor runs in the program's frame. A stack transformation (Pulumi's public hook
that runs synchronously inside ``Resource.__init__`` for every resource of the stack) walks the
caller's frames outward and keeps:

- the first frame outside Pulumi's SDKs (any installed package, the standard library, this planner)
  and outside our component library: the program's statement (the whole call expression's span);
- the innermost frame inside the component library, when a component created the resource.

It returns None, so the program is planned exactly as without it. The cost is one short frame walk
per resource (measured with bench/bench_plan.py; see docs/inventory.md).
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
import sysconfig
from pathlib import Path
from types import FrameType
from typing import Any

from supportops.inventory.model import STACK_TYPE
from supportops.locations import SourceLocation, relative_path, repository_root

_PLANNER_DIR = str(Path(__file__).resolve().parent)
_MAX_FRAMES = 200  # a recursion-heavy program: stop looking rather than walk forever


def _installed_prefixes() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    prefixes = {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib") if key in paths}
    prefixes.add(_PLANNER_DIR)
    # Resolved and as given: a virtualenv's site-packages may be reached through a symlink.
    return tuple(sorted({p for prefix in prefixes for p in (prefix, str(Path(prefix).resolve()))}))


def _component_library() -> str | None:
    """The folder of ``supportops.stacks.components`` (found without importing it), if installed."""
    try:
        spec = importlib.util.find_spec("supportops.stacks.components")
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return str(Path(locations[0]).resolve()) if locations else None


class SourceRecorder:
    """A stack transformation that remembers where each resource was declared, by URN tail
    (``<parent type>$<type>::<name>``, as in the normalized URN)."""

    def __init__(self, project_dir: Path, main: Path | None = None) -> None:
        self.root = repository_root(project_dir)
        self.main = main
        self.installed = _installed_prefixes()
        self.components = _component_library()
        self.by_key: dict[str, SourceLocation] = {}
        self._paths: dict[str, str] = {}

    def transformation(self, args: Any) -> None:
        # The mock engine's URN qualifies a child's type by its parent's type only (and the root
        # stack's is stripped, see .urns): the same key, from the constructor's arguments.
        parent_type = getattr(getattr(args.opts, "parent", None), "_type", None)
        chain = f"{parent_type}${args.type_}" if parent_type and parent_type != STACK_TYPE else args.type_
        location = self._locate(sys._getframe(1))
        if location is not None:
            self.by_key.setdefault(f"{chain}::{args.name}", location)

    def location_for(self, urn: str) -> SourceLocation | None:
        parts = urn.split("::", 3)
        if len(parts) != 4:
            return None
        if parts[2] == STACK_TYPE and self.main is not None:  # the runner creates it: the program file
            return SourceLocation(file=self._relative(str(self.main)), line=1)
        return self.by_key.get(f"{parts[2]}::{parts[3]}")

    def _locate(self, frame: FrameType | None) -> SourceLocation | None:
        component: FrameType | None = None
        components = self.components
        for _ in range(_MAX_FRAMES):
            if frame is None:
                return None
            filename = frame.f_code.co_filename
            if components is not None and filename.startswith(components):
                if component is None:
                    component = frame
            elif not filename.startswith(self.installed) and not filename.startswith("<"):
                return self._location(frame, component)
            frame = frame.f_back
        return None

    def _location(self, frame: FrameType, component: FrameType | None) -> SourceLocation:
        line, end_line, column, end_column = _span(frame)
        return SourceLocation(
            file=self._relative(frame.f_code.co_filename),
            line=line,
            end_line=end_line,
            column=column,
            end_column=end_column,
            component_file=self._relative(component.f_code.co_filename) if component is not None else None,
            component_line=component.f_lineno if component is not None else None,
        )

    def _relative(self, filename: str) -> str:
        cached = self._paths.get(filename)
        if cached is None:
            cached = self._paths[filename] = relative_path(Path(filename), self.root)
        return cached


def _span(frame: FrameType) -> tuple[int, int | None, int | None, int | None]:
    """The 1-based span of the expression being executed in ``frame`` (the constructor call), as
    SARIF wants it (end column exclusive); just the line when Python has no positions for it."""
    line = frame.f_lineno or 1
    try:
        positions = next(itertools.islice(frame.f_code.co_positions(), frame.f_lasti // 2, None), None)
    except (AttributeError, ValueError):
        positions = None
    if positions is None or None in positions:
        return line, None, None, None
    start, end, column, end_column = positions
    assert start is not None and end is not None and column is not None and end_column is not None
    return start, end, column + 1, end_column + 1
