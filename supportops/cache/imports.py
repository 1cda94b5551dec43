"""The source files a program's code depends on: the import closure of the files it ran.

A module the process imported before the program ran is not opened again, so the files opened during
the run do not name all the program depends on. Starting from them, this follows the ``import``
statements (read with ``ast``, never run) through our ``supportops`` package and the project's own
modules, so that editing any of them changes the plan's key, and editing the CLI or a rule does not.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
import types
from collections.abc import Iterable
from functools import cache
from pathlib import Path


@cache
def _module_file(name: str) -> Path | None:
    module = sys.modules.get(name)
    location = getattr(module, "__file__", None) if module is not None else None
    if not isinstance(location, str):
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError, AttributeError):
            return None
        location = spec.origin if spec is not None and spec.has_location else None
    return Path(location).resolve() if isinstance(location, str) and location.endswith(".py") else None


def _local_file(directory: Path, dotted: str) -> Path | None:
    base = directory.joinpath(*dotted.split(".")) if dotted else directory
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.resolve()
    return None


def _imported(path: Path, program_dirs: list[Path]) -> Iterable[Path | None]:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (SyntaxError, ValueError, OSError):
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield from _resolve(alias.name, program_dirs)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the file's own folder upwards
                directory = path.parent
                for _ in range(node.level - 1):
                    directory = directory.parent
                yield _local_file(directory, node.module or "")
                for alias in node.names:
                    yield _local_file(directory, f"{node.module}.{alias.name}" if node.module else alias.name)
            elif node.module:
                yield from _resolve(node.module, program_dirs)
                for alias in node.names:
                    yield from _resolve(f"{node.module}.{alias.name}", program_dirs)


def _resolve(name: str, program_dirs: list[Path]) -> Iterable[Path | None]:
    if name == "supportops" or name.startswith("supportops."):
        # The module and its parent packages (their __init__ runs on import).
        parts = name.split(".")
        for end in range(2, len(parts) + 1):
            parent = sys.modules.get(".".join(parts[: end - 1]))
            attribute = getattr(parent, parts[end - 1], None) if parent is not None else None
            if attribute is not None and not isinstance(attribute, types.ModuleType):
                return  # ``from package import SomeClass``: a name, not a module
            yield _module_file(".".join(parts[:end]))
    else:
        for directory in program_dirs:  # the program's own modules (its folder is on sys.path)
            yield _local_file(directory, name)


def import_closure(seeds: Iterable[Path], program_dirs: list[Path]) -> set[Path]:
    """``seeds`` (Python files) and every Python file of ours or of the program they import."""
    found: set[Path] = set()
    pending = [p.resolve() for p in seeds if p.suffix == ".py"]
    while pending:
        current = pending.pop()
        if current in found or not current.is_file():
            continue
        found.add(current)
        pending.extend(p for p in _imported(current, program_dirs) if p is not None and p not in found)
    return found
