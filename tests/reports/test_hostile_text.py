"""Text from state data cannot crash a writer or drive the terminal: lone surrogates are escaped,
control and escape sequences never reach the screen (tables, warnings, error lines)."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from report_factories import sample_report
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.cli.output import render, write_json, write_text
from supportops.findings import Evidence, Report
from supportops.reports.evidence import MANIFEST_NAME, BundleRequest, write_bundle
from supportops.reports.formats import WRITERS, extension, write_report
from supportops.reports.formats.table import GroupBy, compliance_view
from supportops.reports.terminal import escape_controls

SURROGATE = "\udcff"
# Set the window title, clear the screen, a C1 CSI, a bidi override, a carriage return.
ESCAPES = ("\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m", "\u202e", "\r")


def _hostile(text: str) -> Report:
    report = sample_report()
    failing = report.findings[0]
    failing.message = f"bad {text} message"
    failing.subject = f"urn:pulumi:demo::supportops::aws:s3/bucket:Bucket::b{text}"
    failing.evidence = [Evidence("tags.owner", f"o{text}", f"e{text}")]
    report.problems.append(f"problem {text}")
    return report


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_a_lone_surrogate_is_written_escaped(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"report.{extension(fmt)}"
    write_report(_hostile(SURROGATE), fmt, path)
    text = path.read_bytes().decode("utf-8")  # valid UTF-8: nothing unencodable was written raw
    if fmt == "junit":
        ET.fromstring(text)
        assert "b\ufffd" in text  # XML cannot carry a surrogate even escaped: replaced
    elif fmt == "csv":
        rows = list(csv.reader(text.splitlines()))
        assert any("bad \\udcff message" in cell for row in rows for cell in row)
    elif fmt in ("json", "sarif", "oscal"):
        assert "\\udcff" in text  # JSON's own escape
        assert SURROGATE in json.dumps(json.loads(text), ensure_ascii=False)  # read back as it was
    else:
        assert "bad \\udcff message" in text


def test_table_and_json_outputs_survive_a_lone_surrogate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _hostile(SURROGATE)
    render(compliance_view(report), tmp_path / "table.txt")
    render(compliance_view(report))
    write_json({"subject": report.findings[0].subject}, None)
    write_text(f"plain {SURROGATE}\n", tmp_path / "plain.txt")
    assert "\\udcff" in (tmp_path / "table.txt").read_text(encoding="utf-8")
    assert (tmp_path / "plain.txt").read_text(encoding="utf-8") == "plain \\udcff\n"
    assert "\\udcff" in capsys.readouterr().out


def test_escape_controls_makes_every_sequence_inert() -> None:
    assert escape_controls("a\x1b[2Jb\tc\nd\x9b\u202e\r\x00") == "a\\x1b[2Jb\tc\nd\\x9b\\u202e\\x0d\\x00"


@pytest.mark.parametrize("group_by", list(GroupBy))
def test_no_escape_sequence_from_the_data_reaches_the_terminal(
    group_by: GroupBy, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # a colour terminal: rich's own styles are escape codes
    monkeypatch.setenv("COLUMNS", "300")
    render(compliance_view(_hostile("".join(ESCAPES)), group_by))
    out = capsys.readouterr().out
    assert "\x1b[" in out  # the styles are there ...
    for sequence in ESCAPES:
        assert sequence not in out  # ... but none of the data's sequences
    assert "\\x1b]0;pwned\\x07" in out


def test_warnings_and_error_lines_carry_no_escape_sequence(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"version": 3, "deployment": {"resources": []}}), encoding="utf-8")
    bundle = tmp_path / "bundle"
    write_bundle(BundleRequest(bundle, sample_report()))
    (bundle / "evil\x1b]0;pwned\x07.txt").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(create_app(), ["evidence", "verify", str(bundle)])
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout
    assert "added    evil\\x1b]0;pwned\\x07.txt" in result.stdout
    manifest = json.loads((bundle / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["\x1b[2Junknown"] = 1
    (bundle / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    result = CliRunner().invoke(create_app(), ["evidence", "verify", str(bundle)])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "\\x1b[2Junknown" in result.stderr
    missing = tmp_path / "no\x1b[2Jsuch.json"
    result = CliRunner().invoke(create_app(), ["comply", "--state", str(missing), "--no-checkov"])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "no\\x1b[2Jsuch.json" in result.stderr
