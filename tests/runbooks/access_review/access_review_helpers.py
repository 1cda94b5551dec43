"""Shared test data and the CLI-as-a-subprocess runner for the access-review tests (a uniquely named
module, so test files never import another folder's ``conftest``)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
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


def reset_moto(url: str) -> None:
    """Empty every account: moto keeps its backends per process, shared by every server in it."""
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    urllib.request.urlopen(request, timeout=10).close()


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


def iam_state(url: str) -> dict[str, Any]:
    """What apply can change, in both accounts: per user console password, key statuses, groups and
    attached policies; per role attached policies (key ids left out: they differ between seedings)."""
    state: dict[str, Any] = {}
    for account in (ACCOUNT_A, ACCOUNT_B):
        iam = account_session(url, account).client("iam", endpoint_url=url)
        for user in iam.list_users()["Users"]:
            name = user["UserName"]
            try:
                iam.get_login_profile(UserName=name)
                password = True
            except iam.exceptions.NoSuchEntityException:
                password = False
            state[f"{account}:user/{name}"] = {
                "password": password,
                "keys": sorted(k["Status"] for k in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]),
                "groups": sorted(g["GroupName"] for g in iam.list_groups_for_user(UserName=name)["Groups"]),
                "policies": sorted(
                    p["PolicyArn"] for p in iam.list_attached_user_policies(UserName=name)["AttachedPolicies"]
                ),
            }
        for role in iam.list_roles()["Roles"]:
            name = role["RoleName"]
            state[f"{account}:role/{name}"] = sorted(
                p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
            )
    return state


def local_factory(url: str, *observers: Any, base: Any = None) -> Any:
    """A client factory for the local endpoint (``base``: a session to reuse, models already loaded)."""
    from supportops.runbooks.access_review.clients import ClientFactory, RoleChoice
    from supportops.runbooks.access_review.demo import fake_session

    return ClientFactory(
        base=base or fake_session(),
        endpoint_url=url,
        region="us-east-1",
        roles=RoleChoice(),
        observers=list(observers),
    )


def review(url: str, runbook_file: Path, out: Path) -> Path:
    """``access-review run`` in-process (no injected dates); the campaign CSV."""
    from supportops.runbooks.access_review.review import run_review
    from supportops.runbooks.access_review.schema import load_runbook

    return run_review(load_runbook(runbook_file), runbook_file, local_factory(url), out).campaign_csv


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def decide(path: Path, decisions: dict[str, tuple[str, str, str]]) -> None:
    """Fill decisions by principal name (keep unless listed)."""
    rows = read_rows(path)
    for row in rows:
        decision, changes, comment = decisions.get(row["name"], ("keep", "", "still needed"))
        row.update(decision=decision, changes=changes, comment=comment)
    write_rows(path, rows)


def forge_signature(campaign: Path, **overrides: Any) -> None:
    """What an attacker with write access can do: recompute every hash and the seal of the signature
    over the campaign and meta as they are now (no decision checks), with chosen field values."""
    import json

    from supportops.reports.evidence import sha256_file
    from supportops.runbooks.access_review.campaign import decisions_hash, read_campaign
    from supportops.runbooks.access_review.meta import meta_path, read_meta
    from supportops.runbooks.access_review.signing import seal, signature_path

    rows, meta = read_campaign(campaign), read_meta(campaign)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.decision] = counts.get(row.decision, 0) + 1
    fields: dict[str, Any] = {
        "schema": "supportops.access-review-signature/v2",
        "campaignId": meta.campaign_id,
        "campaignFile": campaign.name,
        "campaignSha256": sha256_file(campaign),
        "metaSha256": sha256_file(meta_path(campaign)),
        "decisionsSha256": decisions_hash(meta.campaign_id, rows),
        "reviewer": "Mallory",
        "signedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "decisions": dict(sorted(counts.items())),
        **overrides,
    }
    signature_path(campaign).write_text(json.dumps({**fields, "sealSha256": seal(fields)}), encoding="utf-8")


def read_journal(path: Path) -> list[dict[str, Any]]:
    """The entries of an apply journal (JSON lines)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def outcomes(entries: list[dict[str, Any]]) -> dict[int, str]:
    """seq -> last event for that change ("planned" means it never started)."""
    state: dict[int, str] = {}
    for entry in entries:
        if "seq" in entry:
            state[int(entry["seq"])] = str(entry["event"])
    return state
