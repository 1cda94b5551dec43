"""`supportops comply --live` through the CLI, against moto's server over HTTP: the live verdicts of a
deployed phase equal its planned verdicts; accounts through STS; the permissions it needs; bad option
values are one line and exit 2."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fault_proxy import FaultProxy
from live_stack import REGIONS, SERVICES, Deployment, aws_env, deployed
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.inventory.live import required_actions
from supportops.inventory.model import Inventory
from supportops.policies.engine import evaluate
from supportops.policies.profiles import premise_of
from supportops.policies.stack_config import choose_config
from supportops.runbooks.local_aws import local_aws_endpoint

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "Pulumi.demo-foundation.yaml"
runner = CliRunner()


def comply(*args: str) -> Any:
    return runner.invoke(create_app(), ["comply", *args])


def live_args(url: str, *extra: str) -> list[str]:
    regions = [arg for region in REGIONS for arg in ("--region", region)]
    return [
        "--live",
        "--endpoint-url",
        url,
        *regions,
        "--service",
        ",".join(SERVICES),
        "--no-checkov",
        *extra,
    ]


def subjects(findings: dict[tuple[str, str], str]) -> set[str]:
    return {subject for _check, subject in findings}


@pytest.fixture(scope="module")
def deployment(foundation_plan: Inventory) -> Iterator[Deployment]:
    with deployed(foundation_plan) as deployed_phase:
        yield deployed_phase


@pytest.mark.slow
def test_live_verdicts_equal_the_planned_verdicts(deployment: Deployment, tmp_path: Path) -> None:
    out = tmp_path / "live.json"
    result = comply(*live_args(deployment.url, "--config", str(CONFIG), "-f", "json", "-o", str(out)))
    report = json.loads(out.read_text(encoding="utf-8"))
    live = {(f["checkId"], f["subject"]): f["status"] for f in report["findings"]}
    choice = choose_config(deployment.plan, CONFIG)
    planned_findings = evaluate(deployment.plan, choice.config, premise=premise_of(choice)).findings
    planned = {
        (f.check_id, deployment.live_urn(f.subject)): f.status.value
        for f in planned_findings
        if f.subject in deployment.materialised.physical_ids
    }
    assert len(planned) > 100
    # moto drops a queue's Policy on a later SetQueueAttributes that does not name it (AWS keeps it):
    # the dead-letter queue that gets a redrive-allow policy after its policy loses it in moto.
    not_read_back = {
        subject for (_check, subject), status in planned.items() if subject not in subjects(live)
    }
    assert {s.rsplit("::", 2)[-2] for s in not_read_back} <= {
        "aws:sqs/queuePolicy:QueuePolicy",
        "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    }
    assert len(not_read_back) <= 2
    differ = sorted(
        (k, live.get(k), v) for k, v in planned.items() if k[1] not in not_read_back and live[k] != v
    )
    assert differ == []
    statuses = set(live.values())
    expected_exit = 1 if "FAIL" in statuses else 3 if "ERROR" in statuses else 0
    assert result.exit_code == expected_exit, result.output
    assert report["details"]["live"]["regions"] == list(REGIONS)


@pytest.mark.slow
def test_accounts_are_read_through_sts_assume_role(tmp_path: Path) -> None:
    out = tmp_path / "live.json"
    with aws_env(), local_aws_endpoint() as url:
        result = comply(
            "--live",
            "--endpoint-url",
            url,
            "--service",
            "sqs",
            "--accounts",
            "111111111111,222222222222",
            "--role-name",
            "supportops-audit",
            "--no-checkov",
            "-f",
            "json",
            "-o",
            str(out),
        )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert report["details"]["live"]["accounts"] == ["111111111111", "222222222222"]


@pytest.mark.slow
def test_a_denied_read_turns_the_verdicts_it_feeds_into_errors(
    deployment: Deployment, tmp_path: Path
) -> None:
    out = tmp_path / "live.json"
    with FaultProxy(
        deployment.url, rate=1.0, kinds=("denied",), only=lambda call: call == "kms.GetKeyPolicy"
    ) as proxy:
        result = comply(
            "--live",
            "--endpoint-url",
            proxy.url,
            "--region",
            "us-east-1",
            "--service",
            "kms",
            "--config",
            str(CONFIG),
            "--no-checkov",
            "-f",
            "json",
            "-o",
            str(out),
        )
    report = json.loads(out.read_text(encoding="utf-8"))
    keys = {f["subject"] for f in report["findings"] if f["subjectType"] == "aws:kms/key:Key"}
    on_keys = {f["status"] for f in report["findings"] if f["subject"] in keys}
    faults = [f for f in report["findings"] if f["checkId"] == "live:fault"]
    assert result.exit_code == 3, result.output
    assert keys and on_keys == {"ERROR"}  # no PASS or FAIL built on a policy nobody could read
    assert {f["subject"] for f in faults} == keys
    assert all(
        "kms:GetKeyPolicy" in f["message"] and "arn:aws:sts::123456789012:user/moto" in f["message"]
        for f in faults
    )


@pytest.mark.slow
def test_a_role_that_cannot_be_assumed_is_an_error_naming_the_call_and_principal(tmp_path: Path) -> None:
    out = tmp_path / "live.json"
    with (
        aws_env(),
        local_aws_endpoint() as url,
        FaultProxy(url, rate=1.0, kinds=("denied",), only=lambda call: call == "sts.AssumeRole") as proxy,
    ):
        result = comply(
            "--live",
            "--endpoint-url",
            proxy.url,
            "--service",
            "sqs",
            "--accounts",
            "111111111111",
            "--role-name",
            "supportops-audit",
            "--no-checkov",
            "-f",
            "json",
            "-o",
            str(out),
        )
    report = json.loads(out.read_text(encoding="utf-8"))
    [fault] = [f for f in report["findings"] if f["status"] == "ERROR"]
    assert result.exit_code == 3, result.output
    assert fault["checkId"] == "live:fault"
    assert "sts:AssumeRole" in fault["message"] and "arn:aws:sts::123456789012:user/moto" in fault["message"]
    assert "arn:aws:iam::111111111111:role/supportops-audit" in fault["message"]
    assert not [f for f in report["findings"] if f["status"] in ("PASS", "FAIL")]


def test_permissions_prints_the_read_only_policy() -> None:
    result = comply("--live", "permissions")
    assert result.exit_code == 0, result.output
    policy = json.loads(result.stdout)
    assert policy["Statement"][0]["Action"] == required_actions()
    assert policy["Statement"][0]["Effect"] == "Allow"


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--live", "--region", "us-east-1", "--region", "mars-1"], "--region"),
        (["--live", "--accounts", "12345,111111111111", "--role-name", "audit"], "--accounts"),
        (["--live", "--role-arn", "arn:aws:iam::123:role/x"], "--role-arn"),
        (["--live", "--accounts", "111111111111"], "--accounts"),
        (["--live", "--endpoint-url", "ftp://example"], "--endpoint-url"),
        (["--live", "--service", "nosuch"], "--service"),
        (["--live", "--stack", "demo-foundation"], "--stack"),
        (["--region", "us-east-1", "--stack", "demo-foundation"], "--region"),
        (["permissions"], "comply"),
    ],
)
def test_bad_live_options_are_one_line_and_exit_2(args: list[str], names: str) -> None:
    with aws_env():
        result = comply(*args, "--no-checkov")
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith(f"error: {names}"), lines


def test_roles_to_assume_from_arns_templates_and_accounts() -> None:
    from supportops.inventory.live_access import LiveAccess

    access = LiveAccess.from_options(
        role_arns=["arn:aws:iam::333333333333:role/audit"],
        accounts="111111111111, 222222222222",
        role_name="audit",
    )
    assert access.role_arns_for("aws-us-gov") == [
        "arn:aws:iam::333333333333:role/audit",
        "arn:aws-us-gov:iam::111111111111:role/audit",
        "arn:aws-us-gov:iam::222222222222:role/audit",
    ]
    templated = LiveAccess.from_options(
        role_arns=["arn:aws:iam::{account}:role/ro"], accounts=["111111111111"]
    )
    assert templated.role_arns_for("aws") == ["arn:aws:iam::111111111111:role/ro"]
