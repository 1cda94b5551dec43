"""Credentials written into a Pulumi Python program as literals, found by reading its source.

The SDK wraps every credential property in a Pulumi secret, so the planned inventory cannot tell a
``password="hunter2"`` from ``password=config.require_secret("db")``: only the source can. This reads
the program's files (``main`` of Pulumi.yaml, else the project directory), parses them with ``ast``
(never runs them) and reports each resource call that gives a credential property a literal string
(a constant, an f-string without placeholders, a name bound to a constant, ``Output.secret("...")``).
Values are never kept: a hit records the file, line, resource name and property path only.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

import yaml

from supportops.cache.keys import digest, file_digest
from supportops.cache.store import Cache, active_cache
from supportops.policies.sdk_secret_properties import SECRET_PROPERTIES
from supportops.version import __version__

# Credential property names of any resource (the SDK's list), minus names too generic to judge
# without knowing the resource type.
GENERIC: Final = frozenset({"value", "token", "plaintext", "customer_key", "source_customer_key", "host_key"})
ANY_TYPE_NAMES: Final = frozenset(n for names in SECRET_PROPERTIES.values() for n in names) - GENERIC
# Keys of nested blocks and JSON documents that hold credentials (``master_user_password`` of an
# OpenSearch domain, ``password`` inside a secret_string document, a Glue connection's PASSWORD).
NESTED_NAMES: Final = frozenset(
    {
        "password",
        "master_password",
        "master_user_password",
        "admin_password",
        "secret_key",
        "secret_access_key",
        "private_key",
        "auth_token",
        "api_key",
        "client_secret",
        "shared_secret",
        "access_token",
        "oauth_token",
        "passphrase",
    }
)
SKIPPED_DIRS: Final = frozenset({"node_modules", "__pycache__", "tests", "test", "venv", "site-packages"})
MAX_FILES: Final = 500
_CAMEL: Final = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


@dataclass(frozen=True)
class LiteralCredential:
    """A credential property given a literal in the program (the literal itself is not kept)."""

    file: str  # relative to the scanned directory
    line: int
    callee: str  # the class as written, e.g. "aws.rds.Instance"
    name: str | None  # the resource name when it is a literal
    name_pattern: str | None  # a regex for an f-string resource name
    path: str  # the property path as written, e.g. "password", "secret_string.password"
    top_level: bool  # the property is an argument of the resource itself

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def names_resource(self, name: str) -> bool:
        if self.name is not None:
            return self.name == name
        return self.name_pattern is not None and re.fullmatch(self.name_pattern, name) is not None


def program_directory(project_dir: Path) -> Path:
    """The directory holding the program: Pulumi.yaml's ``main`` (a file's folder), else the project."""
    try:
        document = yaml.safe_load((project_dir / "Pulumi.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return project_dir
    main = document.get("main") if isinstance(document, dict) else None
    if isinstance(main, str) and main:
        target = (project_dir / main).resolve()
        if target.is_dir():
            return target
        if target.is_file():
            return target.parent
    return project_dir


def program_files(directory: Path) -> list[Path]:
    """The program's Python files (no virtualenvs, hidden folders or tests), at most MAX_FILES."""
    found: list[Path] = []
    stack = [directory]
    while stack and len(found) < MAX_FILES:
        current = stack.pop()
        try:
            entries = sorted(current.iterdir())
        except OSError:
            continue
        if (current / "pyvenv.cfg").exists():
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name in SKIPPED_DIRS:
                continue
            if entry.is_dir() and not entry.is_symlink():
                stack.append(entry)
            elif entry.suffix == ".py" and entry.is_file():
                found.append(entry)
    return sorted(found[:MAX_FILES])


_CACHE: dict[tuple[str, int, int], list[LiteralCredential]] = {}
CACHE_NAMESPACE: Final = "program-secrets"
_THIS_CODE: Final = file_digest(Path(__file__))  # a development checkout changes without a new version


def scan_program(project_dir: Path) -> list[LiteralCredential]:
    """The literal credentials of the program's files. Each file's hits are kept in this process
    (by path, mtime and size) and, in a run with a cache (``supportops.cache.store.using``), by the
    file's content: a file is parsed only when it changed."""
    directory = program_directory(project_dir)
    store = active_cache()
    hits: list[LiteralCredential] = []
    for path in program_files(directory):
        try:
            stat = path.stat()
        except OSError:
            continue
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key not in _CACHE:
            _CACHE[key] = _scan_cached(path, path.relative_to(directory).as_posix(), store)
        hits.extend(_CACHE[key])
    return hits


