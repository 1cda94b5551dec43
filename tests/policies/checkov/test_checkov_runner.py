"""The runner and the report boundary, with fake checkov executables: whatever goes wrong is an
ERROR finding plus a problem line, never a silent pass."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from checkov_inventories import Builder, bucket

from supportops.findings import Status
from supportops.policies.checkov.report import parse_report
from supportops.policies.checkov.runner import (
    CHECKOV_ENV_VAR,
    REPO_ROOT,
    CheckovUnavailable,
    find_checkov,
    offline_environment,
)
from supportops.policies.checkov.scan import scan
from supportops.policies.checkov.secrets import scan_secrets


def fake_checkov(tmp_path: Path, *, stdout: str = "", exit_code: int = 0, sleep: float = 0.0) -> Path:
    """An executable that records its arguments and environment, then answers as told."""
    script = tmp_path / "checkov"
    record = tmp_path / "call.json"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys, time\n"
        f"json.dump({{'argv': sys.argv[1:], 'env': dict(os.environ)}}, open({str(record)!r}, 'w'))\n"
        f"time.sleep({sleep})\n"
        f"sys.stdout.write({stdout!r})\n"
        f"sys.exit({exit_code})\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def call(tmp_path: Path) -> dict[str, Any]:
    recorded: dict[str, Any] = json.loads((tmp_path / "call.json").read_text(encoding="utf-8"))
    return recorded


def one_bucket_inventory() -> Any:
    b = Builder()
    bucket(b, "data")
    return b.inventory()


def report(
    failed: list[dict[str, Any]],
    passed: list[dict[str, Any]] | None = None,
    parsing_errors: list[str] | None = None,
) -> str:
    return json.dumps(
        {
            "check_type": "terraform_plan",
            "results": {
                "failed_checks": failed,
                "passed_checks": passed or [],
                "skipped_checks": [],
                "parsing_errors": parsing_errors or [],
            },
            "summary": {"passed": len(passed or []), "failed": len(failed), "checkov_version": "3.3.30"},
        }
    )


def check(check_id: str, address: str, result: str = "FAILED") -> dict[str, Any]:
    return {
        "check_id": check_id,
        "check_name": f"name of {check_id}",
        "resource": address,
        "resource_address": address,
        "check_result": {"result": result, "evaluated_keys": ["versioning"]},
        "file_path": "/checkov-plan.json",
        "file_line_range": [1, 1],
    }


def test_missing_checkov_is_an_error_never_a_pass(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(CHECKOV_ENV_VAR, str(tmp_path / "no-such-checkov"))
    with pytest.raises(CheckovUnavailable, match="not installed"):
        find_checkov()
    outcome = scan(one_bucket_inventory(), waivers=[])
    assert [(f.check_id, f.status, f.source) for f in outcome.findings] == [
        ("checkov", Status.ERROR, "checkov")
    ]
    assert len(outcome.problems) == 1 and "not installed" in outcome.problems[0]


@pytest.mark.parametrize(
    ("stdout", "exit_code", "reason"),
    [
        ("Traceback (most recent call last): boom", 2, "exited with code 2"),
        ("this is not json", 0, "printed no JSON report"),
        ('{"unexpected": true}', 0, "unexpected shape"),
        (
            '{"check_type": "terraform_plan", "results": {"failed_checks": [{"check_id": 1}]},'
            ' "summary": {}}',
            1,
            "unexpected shape",
        ),
    ],
)
def test_crashing_or_garbled_checkov_is_an_error(
    tmp_path: Path, stdout: str, exit_code: int, reason: str
) -> None:
    executable = fake_checkov(tmp_path, stdout=stdout, exit_code=exit_code)
    outcome = scan(one_bucket_inventory(), executable=executable, waivers=[])
    assert [(f.check_id, f.status) for f in outcome.findings] == [("checkov", Status.ERROR)]
    assert reason in outcome.problems[0]


def test_timeout_is_an_error(tmp_path: Path) -> None:
    executable = fake_checkov(tmp_path, stdout=report([]), sleep=5)
    outcome = scan(one_bucket_inventory(), executable=executable, timeout=0.5, waivers=[])
    assert [f.status for f in outcome.findings] == [Status.ERROR]
    assert "timed out" in outcome.problems[0]


def test_checkov_runs_offline_on_the_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BC_API_KEY", "must-not-be-passed")
    executable = fake_checkov(
        tmp_path, stdout=report([check("CKV_AWS_21", "aws_s3_bucket.data")]), exit_code=1
    )
    outcome = scan(one_bucket_inventory(), executable=executable, waivers=[])
    recorded = call(tmp_path)
    assert recorded["argv"][:3] == ["--framework", "terraform_plan", "-f"]
    assert {"--skip-download", "--compact", "-o", "json"} <= set(recorded["argv"])
    assert recorded["env"]["BC_SKIP_MAPPING"] == "TRUE"
    assert recorded["env"]["EVAL_TF_PLAN_AFTER_UNKNOWN"] == "true"  # unknown until apply counts as set
    assert recorded["env"]["CKV_SKIP_PACKAGE_UPDATE_CHECK"] == "true"
    assert "BC_API_KEY" not in recorded["env"]
    assert not Path(recorded["argv"][3]).exists()  # the temporary plan is removed
    (finding,) = outcome.findings
    assert (finding.check_id, finding.status, finding.subject) == (
        "CKV_AWS_21",
        Status.FAIL,
        "urn:pulumi:checkov-test::supportops::aws:s3/bucket:Bucket::data",
    )
    assert finding.evidence[0].path == "versioning"


def test_results_naming_no_plan_resource_and_parsing_errors_are_reported(tmp_path: Path) -> None:
    stdout = report(
        [check("CKV_AWS_21", "aws_s3_bucket.ghost")],
        passed=[check("CKV_AWS_20", "aws_s3_bucket.data", "PASSED")],
        parsing_errors=["/checkov-plan.json"],
    )
    outcome = scan(
        one_bucket_inventory(), executable=fake_checkov(tmp_path, stdout=stdout, exit_code=1), waivers=[]
    )
    assert [(f.check_id, f.status) for f in outcome.findings] == [
        ("CKV_AWS_20", Status.PASS),
        ("checkov", Status.ERROR),
    ]
    assert outcome.problems == [
        "checkov: CKV_AWS_21 reported 'aws_s3_bucket.ghost', which is not in the plan",
        "checkov: checkov could not parse the plan (1 parsing error(s))",
    ]


def test_no_check_run_on_a_non_empty_plan_is_an_error(tmp_path: Path) -> None:
    stdout = json.dumps({"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0})
    outcome = scan(one_bucket_inventory(), executable=fake_checkov(tmp_path, stdout=stdout), waivers=[])
    assert [f.status for f in outcome.findings] == [Status.ERROR]
    assert outcome.problems == ["checkov: checkov ran no check on the 1 resources of the plan"]


def test_report_shapes() -> None:
    single = parse_report(report([check("CKV_AWS_21", "a.b")]))
    assert [c.check_id for c in single.checks()] == ["CKV_AWS_21"]
    listed = parse_report(
        json.dumps(
            [
                json.loads(report([check("CKV_AWS_21", "a.b")])),
                json.loads(report([check("CKV_AWS_18", "a.c")])),
            ]
        )
    )
    assert [c.check_id for c in listed.checks()] == ["CKV_AWS_21", "CKV_AWS_18"]
    assert parse_report('{"passed": 0, "failed": 0, "checkov_version": "3.3.30"}').checks() == []


def test_offline_environment_strips_platform_keys() -> None:
    env = offline_environment({"PATH": "/bin", "BC_API_KEY": "x", "PRISMA_API_URL": "y"})
    assert env["PATH"] == "/bin" and "BC_API_KEY" not in env and "PRISMA_API_URL" not in env


def test_secrets_scan_without_findings_is_one_pass(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    stdout = json.dumps({"passed": 0, "failed": 0, "checkov_version": "3.3.30"})
    outcome = scan_secrets(project, executable=fake_checkov(tmp_path, stdout=stdout), waivers=[])
    assert [(f.check_id, f.status) for f in outcome.findings] == [("CKV_SECRET_SCAN", Status.PASS)]
    argv = call(tmp_path)["argv"]
    assert argv[:4] == ["--framework", "secrets", "-d", str(project)]
    assert "--enable-secret-scan-all-files" in argv
    assert r"(^|/)\.venv[^/]*/" in argv and "(^|/)out/" in argv


def test_secrets_scan_unavailable_is_an_error(tmp_path: Path) -> None:
    outcome = scan_secrets(
        tmp_path, executable=fake_checkov(tmp_path, stdout="boom", exit_code=3), waivers=[]
    )
    assert [(f.check_id, f.status) for f in outcome.findings] == [("checkov", Status.ERROR)]
    assert outcome.problems and outcome.problems[0].startswith("checkov secrets:")
    missing = scan_secrets(tmp_path / "absent", waivers=[])
    assert [f.status for f in missing.findings] == [Status.ERROR]


def test_repo_root_default_points_at_this_checkout() -> None:
    assert (REPO_ROOT / "scripts" / "_checkov_venv.sh").is_file()
    assert os.access(REPO_ROOT / "scripts" / "_checkov_venv.sh", os.R_OK)


def test_evidence_never_carries_a_secret(tmp_path: Path) -> None:
    from supportops.inventory.model import SECRET_SIG, SIG_KEY

    b = Builder()
    b.add(
        "aws:secretsmanager/secretVersion:SecretVersion",
        "token",
        {"secretString": {SIG_KEY: SECRET_SIG, "plaintext": "hunter2-plaintext"}, "secretId": "arn:x"},
    )
    failed = check("CKV_AWS_999", "aws_secretsmanager_secret_version.token")
    failed["check_result"]["evaluated_keys"] = ["secret_string", "secret_id"]
    outcome = scan(
        b.inventory(), executable=fake_checkov(tmp_path, stdout=report([failed]), exit_code=1), waivers=[]
    )
    (finding,) = outcome.findings
    assert [(e.path, e.observed) for e in finding.evidence] == [
        ("secretString", "[secret]"),
        ("secretId", "arn:x"),
    ]
    assert "hunter2" not in repr(outcome)


def test_checkov_venv_setup_is_idempotent_and_pinned(checkov_installed: None) -> None:
    """scripts/_checkov_venv.sh (sourced by scripts/_venv.sh) pins one exact checkov 3.3.x and does
    nothing once that version is installed."""
    import re
    import subprocess

    script = REPO_ROOT / "scripts" / "_checkov_venv.sh"
    pinned = re.search(r'^CHECKOV_VERSION="(3\.3\.\d+)"$', script.read_text(encoding="utf-8"), re.MULTILINE)
    assert pinned is not None
    assert (REPO_ROOT / ".venv-checkov" / f".supportops-checkov-{pinned.group(1)}").is_file()
    rerun = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=60, check=True)
    assert rerun.stdout == "" and rerun.stderr == ""
    venv_script = (REPO_ROOT / "scripts" / "_venv.sh").read_text(encoding="utf-8")
    assert 'source "$ROOT/scripts/_checkov_venv.sh"' in venv_script
