"""``--evidence DIR``: a bundle directory is replaced whole, atomically, and only when it is empty or a
previous bundle holding nothing its manifest does not list; anything else is refused with one line
(exit 2) and left as it was. Runs never mix, and nothing a user put there is deleted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import secret_canary
from report_factories import sample_report
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.errors import BadInput
from supportops.reports.evidence import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    BundleRequest,
    verify_bundle,
    write_bundle,
)


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(create_app(), list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return secret_canary.write_json(tmp_path / "state.json", secret_canary.state_export())


def _comply(state: Path, evidence: Path, *extra: str) -> tuple[int, str, str]:
    return _run("comply", "--state", str(state), "--no-checkov", "--evidence", str(evidence), *extra)


def _listed(bundle: Path) -> list[str]:
    manifest = json.loads((bundle / MANIFEST_NAME).read_text(encoding="utf-8"))
    return [entry["path"] for entry in manifest["files"]]


def test_the_reported_case_a_used_directory_with_an_unrelated_file(tmp_path: Path, state: Path) -> None:
    """Re-running into a used directory holding an unrelated file: refused in one line, the file and
    the previous run left as they were; the mixed directory does not verify; a clean re-run replaces
    the previous run whole, and its manifest lists only its own files."""
    evidence = tmp_path / "evidence"
    code, _, err = _comply(state, evidence, "-f", "html")
    assert code in (0, 1), err
    assert _listed(evidence) == ["report.html", "report.json"]
    (evidence / "notes.txt").write_text("unrelated", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in evidence.iterdir()}

    code, out, err = _comply(state, evidence)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert "not part of an evidence bundle (notes.txt)" in err
    assert {p.name: p.read_bytes() for p in evidence.iterdir()} == before

    code, out, _ = _run("evidence", "verify", str(evidence))
    assert code == 1 and "  added    notes.txt" in out.splitlines()

    (evidence / "notes.txt").unlink()
    code, _, err = _comply(state, evidence)  # json only this time
    assert code in (0, 1), err
    assert _listed(evidence) == ["report.json"]  # the previous run's report.html is gone, not listed
    assert sorted(p.name for p in evidence.iterdir()) == [MANIFEST_NAME, "report.json"]
    assert verify_bundle(evidence).ok


def test_a_non_empty_directory_that_is_not_a_bundle_is_refused(tmp_path: Path, state: Path) -> None:
    mine = tmp_path / "mine"
    (mine / "sub").mkdir(parents=True)
    (mine / "sub" / "thesis.tex").write_text("years of work", encoding="utf-8")
    code, out, err = _comply(state, mine)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "sub/thesis.tex" in err
    assert [p.relative_to(mine).as_posix() for p in sorted(mine.rglob("*"))] == ["sub", "sub/thesis.tex"]


def test_an_empty_directory_is_used(tmp_path: Path, state: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _comply(state, empty)[0] in (0, 1)
    assert verify_bundle(empty).ok


def test_a_foreign_manifest_is_not_taken_for_a_bundle(tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / MANIFEST_NAME).write_text('{"name": "some other tool"}', encoding="utf-8")
    with pytest.raises(BadInput, match=r"not part of an evidence bundle \(manifest.json\)"):
        write_bundle(BundleRequest(other, sample_report()))
    assert [p.name for p in other.iterdir()] == [MANIFEST_NAME]


def test_a_signed_bundle_replaces_a_signed_one_and_an_unsigned_one_drops_the_old_signature(
    tmp_path: Path,
) -> None:
    from signing_helpers import ed25519_key

    from supportops.reports.evidence import signing_bundles
    from supportops.reports.signing import open_signer, parse_key_ref

    private, _ = ed25519_key(tmp_path)
    out = tmp_path / "bundle"
    with signing_bundles(open_signer(parse_key_ref(f"file:{private}"))):
        write_bundle(BundleRequest(out, sample_report(), ("json",)))
        write_bundle(BundleRequest(out, sample_report(), ("csv",)))
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, SIGNATURE_NAME, "report.csv"]
    assert verify_bundle(out).ok
    write_bundle(BundleRequest(out, sample_report(), ("json",)))
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "report.json"]
    assert verify_bundle(out).ok and verify_bundle(out).signature is None


def test_a_planted_signature_in_a_plain_directory_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    out.mkdir()
    (out / SIGNATURE_NAME).write_text("{}", encoding="utf-8")
    with pytest.raises(BadInput, match=SIGNATURE_NAME):
        write_bundle(BundleRequest(out, sample_report()))
