"""End to end: the CLI as a subprocess against moto's server on loopback (IAM in two accounts, the second
through STS assume-role). Dates moto cannot backdate are injected at the parsing boundary."""

from __future__ import annotations

import csv
import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from access_review_helpers import RUNBOOK, outcomes, read_journal, run_cli
from fault_proxy import FaultProxy

from supportops.reports.evidence import verify_bundle
from supportops.runbooks.access_review.demo import ACCOUNT_A, ACCOUNT_B, account_session

pytestmark = pytest.mark.slow


def _ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


def _spec(tmp_path: Path) -> Path:
    spec = {
        "users": {
            "stale-user": {
                "password_enabled": "true",
                "password_last_used": _ago(200),
                "mfa_active": "true",
                "user_creation_time": _ago(400),
            },
            "old-key-user": {"access_key_1_last_rotated": _ago(200), "access_key_1_last_used_date": _ago(10)},
            "break-glass-admin": {"password_last_used": _ago(3)},
        },
        "extra_rows": [
            {
                "user": "<root_account>",
                "arn": f"arn:aws:iam::{ACCOUNT_A}:root",
                "user_creation_time": _ago(2000),
                "password_enabled": "not_supported",
                "password_last_used": _ago(5),
                "mfa_active": "true",
                "access_key_1_active": "false",
                "access_key_2_active": "false",
            }
        ],
        "roles": {"stale-role": {"RoleLastUsed": _ago(200), "CreateDate": _ago(500)}},
    }
    path = tmp_path / "inject.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


