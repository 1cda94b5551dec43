"""Offline plans from the cache: a stack's program runs only when something it depends on changed.

The key (:func:`plan_key`) covers what is known before the program runs: the project and stack
config files, the planned outputs of the earlier phases the program is given for its StackReferences,
the preview flag, the interpreter and the installed versions of supportops, pulumi and its AWS SDKs.
What the program reads while it runs (its own modules, our stacks package, data files it opens) is
only known after: the entry records those files with their SHA-256, and a hit requires every one of
them unchanged (and no ``.py`` file added beside them). A hit neither imports Pulumi nor runs the
program.

An inventory holding secret values (see :mod:`.sealed`) is stored sealed with a key derived from the
stack config's secrets, which the lookup reads again from the config file.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, Final

from supportops.cache.imports import import_closure
from supportops.cache.keys import (
    digest,
    dirs_match,
    file_digest,
    files_match,
    installed_versions,
    names_digest,
)
from supportops.cache.sealed import Unsealable, is_sealed, seal, unseal
from supportops.cache.store import Cache
from supportops.errors import BadInput
from supportops.inventory.model import REDACTED, Inventory, Resource

NAMESPACE: Final = "plan"
ENTRY_FORMAT: Final = 1


@dataclass(frozen=True)
class PlanInputs:
    project_dir: Path
    stack: str
    stack_references: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    preview: bool = False
    use_project_virtualenv: bool = True


@cache
def planner_code() -> str:
    """A digest of the planner's own source (the offline plan, the inventory model, this cache): in a
    development checkout it changes without a new version."""
    inventory = Path(__file__).resolve().parents[1] / "inventory"
    files = sorted([*inventory.glob("*.py"), *(inventory / "offline_plan").glob("*.py"),
                    *Path(__file__).resolve().parent.glob("*.py")])
    return digest({str(path): file_digest(path) for path in files})


def plan_key(inputs: PlanInputs) -> str:
    project_dir = inputs.project_dir.resolve()
    return digest(
        NAMESPACE,
        ENTRY_FORMAT,
        installed_versions(),
        planner_code(),
        sys.executable,
        [f.name for f in fields(Resource)],  # an inventory model with new fields: entries of old ones differ
        str(project_dir),
        inputs.stack,
        inputs.preview,
        inputs.use_project_virtualenv,
        file_digest(project_dir / "Pulumi.yaml"),
        file_digest(project_dir / f"Pulumi.{inputs.stack}.yaml"),
        {name: dict(outputs) for name, outputs in inputs.stack_references.items()},
    )


# ------------------------------------------------------------------------------ what a run reads

_lock = threading.Lock()
_recorders: list[set[str]] = []
_hooked = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _recorders and args and isinstance(args[0], str):
        for recorder in _recorders:
            recorder.add(args[0])


@contextlib.contextmanager
def recording_reads() -> Iterator[set[str]]:
    """The paths every thread of this process opens inside the block (an audit hook: cannot be
    removed once added, so it stays installed and does nothing outside a block)."""
    global _hooked
    opened: set[str] = set()
    with _lock:
        if not _hooked:
            sys.addaudithook(_audit)
            _hooked = True
        _recorders.append(opened)
    try:
        yield opened
    finally:
        with _lock:
            _recorders.remove(opened)


def _dependencies(
    project_dir: Path, main: Path, opened: set[str], store: Cache | None = None
) -> dict[str, str | None]:
    """Files that shaped the plan, with their digests: those opened during the run (the program, its
    data files, the stack config) and the import closure of its Python files through our package and
    the project (a module imported before the run is not opened again). The interpreter's own files
    and installed packages are left to the installed versions in the key. ``store`` keeps the files'
    import statements between runs (:mod:`.imports`)."""
    # Resolved folders as strings: a run opens ~800 files, so the test is a string prefix.
    prefixes = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    installed = tuple(f"{str(Path(p).resolve()).rstrip(os.sep)}{os.sep}" for p in prefixes)

    def ours(path: Path) -> bool:
        return not f"{path}{os.sep}".startswith(installed) and "__pycache__" not in path.parts

    resolve = _resolver()
    read: set[Path] = set()
    for candidate in opened:
        path = Path(candidate)
        path = resolve(path if path.is_absolute() else project_dir / path)
        if path.is_file() and ours(path):
            read.add(path)
    program_dirs = [main.parent.resolve(), project_dir]
    # A project folder may hold the virtualenv (the repository's own .venv): its modules are not ours.
    read |= {path for path in _program_modules(program_dirs) if ours(path)}
    closure = import_closure({main, *read}, program_dirs, store, keep=ours)
    # A closure file's digest is of the bytes its imports were read from: each file is read once.
    return {
        str(path): closure[path] if path in closure else file_digest(path)
        for path in sorted(read | closure.keys())
    }


def _resolver() -> Callable[[Path], Path]:
    """``Path.resolve`` resolving each folder once: the files a run opens share a few dozen folders,
    and resolving every file's whole chain costs an ``lstat`` per component. A resolved folder joined
    with a name that is not a link is already resolved; a link is resolved in full."""
    folders: dict[str, str] = {}

    def resolve(path: Path) -> Path:
        directory, name = os.path.split(path)
        if name in ("", ".", ".."):
            return path.resolve()
        real = folders.get(directory)
        if real is None:
            real = folders[directory] = os.path.realpath(directory)
        joined = Path(real, name)
        return joined.resolve() if joined.is_symlink() else joined

    return resolve


# The names of the modules programs run in this process loaded (new in sys.modules after a run).
_LOADED_BY_PROGRAMS: set[str] = set()


def _program_modules(program_dirs: list[Path]) -> set[Path]:
    """The sources of the program's own modules this process holds. One imported by a computed name
    (no import statement leads to it) is known only by what the run opened: its bytecode while that
    is fresh, nothing at all when an earlier stack's run imported it.

    Only modules a program run loaded count: a process planning the repository's own project also
    holds the CLI, the rules and (under pytest) test modules from inside the project folder, which no
    program imports (editing a rule must not make every plan stale). Our own package is left to the
    import closure."""
    prefixes = tuple(f"{directory}{os.sep}" for directory in program_dirs)
    found: set[Path] = set()
    for name in sorted(_LOADED_BY_PROGRAMS):
        if name == "supportops" or name.startswith("supportops."):
            continue
        location = getattr(sys.modules.get(name), "__file__", None)
        if isinstance(location, str) and location.endswith(".py") and location.startswith(prefixes):
            found.add(Path(location).resolve())
    return found


# ------------------------------------------------------------------------------------- the entries


def _sealing_secrets(inventory: Inventory) -> tuple[frozenset[str], bool]:
    """The secret values the entry must be sealed with, and whether they can be derived again from
    the stack config at lookup (only then can the entry be stored)."""
    from supportops.inventory.secrets import config_secrets, inventory_secrets

    held = inventory_secrets(inventory).texts - {REDACTED}
    from_config = frozenset(config_secrets(inventory.config)) - {REDACTED}
    return from_config, held <= from_config


def _config_secrets(inputs: PlanInputs) -> frozenset[str]:
    """The secrets of the stack's plain config, read as the planner reads it (project defaults, then
    the stack file; ``secure:`` values are never plain), without importing the planner (Pulumi)."""
    from supportops.inventory.secrets import config_secrets
    from supportops.loading import load_document

    project_dir = inputs.project_dir.resolve()
    project = load_document(project_dir / "Pulumi.yaml").data
    stack = load_document(project_dir / f"Pulumi.{inputs.stack}.yaml").data
    if not isinstance(project, dict) or not isinstance(project.get("name"), str):
        return frozenset()
    name = project["name"]
    plain: dict[str, Any] = {}
    for key, spec in (project.get("config") or {}).items():
        default = spec.get("default") if isinstance(spec, dict) else spec
        if default is not None:
            plain[key if ":" in key else f"{name}:{key}"] = default
    for key, value in ((stack or {}).get("config") or {}).items() if isinstance(stack, dict) else ():
        full = key if ":" in key else f"{name}:{key}"
        if isinstance(value, dict) and "secure" in value:
            plain.pop(full, None)
        else:
            plain[full] = value
    return frozenset(config_secrets(plain)) - {REDACTED}


def store_plan(
    cache: Cache, key: str, inventory: Inventory, reads: dict[str, str | None], main: Path
) -> None:
    if not cache.enabled or str(main.resolve()) not in reads:
        return  # planned in another interpreter (the project's virtualenv): its reads were not seen
    secrets, derivable = _sealing_secrets(inventory)
    if not derivable:
        return  # a secret the lookup could not derive: never stored, in any form
    directories = {str(Path(name).parent) for name in reads if name.endswith(".py")}
    text = json.dumps(inventory.to_json(), separators=(",", ":"), default=str)
    document = text.encode("utf-8", "surrogatepass")
    entry: dict[str, Any] = {
        "files": reads,
        "dirs": {directory: names_digest(Path(directory)) for directory in sorted(directories)},
    }
    if secrets:
        entry["sealed"] = base64.b64encode(seal(document, secrets, key)).decode("ascii")
    else:
        entry["inventory"] = json.loads(document)
    cache.put(NAMESPACE, key, json.dumps(entry, separators=(",", ":")).encode("utf-8", "surrogatepass"))


def load_plan(cache: Cache, key: str, inputs: PlanInputs) -> Inventory | None:
    payload = cache.get(NAMESPACE, key)
    if payload is None:
        return None
    try:
        entry = json.loads(payload)
        if not files_match(entry["files"]) or not dirs_match(entry["dirs"]):
            cache.hits -= 1
            cache.misses += 1
            return None
        if "sealed" in entry:
            sealed = base64.b64decode(entry["sealed"], validate=True)
            if not is_sealed(sealed):
                raise Unsealable("not a sealed entry")
            document = json.loads(unseal(sealed, _config_secrets(inputs), key))
        else:
            document = entry["inventory"]
        return Inventory.from_json(document)
    except (Unsealable, BadInput):
        cache.hits -= 1
        cache.misses += 1
        return None  # the config's secrets changed: not this entry (the key covers the file anyway)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        cache.discard(NAMESPACE, key, f"unusable plan entry ({type(error).__name__})")
        return None


Planner = Callable[[PlanInputs], Inventory]


def cached_plan(
    cache: Cache, inputs: PlanInputs, planner: Planner, on_miss: Callable[[], None] = lambda: None
) -> Inventory:
    """The plan of ``inputs``: from the cache when nothing it depends on changed, else by
    ``planner`` (which runs the program) and stored. ``on_miss`` runs before the program, outside
    the recording of what it reads: what it opens (the checkov start-up reads checkov's script) is
    not the program's."""
    key = plan_key(inputs)
    found = load_plan(cache, key, inputs)
    if found is not None:
        return found
    on_miss()
    project_dir = inputs.project_dir.resolve()
    loaded_before = set(sys.modules)
    try:
        with recording_reads() as opened:
            inventory = planner(inputs)
    finally:
        _LOADED_BY_PROGRAMS.update(set(sys.modules) - loaded_before)
    if cache.enabled:
        main = _main_of(project_dir)
        store_plan(cache, key, inventory, _dependencies(project_dir, main, opened, cache), main)
    return inventory


def _main_of(project_dir: Path) -> Path:
    from supportops.inventory.offline_plan.project import program_path, read_project

    return program_path(project_dir, read_project(project_dir))
