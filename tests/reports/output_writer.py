"""A child process for the atomic-output tests (run as a script, never imported by pytest).

``disk-full DIR``: write every output once, then hit a file-size limit (as a full disk would) while
rewriting each; print which outputs failed and how. ``loop DIR``: rewrite every output and a bundle
forever, alternating two reports, until the test kills it.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The ASFF format names an account and region (in the tests' own process a fixture gives them).
os.environ.setdefault("AWS_ACCOUNT_ID", "123456789012")
os.environ.setdefault("AWS_REGION", "us-east-1")

from report_factories import sample_report, synthetic_report

from supportops.cli.output import render, write_json
from supportops.findings import Report
from supportops.reports.evidence import BundleRequest, write_bundle
from supportops.reports.formats import WRITERS, extension, write_report
from supportops.reports.formats.table import compliance_view


def _outputs(directory: Path) -> dict[str, Callable[[Report], None]]:
    """Every kind of output, by the file name it writes in ``directory``."""
    outputs: dict[str, Callable[[Report], None]] = {}
    for fmt in sorted(WRITERS):
        name = f"report.{extension(fmt)}"
        outputs[fmt] = lambda report, fmt=fmt, name=name: write_report(report, fmt, directory / name)
    outputs["table"] = lambda report: render(compliance_view(report), directory / "table.txt")
    outputs["json-document"] = lambda report: write_json(
        [f.to_json() for f in report.findings], directory / "findings.json")
    outputs["bundle"] = lambda report: _bundle(report, directory / "bundle")
    return outputs


def _bundle(report: Report, out: Path) -> None:
    write_bundle(BundleRequest(out, report, ("json", "csv")))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(directory: Path) -> list[Path]:
    ours = ("expected", "renderings")  # the test's own bookkeeping
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith(ours))


def disk_full(directory: Path) -> None:
    outputs = _outputs(directory)
    for write in outputs.values():
        write(sample_report())
    (directory / "expected.json").write_text(json.dumps({p.name: _digest(p) for p in _files(directory)}))
    big = synthetic_report(2000)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing us
    resource.setrlimit(resource.RLIMIT_FSIZE, (32 * 1024, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    failures: dict[str, str] = {}
    for name, write in outputs.items():
        try:
            write(big)
        except OSError as exc:
            failures[name] = str(exc)
    print(json.dumps(failures))


def _named(title: str) -> Report:
    report = synthetic_report(300)
    report.title = title
    return report


def loop(directory: Path) -> None:
    outputs = _outputs(directory)
    reports = [_named("rendering A"), _named("rendering B")]
    if not (directory / "renderings.json").exists():
        renderings: dict[str, list[str]] = {}
        for report in reports:
            with tempfile.TemporaryDirectory() as scratch:
                scratch_outputs = _outputs(Path(scratch))
                for name, write in scratch_outputs.items():
                    if name != "bundle":
                        write(report)
                for path in _files(Path(scratch)):
                    renderings.setdefault(path.name, []).append(_digest(path))
        (directory / "renderings.json").write_text(json.dumps(renderings))
        for write in outputs.values():
            write(reports[0])
    print("ready", flush=True)
    turn = 0
    while True:
        turn += 1
        for write in outputs.values():
            write(reports[turn % 2])


if __name__ == "__main__":
    mode, target = sys.argv[1], Path(sys.argv[2])
    {"disk-full": disk_full, "loop": loop}[mode](target)