def _apply_json(campaign: Path, url: str, out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """``access-review apply`` against the local endpoint, evidence in ``out``, the summary as JSON."""
    return run_cli(
        "access-review",
        "apply",
        str(campaign),
        "--endpoint-url",
        url,
        *flags,
        "--out",
        str(out),
        "--format",
        "json",
    )


def _fails(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (f["checkId"].removeprefix("access-review:"), f["subject"].rsplit(":", 1)[-1])
        for f in report["findings"]
        if f["status"] == "FAIL"
    }


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _decide(path: Path, decisions: dict[str, tuple[str, str, str]]) -> None:
    rows = _read_rows(path)
    for row in rows:
        decision, changes, comment = decisions.get(row["name"], ("keep", "", "still needed"))
        row.update(decision=decision, changes=changes, comment=comment)
    _write_rows(path, rows)


def _one_line_errors(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.strip()]


EXPECTED_FAILS = {
    ("iam_console_user_without_mfa", "user/bob"),
    ("iam_console_user_without_mfa", "user/break-glass-admin"),
    ("iam_admin_privilege", "user/break-glass-admin"),
    ("break_glass_principal", "user/break-glass-admin"),
    ("iam_access_key_never_used", "user/ci-deployer"),
    ("iam_admin_privilege", "user/ci-deployer"),
    ("iam_wildcard_privilege", "user/data-wild"),
    ("iam_admin_privilege", "user/ops-admin"),
    ("iam_access_key_never_used", "user/svc-reporting"),
    ("iam_principal_without_owner", "user/svc-reporting"),
    ("iam_admin_privilege", "role/legacy-admin"),
    ("iam_principal_without_owner", "role/legacy-admin"),
    ("iam_inactive_principal", "user/stale-user"),
    ("iam_access_key_not_rotated", "user/old-key-user"),
    ("iam_role_unused", "role/stale-role"),
    ("iam_root_account_used", "root"),
    ("iam_access_key_never_used", "user/contractor-1"),
    ("iam_console_user_without_mfa", "user/contractor-1"),
    ("iam_principal_without_owner", "user/contractor-1"),
}


def test_run_sign_apply_through_the_cli(seeded: dict[str, str], runbook_file: Path, tmp_path: Path) -> None:
    url, out = seeded["url"], tmp_path / "review"
    result = run_cli(
        "access-review",
        "run",
        "--runbook",
        str(runbook_file),
        "--endpoint-url",
        url,
        "--out",
        str(out),
        "--format",
        "json",
        inject=_spec(tmp_path),
    )
    assert result.returncode == 1, result.stderr
    summary = json.loads(result.stdout)
    report = json.loads((out / "report.json").read_text())
    assert report["kind"] == "access-review"
    assert _fails(report) == EXPECTED_FAILS
    assert not [f for f in report["findings"] if f["status"] == "ERROR"]
    stale = next(
        f
        for f in report["findings"]
        if f["checkId"] == "access-review:iam_inactive_principal" and f["status"] == "FAIL"
    )
    assert stale["subject"] == f"arn:aws:iam::{ACCOUNT_A}:user/stale-user"
    assert stale["requirements"] == ["hipaa-164.312:164.312(a)(2)(i)", "pci-dss-4.0:8.2.6"]
    assert summary["principals"] == {"iam-role": 4, "iam-root": 1, "iam-user": 11}
    manifest = json.loads((out / "manifest.json").read_text())
    assert {f["path"] for f in manifest["files"]} >= {
        "report.json",
        "campaign.csv",
        "campaign.yaml",
        "campaign-meta.json",
    }
    assert manifest["inputs"][0]["role"] == "runbook"

    campaign = out / "campaign.csv"
    rows = _read_rows(campaign)
    assert len(rows) == 16 and all(r["decision"] == "" for r in rows)
    by_name = {r["name"]: r for r in rows}
    assert by_name["break-glass-admin"]["protection"] == "break-glass"
    assert by_name["ci-deployer"]["protection"] == "allow-listed"
    assert by_name["<root_account>"]["protection"] == "root"
    assert by_name["bob"]["suggested_changes"] == "delete-login-profile"
    assert yaml.safe_load((out / "campaign.yaml").read_text())["principals"][0]["arn"] == rows[0]["arn"]

    # Undecided rows and a revoke of an allow-listed principal are refused, one line each, exit 2.
    refused = run_cli("access-review", "sign", str(campaign), "--reviewer", "Dana Auditor")
    assert refused.returncode == 2
    lines = _one_line_errors(refused.stderr)
    assert len(lines) == 16 and all(line.startswith(f"error: {campaign}: line ") for line in lines)
    decisions = {
        "bob": ("modify", "delete-login-profile", "uses SSO"),
        "svc-reporting": ("revoke", "", "replaced"),
        "contractor-1": ("revoke", "", "contract ended"),
        "legacy-admin": ("modify", f"detach-policy={seeded['admin_policy']}", "scoped role instead"),
        "break-glass-admin": ("keep", "", "used for the 3 Nov outage, ticket INC-42"),
        "ci-deployer": ("revoke", "", "try"),
    }
    _decide(campaign, decisions)
    refused = run_cli("access-review", "sign", str(campaign), "--reviewer", "Dana Auditor")
    assert refused.returncode == 2
    assert _one_line_errors(refused.stderr) == [
        f"error: {campaign}: line {[r['name'] for r in rows].index('ci-deployer') + 2}: "
        f"arn:aws:iam::{ACCOUNT_A}:user/ci-deployer is allow-listed: only 'keep' is allowed"
    ]
    decisions["ci-deployer"] = ("keep", "", "deploy pipeline")
    _decide(campaign, decisions)

    # Not signed yet: apply refuses.
    assert run_cli("access-review", "apply", str(campaign), "--endpoint-url", url).returncode == 2
    signed = run_cli("access-review", "sign", str(campaign), "--reviewer", "Dana Auditor", "--format", "json")
    assert signed.returncode == 0, signed.stderr
    assert json.loads(signed.stdout)["decisions"] == {"keep": 12, "modify": 2, "revoke": 2}

    # Edited after signing: refused, nothing touched.
    original = campaign.read_bytes()
    campaign.write_bytes(original.replace(b"uses SSO", b"uses SSO!"))
    tampered = run_cli("access-review", "apply", str(campaign), "--endpoint-url", url, "--execute")
    assert tampered.returncode == 2
    assert "edited after signing" in tampered.stderr and "Traceback" not in tampered.stderr
    campaign.write_bytes(original)

    iam_a = account_session(url, ACCOUNT_A).client("iam", endpoint_url=url)
    iam_b = account_session(url, ACCOUNT_B).client("iam", endpoint_url=url)

    dry = _apply_json(campaign, url, tmp_path / "dry")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["changes"] == {
        "applied": 0,
        "already-applied": 5,
        "already-gone": 0,
        "would-change": 5,
        "refused": 0,
        "failed": 0,
        "not-applied": 0,
    }
    assert iam_a.get_login_profile(UserName="bob")  # dry run changed nothing

    done = _apply_json(campaign, url, tmp_path / "exec", "--execute")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["changes"]["applied"] == 5
    with pytest.raises(iam_a.exceptions.NoSuchEntityException):
        iam_a.get_login_profile(UserName="bob")
    assert {k["Status"] for k in iam_a.list_access_keys(UserName="svc-reporting")["AccessKeyMetadata"]} == {
        "Inactive"
    }
    assert {k["Status"] for k in iam_b.list_access_keys(UserName="contractor-1")["AccessKeyMetadata"]} == {
        "Inactive"
    }
    with pytest.raises(iam_b.exceptions.NoSuchEntityException):
        iam_b.get_login_profile(UserName="contractor-1")
    assert iam_a.list_attached_role_policies(RoleName="legacy-admin")["AttachedPolicies"] == []
    # Break-glass and allow-listed principals untouched.
    assert iam_a.get_login_profile(UserName="break-glass-admin")
    assert iam_a.list_access_keys(UserName="ci-deployer")["AccessKeyMetadata"][0]["Status"] == "Active"

    journal = read_journal(tmp_path / "exec" / "journal.jsonl")
    applied = [e for e in journal if e["event"] == "applied"]
    bob = next(
        e
        for e in applied
        if e["seq"]
        == next(p["seq"] for p in journal if p["event"] == "planned" and p["principal"].endswith("user/bob"))
    )
    assert bob["before"] == {"consolePassword": True} and bob["after"] == {"consolePassword": False}
    bundle = json.loads((tmp_path / "exec" / "manifest.json").read_text())
    assert {"journal.jsonl", "campaign.csv", "campaign.csv.signature.json"} <= {
        f["path"] for f in bundle["files"]
    }

    verified = verify_bundle(tmp_path / "exec")
    assert verified.ok and verified.checked == len(bundle["files"])
    review_bundle = verify_bundle(out)  # records the campaign as generated; the reviewer edited it since
    assert review_bundle.edited == ["campaign.csv"] and review_bundle.added == ["campaign.csv.signature.json"]

    again = _apply_json(campaign, url, tmp_path / "again", "--execute")
    assert again.returncode == 0
    changes = json.loads(again.stdout)["changes"]
    assert (
        changes["applied"] == 0 and changes["already-applied"] == 10
    )  # 2 modify + 2 user revokes of 4 steps


def _signed_review(url: str, runbook_file: Path, tmp_path: Path) -> Path:
    out = tmp_path / "review"
    assert (
        run_cli(
            "access-review", "run", "--runbook", str(runbook_file), "--endpoint-url", url, "--out", str(out)
        ).returncode
        == 1
    )
    campaign = out / "campaign.csv"
    _decide(
        campaign,
        {
            "bob": ("modify", "delete-login-profile", "sso"),
            "data-wild": ("revoke", "", "left"),
            "svc-reporting": ("revoke", "", "replaced"),
            "break-glass-admin": ("keep", "", "sealed"),
        },
    )
    assert run_cli("access-review", "sign", str(campaign), "--reviewer", "Dana").returncode == 0
    return campaign


def _plan_outcomes(journal: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    plan = {e["seq"]: e for e in journal if e["event"] == "planned"}
    state = outcomes(journal)
    return [(plan[s]["principal"].rsplit("/", 1)[-1], plan[s]["change"], state[s]) for s in sorted(plan)]


def test_failure_halfway_leaves_an_exact_journal(
    seeded: dict[str, str], runbook_file: Path, tmp_path: Path
) -> None:
    url = seeded["url"]
    campaign = _signed_review(url, runbook_file, tmp_path)
    iam = account_session(url, ACCOUNT_A).client("iam", endpoint_url=url)
    list_keys = iter(range(1, 100))
    # AccessDenied (not retried) on the 2nd ListAccessKeys: bob's after-check is the 1st, data-wild's
    # deactivate-access-keys the 2nd
    with FaultProxy(
        url,
        rate=1.0,
        kinds=["denied"],
        only=lambda label: label == "iam.ListAccessKeys" and next(list_keys) == 2,
    ) as proxy:
        result = _apply_json(campaign, proxy.url, tmp_path / "exec", "--execute")
    assert result.returncode == 1
    journal = read_journal(tmp_path / "exec" / "journal.jsonl")
    assert _plan_outcomes(journal) == [
        ("bob", "delete-login-profile", "applied"),
        ("data-wild", "deactivate-access-keys", "failed"),
        ("data-wild", "delete-login-profile", "not-applied"),
        ("data-wild", "remove-from-all-groups", "not-applied"),
        ("data-wild", "detach-all-policies", "not-applied"),
        ("svc-reporting", "deactivate-access-keys", "not-applied"),
        ("svc-reporting", "delete-login-profile", "not-applied"),
        ("svc-reporting", "remove-from-all-groups", "not-applied"),
        ("svc-reporting", "detach-all-policies", "not-applied"),
    ]
    failed = next(e for e in journal if e["event"] == "failed")
    assert failed["error"].startswith("ListAccessKeys: AccessDenied")
    assert iam.list_access_keys(UserName="svc-reporting")["AccessKeyMetadata"][0]["Status"] == "Active"
    report = json.loads((tmp_path / "exec" / "report.json").read_text())
    assert report["problems"] == ["change #2 failed; 7 change(s) not applied (see journal.jsonl)"]


def test_principal_deleted_before_apply_is_already_gone_and_the_rest_is_applied(
    seeded: dict[str, str], runbook_file: Path, tmp_path: Path
) -> None:
    url = seeded["url"]
    campaign = _signed_review(url, runbook_file, tmp_path)
    iam = account_session(url, ACCOUNT_A).client("iam", endpoint_url=url)
    iam.delete_user_policy(UserName="data-wild", PolicyName="s3-everything")
    iam.delete_user(UserName="data-wild")  # disappears between sign-off and apply
    # and bob's console password is deleted by DeleteLoginProfile whose first response is lost: the
    # retry meets NoSuchEntity, which is the decided state
    with FaultProxy(
        url, rate=1.0, kinds=["lost"], max_faults=1, only=lambda label: label == "iam.DeleteLoginProfile"
    ) as proxy:
        result = _apply_json(campaign, proxy.url, tmp_path / "exec", "--execute")
    assert result.returncode == 0, result.stderr
    assert proxy.faults == {"lost": 1}
    journal = read_journal(tmp_path / "exec" / "journal.jsonl")
    assert _plan_outcomes(journal) == [
        ("bob", "delete-login-profile", "applied"),
        ("data-wild", "deactivate-access-keys", "already-gone"),
        ("data-wild", "delete-login-profile", "already-gone"),
        ("data-wild", "remove-from-all-groups", "already-gone"),
        ("data-wild", "detach-all-policies", "already-gone"),
        ("svc-reporting", "deactivate-access-keys", "applied"),
        ("svc-reporting", "delete-login-profile", "already-applied"),
        ("svc-reporting", "remove-from-all-groups", "already-applied"),
        ("svc-reporting", "detach-all-policies", "already-applied"),
    ]
    bob = next(e for e in journal if e["event"] == "applied" and e["seq"] == 1)
    assert bob["note"].startswith("already absent") and bob["after"] == {"consolePassword": False}
    assert json.loads(result.stdout)["changes"] == {
        "applied": 2,
        "already-applied": 3,
        "already-gone": 4,
        "would-change": 0,
        "refused": 0,
        "failed": 0,
        "not-applied": 0,
    }
    assert iam.list_access_keys(UserName="svc-reporting")["AccessKeyMetadata"][0]["Status"] == "Inactive"
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_login_profile(UserName="bob")


def test_unreachable_account_and_connect_instance_are_errors_the_rest_is_reviewed(
    moto_url: str, tmp_path: Path
) -> None:
    iam = account_session(moto_url, ACCOUNT_A).client("iam", endpoint_url=moto_url)
    iam.create_user(UserName="solo", Tags=[{"Key": "owner", "Value": "ops"}])
    scope = {
        "accounts": [{"id": ACCOUNT_A}, {"id": "999999999999"}],  # no role for the second: cannot be read
        "connect_instances": [{"instance_id": "not-in-moto", "account": ACCOUNT_A, "region": "us-east-1"}],
    }
    path = tmp_path / "runbook.yaml"
    path.write_text(yaml.safe_dump({**RUNBOOK, "scope": scope}), encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(
        "access-review", "run", "--runbook", str(path), "--endpoint-url", moto_url, "--out", str(out)
    )
    assert result.returncode == 1, result.stderr
    report = json.loads((out / "report.json").read_text())
    errors = {f["subject"]: f for f in report["findings"] if f["status"] == "ERROR"}
    assert set(errors) == {
        "arn:aws:iam::999999999999:root",
        f"arn:aws:connect:us-east-1:{ACCOUNT_A}:instance/not-in-moto",
    }
    assert {e["checkId"] for e in errors.values()} == {"access-review:access_review_collection"}
    assert "no role to assume for account 999999999999" in errors["arn:aws:iam::999999999999:root"]["message"]
    assert len(report["problems"]) == 2
    assert report["problems"][1].startswith("Connect instance not-in-moto: not reviewed")
    passed = {f["checkId"] for f in report["findings"] if f["status"] == "PASS"}
    assert "access-review:iam_console_user_without_mfa" in passed  # account A was still reviewed
    assert not {c for c in passed if c.startswith("access-review:connect_")}
    assert [r["name"] for r in _read_rows(out / "campaign.csv")] == ["solo"]


def test_bad_runbook_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({**RUNBOOK, "thresholds": {"inactive_dayz": 90}}), encoding="utf-8")
    result = run_cli("access-review", "run", "--runbook", str(path))
    assert result.returncode == 2
    assert _one_line_errors(result.stderr) == [
        f"error: {path}: line 23, column 3: thresholds.inactive_dayz: unknown key"
    ]
