"""Evidence bundles: the manifest, and verification that names edited, added and missing files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from report_factories import sample_report

from supportops.errors import BadInput
from supportops.reports.evidence import (
    MANIFEST_NAME,
    BundleRequest,
    record_input,
    sha256_file,
    verify_bundle,
    write_bundle,
)
from supportops.reports.formats import WRITERS, extension
from supportops.version import __version__


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUPPORTOPS_OPERATOR", "auditor@example.com")
    out = tmp_path / "bundle"
    (out / "journal").mkdir(parents=True)
    (out / "journal" / "apply.jsonl").write_text('{"seq": 1}\n', encoding="utf-8")
    extra = (out / "journal/apply.jsonl",)
    write_bundle(BundleRequest(out, sample_report(), tuple(WRITERS), extra_files=extra))
    return out


def test_manifest_lists_every_file_with_its_hash(bundle: Path) -> None:
    manifest = json.loads((bundle / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["schema"] == "supportops.evidence-manifest/v1"
    paths = [entry["path"] for entry in manifest["files"]]
    assert paths == ["journal/apply.jsonl", *sorted(f"report.{extension(fmt)}" for fmt in WRITERS)]
    for entry in manifest["files"]:
        assert entry["sha256"] == sha256_file(bundle / entry["path"])
        assert entry["bytes"] == (bundle / entry["path"]).stat().st_size
    assert manifest["tool"]["version"] == __version__
    assert manifest["operator"] == "auditor@example.com"
    assert manifest["inputs"] == [
        {"path": "Pulumi.demo-foundation.yaml", "sha256": "ab" * 32, "role": "config"}]
    assert manifest["createdAt"].endswith("+00:00")
    assert manifest["reportGeneratedAt"] == "2026-11-23T18:00:00+00:00"
    assert not list(bundle.glob(".*.tmp"))


def test_an_untouched_bundle_verifies(bundle: Path) -> None:
    result = verify_bundle(bundle)
    assert result.ok
    assert result.checked == 1 + len(WRITERS)
    assert result.manifest_sha256 == hashlib.sha256((bundle / MANIFEST_NAME).read_bytes()).hexdigest()


def test_edited_added_and_missing_files_are_named(bundle: Path) -> None:
    report = bundle / "report.json"
    report.write_text(report.read_text(encoding="utf-8").replace('"FAIL"', '"PASS"'), encoding="utf-8")
    (bundle / "journal" / "apply.jsonl").write_text('{"seq": 2}\n', encoding="utf-8")  # same size
    (bundle / "notes.txt").write_text("added later", encoding="utf-8")
    (bundle / "journal" / "extra.jsonl").write_text("{}", encoding="utf-8")
    (bundle / "report.html").unlink()
    result = verify_bundle(bundle)
    assert not result.ok
    assert result.edited == ["journal/apply.jsonl", "report.json"]
    assert result.added == ["journal/extra.jsonl", "notes.txt"]
    assert result.missing == ["report.html"]


def test_a_symlink_planted_in_the_bundle_is_an_addition(bundle: Path, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (bundle / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert verify_bundle(bundle).added == ["linked"]


def test_the_manifest_digest_can_be_pinned(bundle: Path) -> None:
    digest = verify_bundle(bundle).manifest_sha256
    assert verify_bundle(bundle, digest).ok
    assert verify_bundle(bundle, digest.upper()).ok
    result = verify_bundle(bundle, "0" * 64)
    assert result.manifest_mismatch and not result.ok


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "manifest is not valid JSON"),
        ('{"schema": "supportops.evidence-manifest/v9"}', "malformed manifest"),
        ("[]", "malformed manifest"),
    ],
)
def test_malformed_manifests_are_bad_input(bundle: Path, content: str, message: str) -> None:
    (bundle / MANIFEST_NAME).write_text(content, encoding="utf-8")
    with pytest.raises(BadInput, match=message):
        verify_bundle(bundle)


@pytest.mark.parametrize(
    "path", ["../outside.txt", "/etc/passwd", "a/../../b", "./report.json", MANIFEST_NAME])
def test_manifest_paths_must_stay_inside_the_bundle(bundle: Path, path: str) -> None:
    manifest = json.loads((bundle / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["files"][0]["path"] = path
    (bundle / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BadInput, match=r"files\.0\.path"):
        verify_bundle(bundle)


def test_duplicate_and_unknown_keys_are_rejected(bundle: Path) -> None:
    manifest = json.loads((bundle / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["files"].append(dict(manifest["files"][0]))
    (bundle / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BadInput, match="listed twice"):
        verify_bundle(bundle)
    manifest["files"].pop()
    manifest["signature"] = "trust me"
    (bundle / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BadInput, match="signature"):
        verify_bundle(bundle)


def test_no_manifest_or_no_directory(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no manifest"):
        verify_bundle(tmp_path)
    with pytest.raises(BadInput, match="not a directory"):
        verify_bundle(tmp_path / "absent")


def test_extra_files_must_be_inside_the_bundle(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("x", encoding="utf-8")
    with pytest.raises(BadInput, match="inside the bundle directory"):
        write_bundle(BundleRequest(tmp_path / "b", sample_report(), extra_files=(outside,)))


def test_unknown_formats_are_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="unknown report format 'pdf'"):
        write_bundle(BundleRequest(tmp_path / "b", sample_report(), ("json", "pdf")))
    assert not (tmp_path / "b").exists()


def test_record_input_hashes_the_file(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text("{}", encoding="utf-8")
    record = record_input(state, "stack-export")
    assert (record.sha256, record.role) == (hashlib.sha256(b"{}").hexdigest(), "stack-export")
    with pytest.raises(BadInput, match="cannot read input"):
        record_input(tmp_path / "missing.json")
