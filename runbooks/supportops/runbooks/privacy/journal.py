"""The request journal: one JSON line per event, fsynced before the next AWS call, holding hashes only.

``intent`` is written before an erasure (what will go, with its checksum: the *before*), ``done`` after
AWS confirmed it (the *after*: absent or redacted). A SIGKILL between them leaves an intent without its
done; the next run searches again, acts only on what it still finds, and never repeats a done action.
A torn last line (killed mid-write) is ignored.

One exception to "hashes only": a lake intent names the object keys it rewrites. Those are Firehose's
batch names (stream, time, random id), shared by many subjects and holding no personal data; a run
killed after a rewrite needs them, because the query engine no longer sees the subject there while
the object's older versions still hold the records.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass
class Journal:
    path: Path
    entries: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path) -> Journal:
        journal = cls(path)
        if path.exists():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # the torn tail of a killed run
                if isinstance(entry, dict):
                    journal.entries.append(entry)
        return journal

    def write(self, event: str, **fields: Any) -> None:
        entry = {"at": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": event, **fields}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(entry, sort_keys=True) + "\n"
        with self.path.open("ab") as handle:
            if handle.tell() and not self._ends_with_newline():
                handle.write(b"\n")  # after a torn line, start a fresh one
            handle.write(line.encode())
            handle.flush()
            os.fsync(handle.fileno())
        self.entries.append(entry)

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def done_refs(self) -> set[str]:
        return {str(ref) for e in self.entries if e.get("event") == "done" for ref in e.get("refs", [])}

    def rewritten_objects(self) -> list[str]:
        """Every lake object key an intent of this request named (see the module note)."""
        return sorted(
            {str(key) for e in self.entries if e.get("event") == "intent" for key in e.get("objects", [])}
        )

    def runs(self) -> int:
        return sum(1 for e in self.entries if e.get("event") == "run-started")
