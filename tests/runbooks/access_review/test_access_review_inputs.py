"""Runbooks and campaign files: validated with one line per problem naming file, location and problem."""

from __future__ import annotations

import csv
from pathlib import Path
from unittest.mock import patch

import pytest
import yaml
from access_review_helpers import REPO, RUNBOOK, run_cli
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.errors import BadInput
from supportops.runbooks.access_review.campaign import COLUMNS, read_campaign
from supportops.runbooks.access_review.schema import BUNDLED, load_runbook


@pytest.mark.parametrize("name", ["quarterly.yaml", "demo.yaml"])
def test_shipped_runbooks_are_valid(name: str) -> None:
    book = load_runbook(REPO / "runbooks" / "supportops" / "runbooks" / "access_review" / name)
    assert book.thresholds.inactive_days == 90


def _problems(tmp_path: Path, data: object) -> list[str]:
    path = tmp_path / "r.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        load_runbook(path)
    return [line.replace(str(path), "R") for line in str(caught.value).splitlines()]


def test_runbook_problems_name_the_location(tmp_path: Path) -> None:
    # yaml.safe_dump sorts keys: allow_list is line 1, scope starts at line 14, thresholds at 22
    accounts = RUNBOOK["scope"]["accounts"]
    assert _problems(tmp_path, {**RUNBOOK, "extra": 1}) == ["R: line 10, column 1: extra: unknown key"]
    assert _problems(tmp_path, {**RUNBOOK, "scope": {"accounts": [{"id": "12345"}]}}) == [
        "R: line 16, column 5: scope.accounts[0].id: must be a 12-digit AWS account id (quote it in YAML) "
        "(got '12345')"
    ]
    assert _problems(tmp_path, {**RUNBOOK, "scope": {"accounts": [accounts[0], accounts[0]]}}) == [
        "R: line 14, column 1: scope: account listed twice: 123456789012"
    ]
    assert _problems(tmp_path, {**RUNBOOK, "scope": {"accounts": []}}) == [
        "R: line 14, column 1: scope: accounts: at least one account is required"
    ]
    wrong_role = {"id": "123456789012", "role_arn": "arn:aws:iam::999999999999:role/x"}
    assert _problems(tmp_path, {**RUNBOOK, "scope": {"accounts": [wrong_role]}}) == [
        "R: line 16, column 5: scope.accounts[0]: role_arn is not in account 123456789012"
    ]
    connect = {"instance_id": "i", "account": "999999999999", "region": "eu-west-2"}
    assert _problems(
        tmp_path, {**RUNBOOK, "scope": {"accounts": accounts, "connect_instances": [connect]}}
    ) == ["R: line 14, column 1: scope: connect_instances[0]: account 999999999999 is not in accounts"]
    assert _problems(tmp_path, {**RUNBOOK, "thresholds": {"inactive_days": 0}}) == [
        "R: line 23, column 3: thresholds.inactive_days: Input should be greater than or equal to 1 (got 0)"
    ]
    # YAML 1.2 core schema and strict types: "yes" is not a boolean, "90" is not a number
    assert _problems(tmp_path, {**RUNBOOK, "owners": {"required_for_roles": "yes"}}) == [
        "R: line 12, column 3: owners.required_for_roles: Input should be a valid boolean (got 'yes')"
    ]
    assert _problems(tmp_path, {**RUNBOOK, "thresholds": {"inactive_days": "90"}}) == [
        "R: line 23, column 3: thresholds.inactive_days: Input should be a valid integer (got '90')"
    ]
    assert _problems(tmp_path, "version: 1\nversion: 1\n") == ["R: line 2, column 1: duplicate key 'version'"]
    assert _problems(tmp_path, "version: 1\nname: [unclosed\n") == [
        "R: line 3, column 1: not valid YAML (expected ',' or ']', but got '<stream end>')"
    ]
    assert _problems(tmp_path, "- a list\n") == [
        "R: line 1, column 1: expected a mapping at the top, found a list"
    ]


