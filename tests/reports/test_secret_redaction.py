"""No secret reaches an output: a canary planted in every form Pulumi gives a secret (state export,
preview, stack config ``secure:`` value, plaintext credential key), with copies in several encodings,
goes through every format, stdout, the evidence bundle and error lines; no byte written holds it."""

from __future__ import annotations

import base64
import json
import urllib.parse
from pathlib import Path

import pytest
import secret_canary as canary
from report_factories import sample_report
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.errors import BadInput, InputProblem
from supportops.findings import Evidence, Status
from supportops.inventory.model import REDACTED, SECRET_SIG, SIG_KEY, SourceKind
from supportops.inventory.secrets import (
    SecretSet,
    config_secrets,
    document_secrets,
    known_secrets,
    map_text,
    remember,
    secrets_scope,
)
from supportops.inventory.sources.load import load_inventory
from supportops.policies.compliance import ComplianceRequest, run_compliance
from supportops.reports.formats import WRITERS
from supportops.reports.formats.json_report import to_json
from supportops.reports.redaction import redact_report

# Built at run time: the repository secrets scan must not see a literal credential here.
SECRET = "-".join(("hunter2", "correct", "horse"))


def _secret_set(*texts: str) -> SecretSet:
    return SecretSet(frozenset(texts))


# ------------------------------------------------------------------------------------ the scrub


@pytest.mark.parametrize(
    "copy",
    [
        SECRET,
        f"prefix {SECRET} suffix",
        json.dumps({"password": SECRET + '"'}),  # JSON-escaped inside a string
        base64.b64encode(SECRET.encode()).decode(),
        base64.urlsafe_b64encode(SECRET.encode()).decode().rstrip("="),
        urllib.parse.quote(SECRET + "/&", safe=""),
        "Basic " + base64.b64encode(b"u:" + SECRET.encode()).decode(),  # offset 2 in a larger base64
        "Basic " + base64.b64encode(b"us:" + SECRET.encode()).decode(),  # offset 0
        "Basic " + base64.b64encode(b"usr:" + SECRET.encode()).decode(),  # offset 1
    ],
)
def test_every_encoding_of_a_known_secret_is_scrubbed(copy: str) -> None:
    secrets = _secret_set(SECRET, SECRET + '"', SECRET + "/&")
    scrubbed = secrets.scrub_text(copy)
    assert REDACTED in scrubbed
    for form in (SECRET, base64.b64encode(SECRET.encode()).decode()[:12], "aHVudGVy"):
        assert form not in scrubbed


def test_secret_objects_are_replaced_whole_in_any_form() -> None:
    value = {
        "a": {SIG_KEY: SECRET_SIG, "value": "x"},
        "b": [{SIG_KEY: SECRET_SIG, "plaintext": '"y"'}],
        "c": {SIG_KEY: SECRET_SIG, "ciphertext": "v1:abc"},
        "d": {"secure": "v1:def"},
    }
    opaque = {SIG_KEY: SECRET_SIG, "ciphertext": REDACTED}
    assert SecretSet().scrub(value) == {"a": opaque, "b": [opaque], "c": opaque, "d": {"secure": REDACTED}}


def test_without_known_secrets_only_secret_objects_change_and_nothing_else_is_copied() -> None:
    # (the walk used when the scope knows no secret: it must give what the general walk gives)
    evidence = Evidence("tags", {"Name": "x", "n": 3, "token": {SIG_KEY: SECRET_SIG, "value": SECRET}})
    untouched = {"a": ["b", 1, 2.5, True, None, Status.PASS], "t": ("c", 4)}
    value = {"evidence": [evidence], "untouched": untouched, "cfg": {"k": {"secure": "v1:x"}}, "p": Path("a")}
    opaque = {SIG_KEY: SECRET_SIG, "ciphertext": REDACTED}
    scrubbed = SecretSet().scrub(value)
    assert scrubbed == map_text(value, lambda text: text)
    assert scrubbed == {
        "evidence": [Evidence("tags", {"Name": "x", "n": 3, "token": opaque})],
        "untouched": untouched,
        "cfg": {"k": {"secure": REDACTED}},
        "p": "a",  # written with str() by the formats
    }
    assert scrubbed["untouched"] is untouched  # copy on change only
    assert SecretSet().scrub(untouched) is untouched
    assert evidence.observed["token"]["value"] == SECRET  # the original is untouched


def test_short_secrets_are_replaced_only_as_whole_values() -> None:
    secrets = _secret_set("443")
    assert secrets.scrub({"port": "443", "note": "port 443 open", "n": 443}) == {
        "port": REDACTED, "note": "port 443 open", "n": 443}


def test_collected_plaintexts_cover_every_pulumi_form() -> None:
    document = canary.state_export()
    found = document_secrets(document).texts
    assert canary.CANARY in found  # from `value` and from the JSON-decoded `plaintext`
    assert json.dumps(canary.CANARY) in found  # the raw plaintext as the file holds it
    assert canary.CONFIG_CIPHERTEXT in found
    config = {"supportops:crmApiToken": {"secure": "v1:zzz"}, "aws:secretKey": "plain-key",
              "supportops:environment": "prod", "supportops:crm": {"apiKey": "nested", "url": "https://x"}}
    assert config_secrets(config) == {"v1:zzz", "plain-key", "nested"}


