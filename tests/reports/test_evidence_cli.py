"""``supportops evidence verify DIR``: exit 0 intact, 1 with the changed files, 2 for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_factories import sample_report
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.reports.evidence import MANIFEST_NAME, BundleRequest, write_bundle


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    out = tmp_path / "bundle"
    write_bundle(BundleRequest(out, sample_report(), ("json", "html", "csv")))
    return out


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(create_app(), list(args))
    return result.exit_code, result.stdout, result.stderr


def test_intact_bundle_exits_0(bundle: Path) -> None:
    code, out, _ = _run("evidence", "verify", str(bundle))
    assert code == 0
    assert out.startswith(f"INTACT: {bundle}: all 3 files match the manifest")
    assert "manifest sha256 " in out


def test_changed_bundle_exits_1_and_names_the_files(bundle: Path) -> None:
    (bundle / "report.csv").write_text("edited", encoding="utf-8")
    (bundle / "report.html").unlink()
    (bundle / "extra.txt").write_text("x", encoding="utf-8")
    code, out, _ = _run("evidence", "verify", str(bundle))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == f"MODIFIED: {bundle}: 3 file(s) differ from the manifest"
    assert lines[1:4] == ["  edited   report.csv", "  added    extra.txt", "  missing  report.html"]


def test_json_output(bundle: Path) -> None:
    (bundle / "report.json").write_text("{}", encoding="utf-8")
    code, out, _ = _run("evidence", "verify", str(bundle), "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert (document["ok"], document["edited"], document["added"], document["missing"]) == (
        False, ["report.json"], [], [])


def test_pinned_manifest_digest(bundle: Path) -> None:
    code, out, _ = _run("evidence", "verify", str(bundle), "--format", "json")
    digest = json.loads(out)["manifestSha256"]
    assert _run("evidence", "verify", str(bundle), "--manifest-sha256", digest)[0] == 0
    code, out, _ = _run("evidence", "verify", str(bundle), "--manifest-sha256", "f" * 64)
    assert code == 1 and "the manifest is not the recorded one" in out
    code, _, err = _run("evidence", "verify", str(bundle), "--manifest-sha256", "nope")
    assert code == 2 and "64 hexadecimal characters" in err


@pytest.mark.parametrize("content", [None, "{broken", '{"schema": "supportops.evidence-manifest/v1"}'])
def test_bad_input_exits_2_with_one_line(bundle: Path, content: str | None) -> None:
    manifest = bundle / MANIFEST_NAME
    if content is None:
        manifest.unlink()
    else:
        manifest.write_text(content, encoding="utf-8")
    code, out, err = _run("evidence", "verify", str(bundle))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("error: ") and MANIFEST_NAME in err