def test_missing_runbook_and_bundled_names(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"runbook not found .*bundled runbook name: demo, quarterly"):
        load_runbook(tmp_path / "nope.yaml")
    assert load_runbook(Path("quarterly")).name == load_runbook(BUNDLED["quarterly"]).name
    assert load_runbook(Path("demo")).name == "demo-access-review"


def test_campaign_columns_and_values_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "campaign.csv"
    path.write_text(",".join([*COLUMNS, "extra"]) + "\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        read_campaign(path)
    assert str(caught.value) == f'{path}: line 1: unknown column(s) "extra"'
    row = dict.fromkeys(COLUMNS, "") | {
        "campaign_id": "c",
        "account": "1",
        "kind": "iam-user",
        "name": "a",
        "arn": "arn:a",
        "decision": "delete",
    }
    path.write_text(",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        read_campaign(path)
    assert str(caught.value).startswith(f"{path}: line 2: decision: Input should be '', 'keep', 'revoke' or")
    yaml_path = tmp_path / "campaign.yaml"
    yaml_path.write_text(
        yaml.safe_dump(
            {
                "schema": "supportops.access-review-campaign/v1",
                "campaign_id": "c",
                "principals": [row | {"decision": "keep", "colour": "red"}],
            }
        )
    )
    with pytest.raises(BadInput) as caught:
        read_campaign(yaml_path)
    assert str(caught.value) == f"{yaml_path}: line 7, column 3: principals[0].colour: unknown key"


def _csv_with(tmp_path: Path, cell: str, rows: int = 1) -> Path:
    row = dict.fromkeys(COLUMNS, "x") | {
        "kind": "iam-user",
        "decision": "",
        "protection": "",
        "comment": cell,
    }
    path = tmp_path / "campaign.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows([row] * rows)
    return path


def test_campaign_csv_is_bounded_and_decode_errors_are_located(tmp_path: Path) -> None:
    # over csv's own 131,072-character field limit: a located error, not a crash
    path = _csv_with(tmp_path, "a" * 200_000)
    with pytest.raises(BadInput) as caught:
        read_campaign(path)
    assert str(caught.value).startswith(f"{path}: line 2: not a valid CSV row (field larger than field limit")
    path = _csv_with(tmp_path, "a" * 100_001)
    with pytest.raises(BadInput) as caught:
        read_campaign(path)
    assert str(caught.value) == f"{path}: line 2: comment: cell longer than 100,000 characters"
    path.write_bytes(path.read_bytes().replace(b"aaaa", b"a\xff\xfea", 1))
    with pytest.raises(BadInput) as caught:
        read_campaign(path)
    column = path.read_bytes().splitlines()[1].index(b"\xff") + 1
    assert str(caught.value) == f"{path}: line 2, column {column}: not valid UTF-8 text"
    yaml_path = tmp_path / "campaign.yaml"
    yaml_path.write_bytes(b"schema: x\nprincipals:\n- name: \xff\n")
    with pytest.raises(BadInput, match=r"line 3, column 9: not valid UTF-8 text"):
        read_campaign(yaml_path)
    with patch("supportops.runbooks.access_review.campaign.MAX_ROWS", 3):
        path = _csv_with(tmp_path, "ok", rows=5)
        with pytest.raises(BadInput) as caught:
            read_campaign(path)
    assert str(caught.value) == f"{path}: line 5: more than 3 rows"
    path = _csv_with(tmp_path, "ok", rows=200)
    path.write_bytes(path.read_bytes().replace(b",iam-user,", b",iam-usr,"))
    with pytest.raises(BadInput) as caught:
        read_campaign(path)  # one line per bad row, at most 50
    assert len(caught.value.problems) == 50


def test_sign_of_a_file_outside_a_review_bundle(tmp_path: Path) -> None:
    path = tmp_path / "campaign.csv"
    path.write_text(",".join(COLUMNS) + "\n", encoding="utf-8")
    result = CliRunner().invoke(create_app(), ["access-review", "sign", str(path), "--reviewer", "x"])
    assert result.exit_code == 2
    assert "campaign-meta.json not found next to the campaign" in result.output


def test_bad_role_arn_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(RUNBOOK), encoding="utf-8")
    result = CliRunner().invoke(
        create_app(), ["access-review", "run", "--runbook", str(path), "--role-arn", "arn:aws:iam::1:user/x"]
    )
    assert result.exit_code == 2
    assert "--role-arn 'arn:aws:iam::1:user/x' is not an IAM role ARN" in result.output


@pytest.mark.slow
def test_demo_runs_the_whole_cycle_on_its_own_local_endpoint(tmp_path: Path) -> None:
    result = run_cli("access-review", "demo", "--out", str(tmp_path / "demo"), timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("local AWS endpoint (moto) at http://127.0.0.1:")
    assert lines[-1] == "local AWS endpoint stopped"
    again = next(line for line in lines if line.startswith("apply (execute again)"))
    assert "'applied': 0" in again and "'failed': 0" in again
    assert (tmp_path / "demo" / "apply-execute" / "journal.jsonl").is_file()


def test_campaign_rows_round_trip_through_csv_and_yaml(tmp_path: Path) -> None:
    from supportops.runbooks.access_review.campaign import CampaignRow, CampaignWriter

    row = CampaignRow(
        campaign_id="c1",
        account="012345678901",
        kind="iam-user",
        name="ü: 'odd' \"name\"\n#x\ty",
        arn="arn:aws:iam::012345678901:user/x",
        evidence="a: b; c # d",
        comment="- yes",
    )
    writer = CampaignWriter(tmp_path, "c1", "2026-11-23T00:00:00+00:00", "runbook.yaml")
    writer.add(row)
    writer.close()
    assert read_campaign(tmp_path / "campaign.yaml") == [row]
    assert read_campaign(tmp_path / "campaign.csv") == [row]


def test_apply_plan_protects_by_runbook_even_if_the_protection_column_was_blanked(tmp_path: Path) -> None:
    from supportops.runbooks.access_review.apply import plan_changes
    from supportops.runbooks.access_review.campaign import CampaignRow
    from supportops.runbooks.access_review.meta import CampaignMeta
    from supportops.runbooks.access_review.protections import Protections
    from supportops.runbooks.access_review.schema import Runbook

    book = Runbook.model_validate(RUNBOOK)
    meta = CampaignMeta.from_runbook(
        book,
        campaign_id="c",
        generated_at="t",
        runbook_path=tmp_path / "r.yaml",
        runbook_sha256="s",
        out_dir=tmp_path,
        principal_count=3,
        principals_sha256="h",
    )

    def row(name: str) -> CampaignRow:
        return CampaignRow(
            campaign_id="c",
            account="123456789012",
            kind="iam-user",
            name=name,
            arn=f"arn:aws:iam::123456789012:user/{name}",
            decision="revoke",
        )

    protections = Protections(tuple(meta.break_glass), tuple(meta.allow_list))
    planned, refused = plan_changes(
        [row("ci-deployer"), row("break-glass-admin"), row("bob")], meta, protections
    )
    assert [(r.name, why) for r, why in refused] == [
        ("break-glass-admin", "break-glass"),
        ("ci-deployer", "allow-listed"),
    ]
    assert {p.target.name for p in planned} == {"bob"}
    assert [p.change.token() for p in planned] == [
        "deactivate-access-keys",
        "delete-login-profile",
        "remove-from-all-groups",
        "detach-all-policies",
    ]


def test_unknown_profile_is_bad_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(RUNBOOK), encoding="utf-8")
    result = CliRunner().invoke(
        create_app(), ["access-review", "run", "--runbook", str(path), "--profile", "nope"]
    )
    assert result.exit_code == 2
    assert "error: --profile: nope: cannot open AWS profile 'nope'" in result.output


def test_bad_endpoint_url_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(yaml.safe_dump(RUNBOOK), encoding="utf-8")
    result = CliRunner().invoke(
        create_app(), ["access-review", "run", "--runbook", str(path), "--endpoint-url", "localhost:5000"]
    )
    assert result.exit_code == 2
    assert "error: --endpoint-url: localhost:5000: must be an http:// or https:// URL" in result.output
