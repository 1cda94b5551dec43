"""Runbook schema, loading, targets and the CLI's input handling (no AWS needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dr_helpers import REPO_ROOT, run_cli
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.errors import BadInput
from supportops.runbooks.dr.executor import load
from supportops.runbooks.dr.loader import bundled_runbooks, load_runbook
from supportops.runbooks.dr.naming import (
    created_at_of,
    is_drill_resource_name,
    new_drill_id,
    parse_duration,
    resource_name,
)
from supportops.runbooks.dr.steps.registry import REGISTRY

STEP = {"name": "orders-pitr", "type": "dynamodb-pitr", "table": "orders"}


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "runbook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        load_runbook(path)
    return [str(p) for p in caught.value.problems]


def test_bundled_runbooks_cover_every_protected_store_and_validate() -> None:
    runbooks = {path.stem: load(path, REPO_ROOT) for path in bundled_runbooks()}
    assert set(runbooks) == {
        "crm-idempotency",
        "customer-context",
        "call-recordings",
        "backup-vault",
        "connect-readiness",
        "rds-aurora",
    }
    types = {step.type for loaded in runbooks.values() for step in loaded.runbook.steps}
    assert types == set(REGISTRY.names)
    assert runbooks["rds-aurora"].runbook.status == "example"
    for name, loaded in runbooks.items():
        assert loaded.runbook.name == name
        assert loaded.targets.rto_seconds == 240 * 60 and loaded.targets.rpo_seconds == 15 * 60
        assert loaded.targets.source.startswith("Pulumi.demo-foundation.yaml")


def test_unknown_key_is_named_with_file_line_and_path(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        "name: x\nsteps:\n  - name: a\n    type: dynamodb-pitr\n    table: orders\n    tabel: typo\n",
    )
    assert problems == [f"{tmp_path / 'runbook.yaml'}: line 6, column 5: steps[0].tabel: unknown key"]


def test_unknown_step_type_lists_the_closed_set(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "name: x\nsteps:\n  - name: a\n    type: efs-restore\n")
    assert problems == [
        f"{tmp_path / 'runbook.yaml'}: line 4, column 5: steps[0].type: unknown step type 'efs-restore'; "
        "known: dynamodb-pitr, rds-pitr, s3-replication, aws-backup, connect-readiness"
    ]
    problems = _problems(tmp_path, "name: x\nsteps:\n  - name: a\n  - name: b\n    type: [1, 2]\n")
    assert problems[0].endswith(
        "line 3, column 5: steps[0]: step has no 'type'; known: dynamodb-pitr, "
        "rds-pitr, s3-replication, aws-backup, connect-readiness"
    )
    assert "line 5, column 5: steps[1].type: unknown step type" in problems[1]


def test_step_type_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    problems = _problems(tmp_path, bomb + "name: x\nsteps:\n  - name: a\n    type: *i\n")
    assert len(problems) == 1 and "expands to more than" in problems[0]


def test_duplicate_step_names_and_missing_keys(tmp_path: Path) -> None:
    document = {"name": "x", "steps": [STEP, STEP, {"name": "b", "type": "aws-backup", "vault": "v"}]}
    problems = _problems(tmp_path, json.dumps(document))
    assert any(p.endswith("steps[2].iamRoleArn: required key is missing") for p in problems)
    document["steps"] = [STEP, STEP]
    problems = _problems(tmp_path, json.dumps(document))
    assert problems == [
        f"{tmp_path / 'runbook.yaml'}: line 1, column 15: steps: duplicate step names: orders-pitr"
    ]


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ({**STEP, "timeoutSeconds": 0}, "steps[0].timeoutSeconds: Input should be greater than 0"),
        (
            {**STEP, "timeoutSeconds": 10**6},
            "steps[0].timeoutSeconds: Input should be less than or equal to 86400",
        ),
        (
            {**STEP, "restorableWaitSeconds": 7200},
            "steps[0].restorableWaitSeconds: Input should be less than",
        ),
        ({**STEP, "name": "Bad--Name"}, "steps[0].name: String should match pattern"),
        ({"name": "db", "type": "rds-pitr"}, "steps[0]: name exactly one of dbInstance or dbCluster"),
        (
            {"name": "db", "type": "rds-pitr", "dbInstance": "a", "dbCluster": "b"},
            "steps[0]: name exactly one of dbInstance or dbCluster",
        ),
    ],
)
def test_every_wait_is_bounded_and_names_are_safe(
    tmp_path: Path, step: dict[str, object], expected: str
) -> None:
    problems = _problems(tmp_path, json.dumps({"name": "x", "steps": [step]}))
    assert len(problems) == 1 and expected in problems[0], problems


def test_yaml_syntax_error_is_one_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "name: x\nsteps: [\n")
    assert len(problems) == 1 and "not valid YAML" in problems[0] and "line 3" in problems[0]


def test_targets_come_from_the_stack_file_unless_the_runbook_overrides(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.prod-foundation.yaml").write_text(
        "config:\n  supportops:environment: prod\n  supportops:phase: foundation\n"
        "  supportops:resilience:\n    rtoMinutes: 60\n    rpoMinutes: 5\n",
        encoding="utf-8",
    )
    path = tmp_path / "r.yaml"
    path.write_text(json.dumps({"name": "x", "stack": "prod-foundation", "steps": [STEP]}))
    targets = load(path, tmp_path).targets
    assert (targets.rto_seconds, targets.rpo_seconds) == (3600, 300)
    path.write_text(
        json.dumps({"name": "x", "stack": "prod-foundation", "targets": {"rpoMinutes": 1}, "steps": [STEP]})
    )
    targets = load(path, tmp_path).targets
    assert (targets.rto_seconds, targets.rpo_seconds) == (3600, 60)
    assert "runbook overrides rpoMinutes" in targets.source
    path.write_text(json.dumps({"name": "x", "targets": {"rpoMinutes": 500}, "steps": [STEP]}))
    with pytest.raises(BadInput, match=r"targets: RPO \(500 min\) is above RTO \(240 min\)"):
        load(path, tmp_path)
    path.write_text(json.dumps({"name": "x", "stack": "nope", "steps": [STEP]}))
    with pytest.raises(BadInput, match="stack: no stack file"):
        load(path, tmp_path)


def test_drill_names_are_valid_everywhere_and_reserved() -> None:
    drill_id = new_drill_id()
    name = resource_name(drill_id, "a" * 32)
    assert len(name) <= 63 and is_drill_resource_name(name) and "--" not in name
    assert created_at_of(name) is not None
    assert not is_drill_resource_name("demo-crm-idempotency")
    assert not is_drill_resource_name("dr-2026-orders")
    assert parse_duration("90s").total_seconds() == 90 and parse_duration("2h").total_seconds() == 7200
    with pytest.raises(ValueError):
        parse_duration("2 hours")


def test_cli_bad_runbook_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nsteps:\n  - name: a\n    type: nope\n", encoding="utf-8")
    done = run_cli("dr", "drill", str(path), "--dry-run")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"error: {path}: line 4, column 5: steps[0].type: unknown step type 'nope'")
    missing = run_cli("dr", "drill", "no-such-runbook")
    assert missing.returncode == 2 and missing.stderr.startswith("error: no-such-runbook: no such runbook")


def test_dry_run_and_list_make_no_aws_call() -> None:
    runner = CliRunner()
    app = create_app()
    env = {"AWS_ENDPOINT_URL": "http://127.0.0.1:9"}  # nothing listens there: any call would fail
    done = runner.invoke(app, ["dr", "drill", "connect-readiness", "--dry-run", "--format", "json"], env=env)
    assert done.exit_code == 0, done.output
    plan = json.loads(done.output)
    step = plan["steps"][0]
    assert step["checks"] == ["readiness"]
    assert "not performed without --allow-failover" in step["note"]
    done = runner.invoke(
        app,
        ["dr", "drill", "connect-readiness", "--dry-run", "--format", "json", "--allow-failover"],
        env=env,
    )
    assert json.loads(done.output)["steps"][0]["checks"] == ["readiness", "rto", "failover"]
    listed = runner.invoke(app, ["dr", "list", "--format", "json"], env=env)
    assert listed.exit_code == 0
    assert {row["name"] for row in json.loads(listed.output)} >= {"crm-idempotency", "rds-aurora"}


def test_runbook_model_rejects_unknown_top_level_keys() -> None:
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        REGISTRY.runbook_model.model_validate({"name": "x", "steps": [STEP], "schedule": "daily"})


def test_permissions_are_the_declared_calls_of_the_runbooks_steps() -> None:
    runner = CliRunner()
    app = create_app()
    done = runner.invoke(app, ["dr", "permissions", "call-recordings", "--format", "json"])
    assert done.exit_code == 0, done.output
    policies = json.loads(done.output)
    drill = policies["drill"]["Statement"][0]["Action"]
    assert drill == sorted(drill) and {a.split(":")[0] for a in drill} == {"s3"}
    assert "s3:PutObject" in drill and "dynamodb:PutItem" not in drill
    cleanup = policies["cleanup"]["Statement"][0]["Action"]
    # Drill resources of every kind are swept whichever runbook left them (and canaries in the tables
    # they were restored from); S3 canaries where this runbook writes them.
    expected = {"tag:GetResources", "dynamodb:DeleteTable", "dynamodb:DeleteItem", "rds:DeleteDBInstance"}
    assert expected <= set(cleanup)
    assert "s3:ListBucketVersions" in cleanup and "s3:PutObject" not in cleanup
    every = json.loads(runner.invoke(app, ["dr", "permissions", "--format", "json"]).output)
    assert "backup:StartRestoreJob" in every["drill"]["Statement"][0]["Action"]
