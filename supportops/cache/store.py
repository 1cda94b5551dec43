"""A content-addressed cache of derived results (plans, checkov results) under the user's cache dir.

An entry is a file ``<dir>/v<FORMAT>/<namespace>/<key[:2]>/<key>``: a header line naming the format,
the payload's length and its SHA-256, then the payload. The key is a digest of everything the result
depends on (see :mod:`.keys`), so an entry is never updated, only replaced whole (atomically).

Nothing in the cache is trusted blindly: a truncated, corrupt or unreadable entry is ignored with a
one-line warning and removed, and the caller computes the result again. The directory is private
(0700, entries 0600); the total size is bounded by evicting the least recently used entries.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import Final

from supportops.atomic import TEMP_SUFFIX, atomic_binary

CACHE_DIR_ENV: Final = "SUPPORTOPS_CACHE_DIR"
FORMAT: Final = 1
MAGIC: Final = b"supportops-cache"
DEFAULT_MAX_BYTES: Final = 512 * 1024 * 1024
_DIR_MODE: Final = 0o700
_FILE_MODE: Final = 0o600

Warn = Callable[[str], None]


def _stderr_warning(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


def default_cache_dir() -> Path:
    """``$SUPPORTOPS_CACHE_DIR``, else the platform's user cache dir (platformdirs when installed,
    else ``$XDG_CACHE_HOME`` or ``~/.cache``), with ``supportops`` appended."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    try:
        import platformdirs  # optional: only its answer on macOS/Windows differs from the XDG rule
    except ImportError:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base).expanduser() / "supportops"
    return Path(platformdirs.user_cache_dir("supportops", appauthor=False))


class Cache:
    """Entries by namespace and key (hex digests). ``get`` returns the payload or None."""

    enabled = True

    def __init__(
        self, directory: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, warn: Warn = _stderr_warning
    ) -> None:
        self.root = directory / f"v{FORMAT}"
        self.max_bytes = max_bytes
        self.warn = warn
        self.hits = 0
        self.misses = 0
        self._written = 0
        self._write_failed = False
        self._read_failed = False

    def path(self, namespace: str, key: str) -> Path:
        if not key.isalnum() or not namespace.replace("-", "").isalnum():
            raise ValueError(f"not a cache key: {namespace}/{key}")
        return self.root / namespace / key[:2] / key

    def get(self, namespace: str, key: str) -> bytes | None:
        path = self.path(namespace, key)
        try:
            with path.open("rb") as stream:
                header = stream.readline(200)
                payload = stream.read()
        except (FileNotFoundError, NotADirectoryError):
            self.misses += 1
            return None
        except OSError as error:
            self.misses += 1
            if not self._read_failed:  # once a run (an unreadable cache dir fails every read)
                self.warn(f"cache: could not read {path} ({error.strerror or error}); computing it again")
            self._read_failed = True
            return None
        problem = _check(header, payload)
        if problem is not None:
            self._discard(path, problem)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: evicted last
        self.hits += 1
        return payload

    def put(self, namespace: str, key: str, payload: bytes) -> None:
        """Store ``payload`` (atomically; a failure to write is a warning, never an error)."""
        path = self.path(namespace, key)
        checksum = hashlib.sha256(payload).hexdigest().encode()
        header = b"%s %d %d %s\n" % (MAGIC, FORMAT, len(payload), checksum)
        try:
            _private_dirs(self.root, path.parent)
            with atomic_binary(path) as stream:
                stream.write(header)
                stream.write(payload)
            path.chmod(_FILE_MODE)  # inside a 0700 directory from the start: nobody else saw it
        except OSError as error:
            if not self._write_failed:  # once a run: an unwritable cache dir fails every write
                self.warn(f"cache: could not write {path} ({error.strerror or error}); continuing without it")
            self._write_failed = True
            return
        self._written += len(payload)

    def discard(self, namespace: str, key: str, reason: str) -> None:
        """Drop an entry whose content the caller found unusable (a payload that does not decode)."""
        self._discard(self.path(namespace, key), reason)

    def _discard(self, path: Path, reason: str) -> None:
        self.misses += 1
        self.warn(f"cache: ignored {path}: {reason}; computing it again")
        with contextlib.suppress(OSError):
            path.unlink()

    def trim(self) -> None:
        """Evict least recently used entries until the cache is under ``max_bytes``."""
        if not self._written:
            return
        entries: list[tuple[float, int, Path]] = []
        total = 0
        for directory, _dirs, files in os.walk(self.root):
            for name in files:
                path = Path(directory) / name
                try:
                    status = path.stat()
                except OSError:
                    continue
                if name.endswith(TEMP_SUFFIX) and name.startswith("."):
                    continue  # a writer's temporary file (removed by the writer)
                entries.append((status.st_mtime, status.st_size, path))
                total += status.st_size
        for _mtime, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
        self._written = 0


class NoCache(Cache):
    """``--no-cache``: nothing is read or written."""

    enabled = False

    def __init__(self) -> None:
        super().__init__(Path(os.devnull))

    def get(self, namespace: str, key: str) -> bytes | None:
        self.misses += 1
        return None

    def put(self, namespace: str, key: str, payload: bytes) -> None:
        return None

    def trim(self) -> None:
        return None


def _check(header: bytes, payload: bytes) -> str | None:
    parts = header.split()
    if len(parts) != 4 or parts[0] != MAGIC:
        return "not a cache entry (bad header)"
    if parts[1] != str(FORMAT).encode():
        return "written by another cache format"
    if not parts[2].isdigit() or int(parts[2]) != len(payload):
        return f"truncated ({len(payload)} of {parts[2].decode('ascii', 'replace')} bytes)"
    if hashlib.sha256(payload).hexdigest().encode() != parts[3]:
        return "corrupt (checksum mismatch)"
    return None


def _private_dirs(root: Path, leaf: Path) -> None:
    """Create ``leaf`` and the folders between it and ``root`` (the ``v<FORMAT>`` folder) as 0700
    directories: the cache is the user's alone. The folder above ``root`` is left as it is (it may
    be a shared folder the user chose with ``--cache-dir``)."""
    root.parent.mkdir(parents=True, exist_ok=True)
    root.mkdir(mode=_DIR_MODE, exist_ok=True)
    if root.stat().st_mode & 0o077:
        root.chmod(_DIR_MODE)
    current = root
    for part in leaf.relative_to(root).parts:
        current = current / part
        current.mkdir(mode=_DIR_MODE, exist_ok=True)


_ACTIVE: ContextVar[Cache | None] = ContextVar("supportops_cache", default=None)


def active_cache() -> Cache | None:
    """The cache of the current run (see :func:`using`), for code deep in a run (a rule's helper)."""
    return _ACTIVE.get()


@contextlib.contextmanager
def using(cache: Cache) -> Iterator[Cache]:
    token = _ACTIVE.set(cache)
    try:
        yield cache
    finally:
        _ACTIVE.reset(token)
