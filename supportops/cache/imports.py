"""The source files a program's code depends on: the import closure of the files it ran.

A module the process imported before the program ran is not opened again, so the files opened during
the run do not name all the program depends on. Starting from them, this follows the ``import``
statements and ``importlib.import_module("literal")`` calls (read with ``ast``, never run, and
resolved without importing anything) through our ``supportops`` package and the project's own
modules, so that editing any of them changes the plan's key, and editing the CLI or a rule does not.

Parsing the ~460 files of the closure costs over a second, and a plan misses every time a stack's
config changes while almost no source file did. So each file's import statements (as written, not yet
resolved to files) are kept in an index per project, under the file's path with the SHA-256 of the
bytes they were read from: a file whose digest differs is parsed again. Resolving the statements to
files is redone on every computation (it depends on which files exist and on the installed
packages), in the same order as a cold computation, so the closure is the same with or without the
index.
"""

from __future__ import annotations

import ast
import hashlib
import json
import sys
import types
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any, Final

from supportops.cache.keys import digest, file_digest
from supportops.cache.store import Cache

NAMESPACE: Final = "imports"
INDEX_FORMAT: Final = 1

# One import target as written: (0, "a.b") for ``import a.b``, ``import_module("a.b")`` and each name
# ``from a import b`` may mean; (level, "m.b") for ``from ..m import b`` (level > 0: relative).
ImportRef = tuple[int, str]
Closure = dict[Path, str | None]  # file -> SHA-256 of the bytes its imports were read from
LocalFile = Callable[[Path, str], Path | None]


@cache
def _module_file(name: str) -> Path | None:
    module = sys.modules.get(name)
    location = getattr(module, "__file__", None) if module is not None else None
    if not isinstance(location, str):
        try:
            spec = _find_spec(name)
        except (ImportError, ValueError, AttributeError):
            return None
        location = spec.origin if spec is not None and spec.has_location else None
    return Path(location).resolve() if isinstance(location, str) and location.endswith(".py") else None


def _find_spec(name: str) -> ModuleSpec | None:
    """``importlib.util.find_spec`` without importing the parent packages (it would run their code,
    and the code they import, only to learn their search path: ~0.6 s of boto3 and runbooks in a
    plan). A parent not imported yet is located the same way, recursively, and its spec's search
    locations stand for its ``__path__``; the finders asked are the same, in the same order."""
    module = sys.modules.get(name)
    if module is not None:
        return module.__spec__
    parent_name = name.rpartition(".")[0]
    path: Iterable[str] | None = None
    if parent_name:
        parent = sys.modules.get(parent_name)
        if parent is not None:
            path = getattr(parent, "__path__", None)
        else:
            parent_spec = _find_spec(parent_name)
            path = parent_spec.submodule_search_locations if parent_spec is not None else None
        if path is None:
            return None  # the parent is a module, not a package: nothing below it
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        spec = find(name, path, None) if find is not None else None
        if spec is not None:
            return spec  # type: ignore[no-any-return]
    return None


def _local_file(directory: Path, dotted: str) -> Path | None:
    base = directory.joinpath(*dotted.split(".")) if dotted else directory
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.resolve()
    return None


