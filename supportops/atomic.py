"""Atomic outputs: a file or a directory appears complete, or the previous one stays as it was.

Every output is written to a temporary sibling (same directory, so the rename never crosses a file
system), flushed and fsynced, then renamed over the target; the directory is fsynced so the rename
survives a crash. A writer that raises midway, a full disk or a SIGKILL leaves the previous file
intact and at most a hidden ``.<name>.<random>.tmp`` sibling (removed on failure when we can).

Text is written with ``errors="backslashreplace"``: a lone surrogate that came in with state data
(``'\\udcff'``) is written as the six characters ``\\udcff`` instead of crashing the writer.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Final

TEMP_SUFFIX: Final = ".tmp"
# Text outputs never crash on text that cannot be encoded (lone surrogates from state data).
TEXT_ERRORS: Final = "backslashreplace"


def temp_sibling_prefix(path: Path) -> str:
    """The prefix of the hidden temporary names used while ``path`` is being written."""
    return f".{path.name}."


def _umask_mode(default: int) -> int:
    return default & ~_umask()


def _umask() -> int:
    # Linux reports it; elsewhere set-and-restore (briefly process-wide, so only as a fallback).
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # some file systems cannot fsync a directory; the rename stands
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_through(path: Path) -> bool:
    """True for what cannot be replaced, only written: ``/dev/stdout`` (whatever it points at), a
    named pipe, a device."""
    if path.absolute().parts[1:2] in (("dev",), ("proc",)):
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


@contextlib.contextmanager
def atomic_binary(path: Path) -> Iterator[IO[bytes]]:
    """A binary handle whose content replaces ``path`` only when the block ends without error."""
    if _write_through(path):  # --out /dev/stdout, a named pipe: nothing to replace
        with path.open("wb") as stream:
            yield stream
        return
    # A symbolic link stays a link: the file it points at is the one replaced.
    path = path.resolve() if path.is_symlink() else path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=temp_sibling_prefix(path), suffix=TEMP_SUFFIX)
    temporary = Path(name)
    try:
        # mkstemp creates 0600; an output keeps the mode of the file it replaces, else the usual one.
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = _umask_mode(0o666)
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _fsync_dir(path.parent)


@contextlib.contextmanager
def atomic_text(path: Path, *, newline: str | None = None) -> Iterator[io.TextIOWrapper]:
    """A UTF-8 text handle that replaces ``path`` atomically (see :func:`atomic_binary`)."""
    with atomic_binary(path) as raw, _text_over(raw, newline) as handle:
        yield handle


@contextlib.contextmanager
def _text_over(raw: IO[bytes], newline: str | None) -> Iterator[io.TextIOWrapper]:
    handle = io.TextIOWrapper(raw, encoding="utf-8", errors=TEXT_ERRORS, newline=newline)
    try:
        yield handle
        handle.flush()
    finally:
        handle.detach()  # the binary handle is closed (after fsync) by atomic_binary


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_text(path) as handle:
        handle.write(text)


# ----------------------------------------------------------------------------------- directories


def staging_dir(target: Path) -> Path:
    """A fresh hidden sibling directory to build ``target`` in (same file system as ``target``)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(dir=target.parent, prefix=temp_sibling_prefix(target), suffix=TEMP_SUFFIX))
    staged.chmod(_umask_mode(0o777))  # mkdtemp makes it 0700; the published directory is an ordinary one
    return staged


def fsync_tree(root: Path) -> None:
    """fsync every file and directory under ``root`` (and ``root`` itself)."""
    for directory, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(Path(directory) / name, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(directory))


def publish_dir(staged: Path, target: Path, *, may_replace: Callable[[Path], bool]) -> None:
    """Make the complete directory ``staged`` appear at ``target`` in one step.

    A missing ``target`` is created by a rename. An existing one is swapped with ``staged`` in one
    ``renameat2(RENAME_EXCHANGE)`` (Linux), so a reader or a crash sees either the old directory or
    the new one, never a mix or nothing; the old one is then deleted. ``may_replace(target)`` decides
    whether an existing directory may be replaced at all (the caller raises when not).
    """
    fsync_tree(staged)
    if not target.exists() and not target.is_symlink():
        try:
            staged.rename(target)
        except OSError:
            if not target.exists():
                raise
        else:
            _fsync_dir(target.parent)
            return
    if target.is_symlink() or not target.is_dir() or not may_replace(target):
        raise FileExistsError(str(target))
    if _exchange(staged, target):
        _fsync_dir(target.parent)
        shutil.rmtree(staged, ignore_errors=True)  # ``staged`` now holds the old directory
        return
    # No atomic exchange on this system: move the old one aside, then the new one in (a crash between
    # the two renames leaves the old directory beside the target under a hidden name).
    aside = Path(tempfile.mkdtemp(dir=target.parent, prefix=temp_sibling_prefix(target), suffix=".old"))
    target.rename(aside / "previous")
    staged.rename(target)
    _fsync_dir(target.parent)
    shutil.rmtree(aside, ignore_errors=True)


_AT_FDCWD: Final = -100
_RENAME_EXCHANGE: Final = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically with Linux's renameat2; False where that is not available."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter already uses
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # the kernel or file system cannot
        return False
    raise OSError(code, os.strerror(code), str(second))
