"""Shared test data and the CLI-as-a-subprocess runner for the access-review tests (a uniquely named
module, so test files never import another folder's ``conftest``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from supportops.runbooks.access_review.demo import ACCOUNT_A, ACCOUNT_B, REVIEW_ROLE_B, account_session

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent.parent
INJECT = HERE / "cli_with_injected_rows.py"

RUNBOOK: dict[str, Any] = {
    "version": 1,
    "name": "test-review",
    "scope": {
        "region": "us-east-1",
        "accounts": [
            {"id": ACCOUNT_A, "name": "prod"},
            {"id": ACCOUNT_B, "name": "shared", "role_arn": REVIEW_ROLE_B},
        ],
    },
    "thresholds": {"unused_key_grace_days": 0},
    "owners": {"tag_key": "owner", "required_for_roles": True},
    "break_glass": [
        {
            "principal": f"arn:aws:iam::{ACCOUNT_A}:user/break-glass-admin",
            "owner": "head",
            "justification": "emergency access",
        }
    ],
    "allow_list": ["arn:aws:iam::*:user/ci-deployer"],
    "credential_report": {"max_attempts": 3, "delay_seconds": 0},
}


def seed_extra(url: str) -> None:
    """Principals whose dates the tests backdate through injected report rows / pages."""
    iam = account_session(url, ACCOUNT_A).client("iam", endpoint_url=url)
    for name in ("stale-user", "old-key-user"):
        iam.create_user(UserName=name, Tags=[{"Key": "owner", "Value": "ops"}])
    iam.create_access_key(UserName="old-key-user")
    iam.create_role(
        RoleName="stale-role", AssumeRolePolicyDocument="{}", Tags=[{"Key": "owner", "Value": "ops"}]
    )


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        COLUMNS="200",
    )
    return env


def run_cli(*args: str, inject: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The CLI as a subprocess (optionally through the row-injecting wrapper)."""
    prefix = (
        [sys.executable, str(INJECT), str(inject)]
        if inject
        else [sys.executable, "-m", "supportops.cli.main"]
    )
    return subprocess.run(
        [*prefix, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cli_env(),
        cwd=REPO,
        check=False,
    )