def import_refs(source: bytes, filename: str) -> list[ImportRef]:
    """The import targets of a Python source, in the order a cold computation meets them (``ast.walk``);
    [] when it does not parse."""
    try:
        tree = ast.parse(source, filename=filename)
    except (SyntaxError, ValueError):
        return []
    refs: list[ImportRef] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            refs.extend((0, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: the module, then each name as a possible submodule
                refs.append((node.level, node.module or ""))
                refs.extend(
                    (node.level, f"{node.module}.{alias.name}" if node.module else alias.name)
                    for alias in node.names
                )
            elif node.module:
                refs.append((0, node.module))
                refs.extend((0, f"{node.module}.{alias.name}") for alias in node.names)
        elif isinstance(node, ast.Call) and (name := _imported_by_name(node)) is not None:
            refs.append((0, name))
    return refs


def _imported_by_name(call: ast.Call) -> str | None:
    """``importlib.import_module("a.b")`` with a literal absolute name (a lazy import, e.g. the stacks'
    job policies reading ``supportops.inventory.live``): a dependency no import statement names."""
    function = call.func
    called = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
    if called != "import_module" or len(call.args) != 1 or call.keywords:
        return None
    argument = call.args[0]
    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
        return argument.value if argument.value and not argument.value.startswith(".") else None
    return None


def _targets(
    path: Path, refs: list[ImportRef], program_dirs: list[Path], local: LocalFile
) -> Iterator[Path | None]:
    for level, dotted in refs:
        if level:  # from the file's own folder upwards
            directory = path.parent
            for _ in range(level - 1):
                directory = directory.parent
            yield local(directory, dotted)
        else:
            yield from _resolve(dotted, program_dirs, local)


def _resolve(name: str, program_dirs: list[Path], local: LocalFile) -> Iterable[Path | None]:
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
            yield local(directory, name)


# ------------------------------------------------------------------------------------- the index


@cache
def _extractor_code() -> str | None:
    return file_digest(Path(__file__))  # a development checkout changes what is extracted


def _index_key(program_dirs: list[Path]) -> str:
    return digest(NAMESPACE, INDEX_FORMAT, sys.version, _extractor_code(), [str(d) for d in program_dirs])


def _load_index(store: Cache, key: str) -> dict[str, tuple[str, list[ImportRef]]]:
    payload = store.get(NAMESPACE, key)
    if payload is None:
        return {}
    from pydantic import ValidationError

    try:
        index: dict[str, tuple[str, list[ImportRef]]] = _index_shape().validate_json(payload, strict=True)
    except ValidationError:
        store.discard(NAMESPACE, key, "unusable import index")
        return {}
    return index


@cache
def _index_shape() -> Any:
    """Path -> (SHA-256, import refs); built on first use (a plan hit needs no pydantic)."""
    from pydantic import TypeAdapter

    return TypeAdapter(dict[str, tuple[str, list[tuple[int, str]]]])


def import_closure(
    seeds: Iterable[Path],
    program_dirs: list[Path],
    store: Cache | None = None,
    keep: Callable[[Path], bool] = lambda _path: True,
) -> Closure:
    """``seeds`` (Python files) and every Python file of ours or of the program they import, each with
    the SHA-256 of its bytes (None when unreadable). ``store`` keeps the files' import statements
    between runs (see the module docstring); without it every file is parsed. A file ``keep`` refuses
    (an installed package's, when the project folder holds the virtualenv) is neither read nor followed."""
    key = _index_key(program_dirs) if store is not None and store.enabled else None
    index = _load_index(store, key) if store is not None and key is not None else {}
    fresh: dict[str, tuple[str, list[ImportRef]]] = {}
    located: dict[tuple[Path, str], Path | None] = {}

    def local(directory: Path, dotted: str) -> Path | None:
        # Which file a name means does not change within one computation: stat each candidate once.
        if (directory, dotted) not in located:
            located[directory, dotted] = _local_file(directory, dotted)
        return located[directory, dotted]

    found: Closure = {}
    pending = [p.resolve() for p in seeds if p.suffix == ".py"]
    while pending:
        current = pending.pop()
        if current in found or not current.is_file() or not keep(current):
            continue
        try:
            source = current.read_bytes()
        except OSError:
            found[current] = None
            continue
        sha = hashlib.sha256(source).hexdigest()
        found[current] = sha
        known = index.get(str(current))
        if known is not None and known[0] == sha:
            refs = known[1]
        else:
            refs = import_refs(source, str(current))
            fresh[str(current)] = (sha, refs)
        targets = _targets(current, refs, program_dirs, local)
        pending.extend(p for p in targets if p is not None and p not in found)
    if fresh and store is not None and key is not None:
        merged = {**index, **fresh}
        store.put(NAMESPACE, key, json.dumps(merged, separators=(",", ":")).encode("utf-8", "surrogatepass"))
    return found
