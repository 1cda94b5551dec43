"""Outputs appear complete or not at all: a writer failing midway, a full disk or a SIGKILL leaves the
previous file or bundle as it was; bundles never mix old files into a new manifest; ``verify``
rejects anything the manifest does not list."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import secret_canary
from report_factories import sample_report, synthetic_report

from supportops import atomic
from supportops.errors import BadInput
from supportops.findings import Evidence, Report
from supportops.inventory.model import SourceKind
from supportops.inventory.sources.load import load_inventory
from supportops.policies.compliance import ComplianceRequest, run_compliance
from supportops.reports.evidence import MANIFEST_NAME, BundleRequest, verify_bundle, write_bundle
from supportops.reports.formats import WRITERS, extension, write_report, writer

HERE = Path(__file__).resolve().parent
FORMATS = sorted(WRITERS)


class _Explodes:
    """An observed value whose rendering fails: the writer raises partway through the findings."""

    def __str__(self) -> str:
        raise RuntimeError("renderer failed midway")


def _failing_report() -> Report:
    report = synthetic_report(200)
    # A FAIL (every format renders its evidence) after 150 findings were written.
    report.findings[153].evidence = [Evidence("setting", _Explodes())]
    return report


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


# compact lists no evidence (and renders its whole text before one atomic write), so the
# exploding value never reaches it.
@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt != "compact"])
def test_a_writer_failing_midway_leaves_the_previous_file(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"report.{extension(fmt)}"
    write_report(sample_report(), fmt, path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="renderer failed midway"):
        writer(fmt)(_failing_report(), path)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_a_new_file_gets_the_usual_mode_and_a_replaced_one_keeps_its_own(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.json"
    write_report(sample_report(), "json", fresh)
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    fresh.chmod(0o640)
    write_report(sample_report(), "json", fresh)
    assert fresh.stat().st_mode & 0o777 == 0o640


def test_a_link_stays_a_link_and_a_pipe_is_written_through(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "latest.json"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    write_report(sample_report(), "json", link)
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "supportops.report/v1"
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    write_report(sample_report(), "csv", pipe)  # like --out /dev/stdout: nothing to replace
    reader.join(timeout=30)
    assert received and received[0].startswith(b"check_id,title,status")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


def test_a_full_disk_midway_leaves_every_previous_output(tmp_path: Path) -> None:
    """A child process whose file-size limit is hit while writing (as on a full disk)."""
    result = subprocess.run(
        [sys.executable, str(HERE / "output_writer.py"), "disk-full", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    failures = json.loads(result.stdout)
    assert sorted(failures) == sorted([*FORMATS, "table", "json-document", "bundle"])
    assert all("File too large" in message for message in failures.values()), failures
    expected = json.loads((tmp_path / "expected.json").read_text(encoding="utf-8"))
    for name, digest in expected.items():
        assert _digest(tmp_path / name) == digest, name
    assert verify_bundle(tmp_path / "bundle").ok
    assert _leftovers(tmp_path) == []


def _digest(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


# ----------------------------------------------------------------------------------- SIGKILL


def test_sigkill_at_random_points_leaves_old_or_new_outputs_never_a_mix(tmp_path: Path) -> None:
    """A child rewrites every format and a bundle in a loop, alternating two reports; it is killed at
    a random moment (seeded, 6 rounds). Each file is then exactly one of the two renderings and the
    bundle verifies."""
    rng = random.Random(20261201)
    child = [sys.executable, str(HERE / "output_writer.py"), "loop", str(tmp_path)]
    renderings: dict[str, set[str]] | None = None
    for _round in range(6):
        process = subprocess.Popen(child, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert ready.strip() == "ready", process.stderr.read() if process.stderr else ""
        time.sleep(rng.uniform(0.0, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        if renderings is None:
            renderings = json.loads((tmp_path / "renderings.json").read_text(encoding="utf-8"))
        for name, digests in renderings.items():
            assert _digest(tmp_path / name) in digests, name
        bundle = verify_bundle(tmp_path / "bundle")
        assert bundle.ok, (bundle.edited, bundle.added, bundle.missing)
        report = json.loads((tmp_path / "bundle" / "report.json").read_text(encoding="utf-8"))
        assert report["title"] in ("rendering A", "rendering B")


def _comply(state: Path, out: Path, bundle: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "supportops.cli.main", "comply", "--state", str(state), "--no-checkov",
               "--format", "json", "--out", str(out), "--evidence", str(bundle)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_sigkill_during_comply_out_and_evidence_leaves_a_whole_old_or_new_run(tmp_path: Path) -> None:
    """The real command, killed at seeded random moments around its writing phase (3 rounds): the
    report and the bundle always hold one whole run's findings, and the bundle verifies."""
    second = secret_canary.state_export()
    second["deployment"]["resources"].pop()  # one log group fewer: a report with fewer findings
    states = [secret_canary.write_json(tmp_path / "first.json", secret_canary.state_export()),
              secret_canary.write_json(tmp_path / "second.json", second)]
    whole_runs = {len(run_compliance(ComplianceRequest(load_inventory(s, SourceKind.STACK_EXPORT),
                                                       checkov=False)).findings) for s in states}
    assert len(whole_runs) == 2
    out, bundle = tmp_path / "report.json", tmp_path / "bundle"
    started = time.monotonic()
    assert _comply(states[0], out, bundle).wait(timeout=120) == 0
    duration = time.monotonic() - started
    rng = random.Random(11)
    for round_ in range(3):
        process = _comply(states[(round_ + 1) % 2], out, bundle)
        time.sleep(rng.uniform(0.5 * duration, 1.1 * duration))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert len(json.loads(out.read_text(encoding="utf-8"))["findings"]) in whole_runs
        result = verify_bundle(bundle)
        assert result.ok, (result.edited, result.added, result.missing)
        report = json.loads((bundle / "report.json").read_text(encoding="utf-8"))
        assert len(report["findings"]) in whole_runs


