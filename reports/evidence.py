"""Evidence bundles: a directory of artifacts plus a manifest of their SHA-256 hashes, the inputs'
hashes, tool version, git commit, time and operator, so edits are detectable."""

from __future__ import annotations

import getpass
import hashlib
import json
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from supportops import __version__
from supportops.reports.formats import write_report
from supportops.reports.model import Report

MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True)
class BundleRequest:
    out_dir: Path
    report: Report
    formats: tuple[str, ...] = ("json",)
    extra_files: tuple[Path, ...] = ()  # already written into out_dir (campaign files, journals ...)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_bundle(request: BundleRequest) -> Path:
    """Write the report in each format into ``out_dir`` and the manifest last; return its path."""
    out = request.out_dir
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for fmt in request.formats:
        path = out / f"report.{_extension(fmt)}"
        write_report(request.report, fmt, path)
        written.append(path)
    written.extend(request.extra_files)
    manifest = {
        "schema": "supportops.evidence-manifest/v1",
        "kind": request.report.kind,
        "subject": request.report.subject,
        "createdAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool": {"name": "supportops", "version": __version__, "gitCommit": _git_commit()},
        "operator": _operator(),
        "inputs": [i.to_json() for i in request.report.inputs],
        "files": _file_entries(out, written),
    }
    manifest_path = out / MANIFEST_NAME
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest_path


def _file_entries(root: Path, paths: Iterable[Path]) -> list[dict[str, Any]]:
    entries = []
    for path in sorted(set(paths)):
        entries.append({"path": path.relative_to(root).as_posix(), "sha256": sha256_file(path),
                        "bytes": path.stat().st_size})
    return entries


def _extension(fmt: str) -> str:
    return {"sarif": "sarif.json", "junit": "junit.xml", "oscal": "oscal.json"}.get(fmt, fmt)


def _git_commit() -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
            cwd=Path(__file__).resolve().parent, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