def _scan_cached(path: Path, shown: str, store: Cache | None) -> list[LiteralCredential]:
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if store is None:
        return scan_source(data, shown)
    key = digest(CACHE_NAMESPACE, __version__, _THIS_CODE, shown, hashlib.sha256(data).hexdigest())
    payload = store.get(CACHE_NAMESPACE, key)
    if payload is not None:
        try:
            return [LiteralCredential(**item) for item in json.loads(payload)]
        except (ValueError, TypeError) as error:
            store.discard(CACHE_NAMESPACE, key, f"unusable program secrets entry ({type(error).__name__})")
    hits = scan_source(data, shown)
    store.put(CACHE_NAMESPACE, key, json.dumps([asdict(hit) for hit in hits]).encode("utf-8"))
    return hits


def scan_file(path: Path, shown: str) -> list[LiteralCredential]:
    try:
        data = path.read_bytes()
    except OSError:
        return []
    return scan_source(data, shown)


def scan_source(data: bytes, shown: str) -> list[LiteralCredential]:
    try:
        tree = ast.parse(data, filename=shown)
    except (SyntaxError, ValueError):
        return []  # not a program file we can read: the planner reports broken programs
    constants = _string_constants(tree)
    hits: list[LiteralCredential] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.keywords:
            continue
        callee = _callee(node.func)
        if callee is None or not callee.rsplit(".", 1)[-1][:1].isupper():
            continue
        name_node = node.args[0] if node.args else _keyword(node, "resource_name")
        if name_node is None:
            continue
        name, pattern = _resource_name(name_node, constants)
        if name is None and pattern is None:
            continue
        for keyword in node.keywords:
            if keyword.arg is None:
                continue
            for path_, top in _credential_paths(keyword.arg, keyword.value, constants, top=True):
                hits.append(LiteralCredential(shown, keyword.value.lineno, callee, name, pattern, path_, top))
    return hits


def _credential_paths(
    prefix: str, node: ast.expr, constants: dict[str, bool], *, top: bool
) -> Iterator[tuple[str, bool]]:
    if top and _is_literal(node, constants):
        yield prefix, True
        return
    if not top and snake(prefix.rsplit(".", 1)[-1]) in NESTED_NAMES and _is_literal(node, constants):
        yield prefix, False
        return
    if isinstance(node, ast.Dict):
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield from _credential_paths(f"{prefix}.{key.value}", value, constants, top=False)
    elif isinstance(node, ast.List | ast.Tuple):
        for item in node.elts:
            yield from _credential_paths(prefix, item, constants, top=False)
    elif isinstance(node, ast.Call):  # an *Args class, json.dumps({...}), dict(...)
        for arg in node.args:  # a document passed on (json.dumps), never a plain argument's value
            if isinstance(arg, ast.Dict | ast.List | ast.Tuple | ast.Call):
                yield from _credential_paths(prefix, arg, constants, top=False)
        for keyword in node.keywords:
            if keyword.arg is not None:
                yield from _credential_paths(f"{prefix}.{keyword.arg}", keyword.value, constants, top=False)


def _is_literal(node: ast.expr, constants: dict[str, bool]) -> bool:
    """A non-empty string written in the program (or an Output.secret wrapping one)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.strip() != ""
    if isinstance(node, ast.JoinedStr):
        return bool(node.values) and all(isinstance(v, ast.Constant) for v in node.values)
    if isinstance(node, ast.Name):
        return constants.get(node.id, False)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_literal(node.left, constants) and _is_literal(node.right, constants)
    if isinstance(node, ast.Call) and _callee(node.func) in ("pulumi.Output.secret", "Output.secret"):
        return len(node.args) == 1 and _is_literal(node.args[0], constants)
    return False


def _string_constants(tree: ast.Module) -> dict[str, bool]:
    """Names assigned exactly once, to a non-empty string constant (True), anywhere in the file."""
    seen: dict[str, bool] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                text = value.value if isinstance(value, ast.Constant) else None
                seen[target.id] = isinstance(text, str) and text != "" and target.id not in seen
    return seen


def _callee(func: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
        return ".".join(reversed(parts))
    return None


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _resource_name(node: ast.expr, constants: dict[str, bool]) -> tuple[str | None, str | None]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value, None
    if isinstance(node, ast.JoinedStr):
        parts = [re.escape(str(v.value)) if isinstance(v, ast.Constant) else ".+" for v in node.values]
        return None, "".join(parts)
    if isinstance(node, ast.Name | ast.BinOp):
        return None, ".+"  # a computed name: matched by type only
    return None, None