# ----------------------------------------------------------------------------------- bundles


def _bundle(out: Path, report: Report | None = None, formats: tuple[str, ...] = ("json", "csv")) -> Path:
    return write_bundle(BundleRequest(out, report or sample_report(), formats))


def test_rewriting_a_bundle_never_mixes_old_files_into_the_new_manifest(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    _bundle(out, formats=("json", "html", "sarif"))
    (out / "notes.txt").write_text("left over", encoding="utf-8")
    with pytest.raises(BadInput, match=r"not part of an evidence bundle \(notes.txt\)"):
        _bundle(out, formats=("json", "csv"))  # a file someone added is never deleted nor listed
    (out / "notes.txt").unlink()
    _bundle(out, formats=("json", "csv"))
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert [entry["path"] for entry in manifest["files"]] == ["report.csv", "report.json"]
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "report.csv", "report.json"]
    assert verify_bundle(out).ok
    assert _leftovers(tmp_path) == []


def test_without_an_atomic_exchange_the_old_bundle_is_moved_aside_then_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(atomic, "_exchange", lambda _first, _second: False)  # not Linux
    out = tmp_path / "bundle"
    _bundle(out, formats=("json", "html"))
    _bundle(out, formats=("csv",))
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "report.csv"]
    assert verify_bundle(out).ok
    assert _leftovers(tmp_path) == []


def test_a_directory_holding_other_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work", encoding="utf-8")
    with pytest.raises(BadInput, match="not part of an evidence bundle"):
        _bundle(out)
    assert [p.name for p in out.iterdir()] == ["thesis.tex"]
    assert _leftovers(tmp_path) == []


def test_a_bundle_failing_midway_leaves_the_previous_bundle(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    _bundle(out, formats=tuple(FORMATS))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(RuntimeError, match="renderer failed midway"):
        write_bundle(BundleRequest(out, _failing_report(), ("csv",)))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert verify_bundle(out).ok
    assert _leftovers(tmp_path) == []


def test_extra_files_are_taken_in_from_the_directory(tmp_path: Path) -> None:
    """An access review writes its campaign files into the directory first, then bundles them."""
    out = tmp_path / "campaign"
    (out / "journal").mkdir(parents=True)
    (out / "journal" / "apply.jsonl").write_text('{"seq": 1}\n', encoding="utf-8")
    journal = out / "journal" / "apply.jsonl"
    write_bundle(BundleRequest(out, sample_report(), ("json",), extra_files=(journal,)))
    assert (out / "journal" / "apply.jsonl").read_text(encoding="utf-8") == '{"seq": 1}\n'
    assert verify_bundle(out).ok
    assert verify_bundle(out).checked == 2


@pytest.mark.parametrize(
    "planted",
    [".manifest.json.tmp", ".report.json.x1y2z3.tmp", "notes.txt", "empty-dir/"],
)
def test_verify_rejects_anything_the_manifest_does_not_list(tmp_path: Path, planted: str) -> None:
    out = tmp_path / "bundle"
    _bundle(out)
    if planted.endswith("/"):
        (out / planted).mkdir()
    else:
        (out / planted).write_text("{}", encoding="utf-8")
    result = verify_bundle(out)
    assert not result.ok
    assert result.added == [planted]


def test_verify_rejects_a_listed_file_that_is_missing_or_a_link(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    _bundle(out)
    (out / "report.csv").unlink()
    kept = tmp_path / "report.json"
    (out / "report.json").rename(kept)
    (out / "report.json").symlink_to(kept)  # same bytes, but no longer a file of the bundle
    result = verify_bundle(out)
    assert result.missing == ["report.csv"]
    assert result.edited == ["report.json"]