def test_outside_a_scope_nothing_is_remembered() -> None:
    remember(_secret_set(SECRET))
    assert not known_secrets()
    with secrets_scope():
        remember(_secret_set(SECRET))
        assert SECRET in known_secrets().texts
    assert not known_secrets()


def test_error_lines_leaving_a_scope_are_scrubbed() -> None:
    with pytest.raises(BadInput) as caught, secrets_scope():
        remember(_secret_set(SECRET))
        raise BadInput(InputProblem("state.json", "region", f"not an AWS region name (got '{SECRET}')"))
    assert SECRET not in str(caught.value)
    assert str(caught.value) == f"state.json: region: not an AWS region name (got '{REDACTED}')"


def test_redaction_keeps_everything_else_of_a_report() -> None:
    report = sample_report()
    assert to_json(redact_report(report, SecretSet())) == to_json(report)
    report.findings[0].evidence.append(Evidence("password", f"is {SECRET}"))
    redacted = redact_report(report, _secret_set(SECRET))
    assert redacted.findings[0].evidence[-1] == Evidence("password", f"is {REDACTED}")
    assert report.findings[0].evidence[-1].observed == f"is {SECRET}"  # the original is untouched


# ------------------------------------------------------------------------- end to end, every output


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("canary")
    (root / "bad").mkdir()
    preview_config = {"supportops:crmApiToken": "[secret]", "aws:secretKey": canary.CONFIG_PLAINTEXT,
                      "supportops:environment": "canary", "supportops:phase": "foundation"}
    return {
        "state": canary.write_json(root / "state.json", canary.state_export()),
        "preview": canary.write_json(root / "preview.json", canary.preview(preview_config)),
        "config": canary.stack_config(root / f"Pulumi.{canary.STACK}.yaml"),
        "bad_config": canary.stack_config(
            root / "bad" / f"Pulumi.{canary.STACK}.yaml", plaintext_credential=True),
    }


def test_the_canary_reaches_the_unredacted_report(inputs: dict[str, Path]) -> None:
    """Guards the test below: without redaction the findings would carry every planted copy."""
    inventory = load_inventory(inputs["state"], SourceKind.STACK_EXPORT)
    raw = json.dumps(to_json(run_compliance(ComplianceRequest(inventory, inputs["config"], checkov=False))))
    present = [form for form in canary.forbidden() if form in raw]
    assert present == ["c4n4ry", canary.forbidden()[1], canary.forbidden()[2], "canaryCIPHERTEXT",
                       "plain-config-canary"]


def _assert_clean(where: str, data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    leaked = [form for form in canary.forbidden() if form in text]
    assert not leaked, f"{where} holds {leaked}"


@pytest.mark.parametrize("source", ["state", "preview"])
def test_no_output_holds_the_canary(inputs: dict[str, Path], tmp_path: Path, source: str) -> None:
    runner = CliRunner()
    app = create_app()
    option = {"state": "--state", "preview": "--preview-json"}[source]  # docs/cli.md: input files
    common = [option, str(inputs[source]), "--config", str(inputs["config"]), "--no-checkov"]
    for fmt in ["table", *sorted(WRITERS)]:
        out, bundle = tmp_path / f"out.{fmt}", tmp_path / f"bundle-{fmt}"
        for extra in (["--out", str(out), "--evidence", str(bundle)], []):
            result = runner.invoke(app, ["comply", *common, "--format", fmt, *extra], env={"COLUMNS": "400"})
            assert result.exit_code == 1, result.output  # the log groups fail their rules
            _assert_clean(f"{fmt} stdout {extra}", result.stdout_bytes)
            _assert_clean(f"{fmt} stderr {extra}", result.stderr_bytes)
        _assert_clean(f"{fmt} --out", out.read_bytes())
        files = sorted(p for p in bundle.rglob("*") if p.is_file())
        assert len(files) == (2 if fmt in ("json", "table") else 3)  # manifest, report.json, the format's
        for path in files:
            _assert_clean(str(path), path.read_bytes())


def test_a_plaintext_credential_key_is_refused_without_echoing_it(inputs: dict[str, Path]) -> None:
    config = inputs["bad_config"]
    result = CliRunner().invoke(create_app(), ["comply", "--state", str(inputs["state"]), "--config",
                                               str(config), "--no-checkov"])
    assert result.exit_code == 2
    assert "supportops:crmWebhookSigningKey: holds a credential in plain text" in result.stderr
    _assert_clean("stdout", result.stdout_bytes)
    _assert_clean("stderr", result.stderr_bytes)


def test_an_error_line_quoting_a_secret_value_is_scrubbed(tmp_path: Path) -> None:
    """The file is refused (exit 2) for a value that is also a secret of the same file."""
    document = canary.state_export()
    document["deployment"]["resources"][2]["type"] = canary.CANARY  # not a type token
    state = canary.write_json(tmp_path / "state.json", document)
    result = CliRunner().invoke(create_app(), ["comply", "--state", str(state), "--no-checkov"])
    assert result.exit_code == 2
    assert "deployment.resources[2].type: unknown resource type '[secret]'" in result.stderr
    _assert_clean("stderr", result.stderr_bytes)
