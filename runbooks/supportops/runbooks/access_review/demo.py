"""``supportops access-review demo``: the whole review cycle against a local moto endpoint that this
module starts and stops itself. Seeds two accounts with principals that trip the checks moto can show,
runs the review, decides like a reviewer would, signs, applies (dry run, execute, execute again)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import yaml

from supportops.runbooks.access_review.apply import apply_campaign
from supportops.runbooks.access_review.clients import ClientFactory, RoleChoice
from supportops.runbooks.access_review.review import exit_code, run_review
from supportops.runbooks.access_review.schema import load_runbook
from supportops.runbooks.access_review.signing import sign_campaign
from supportops.runbooks.local_aws import local_aws_endpoint

DEMO_RUNBOOK = Path(__file__).resolve().parent / "demo.yaml"
ACCOUNT_A, ACCOUNT_B = "123456789012", "210987654321"
REVIEW_ROLE_B = f"arn:aws:iam::{ACCOUNT_B}:role/supportops-access-review"
ADMIN_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
READ_DOC = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["connect:Describe*"], "Resource": "*"}],
}
S3_ALL_DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def fake_session() -> boto3.Session:
    """Credentials moto accepts; never real ones."""
    return boto3.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        aws_session_token="testing",
        region_name="us-east-1",
    )


def account_session(endpoint_url: str, account_id: str) -> boto3.Session:
    if account_id == ACCOUNT_A:
        return fake_session()
    sts = fake_session().client("sts", endpoint_url=endpoint_url)
    creds = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/supportops-access-review", RoleSessionName="supportops-seed"
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name="us-east-1",
    )


def _user(
    iam: Any,
    name: str,
    *,
    owner: str | None = None,
    password: bool = False,
    mfa: bool = False,
    key: bool = False,
) -> None:
    tags = [{"Key": "owner", "Value": owner}] if owner else []
    iam.create_user(UserName=name, Tags=tags)
    if password:
        iam.create_login_profile(UserName=name, Password="Demo-Passw0rd!")
    if mfa:
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=f"{name}-mfa")["VirtualMFADevice"][
            "SerialNumber"
        ]
        iam.enable_mfa_device(
            UserName=name, SerialNumber=serial, AuthenticationCode1="123456", AuthenticationCode2="654321"
        )
    if key:
        iam.create_access_key(UserName=name)


def seed_demo(endpoint_url: str) -> dict[str, str]:
    """Seed both demo accounts; return the ARNs of notable principals by short name."""
    iam = account_session(endpoint_url, ACCOUNT_A).client("iam", endpoint_url=endpoint_url)
    admin_arn = iam.create_policy(PolicyName="PlatformAdmin", PolicyDocument=json.dumps(ADMIN_DOC))["Policy"][
        "Arn"
    ]
    read_arn = iam.create_policy(PolicyName="SupportRead", PolicyDocument=json.dumps(READ_DOC))["Policy"][
        "Arn"
    ]
    iam.create_group(GroupName="support-agents")
    iam.attach_group_policy(GroupName="support-agents", PolicyArn=read_arn)
    iam.create_group(GroupName="platform-admins")
    iam.attach_group_policy(GroupName="platform-admins", PolicyArn=admin_arn)
    _user(iam, "alice", owner="support-lead", password=True, mfa=True)
    iam.add_user_to_group(UserName="alice", GroupName="support-agents")
    _user(iam, "bob", owner="support-lead", password=True)
    _user(iam, "svc-reporting", key=True)
    _user(iam, "ops-admin", owner="platform", mfa=False)
    iam.add_user_to_group(UserName="ops-admin", GroupName="platform-admins")
    _user(iam, "data-wild", owner="analytics")
    iam.put_user_policy(
        UserName="data-wild", PolicyName="s3-everything", PolicyDocument=json.dumps(S3_ALL_DOC)
    )
    _user(iam, "break-glass-admin", owner="head-of-platform", password=True)
    iam.attach_user_policy(UserName="break-glass-admin", PolicyArn=admin_arn)
    _user(iam, "ci-deployer", owner="platform", key=True)
    iam.attach_user_policy(UserName="ci-deployer", PolicyArn=admin_arn)
    iam.create_role(RoleName="legacy-admin", AssumeRolePolicyDocument=TRUST)
    iam.attach_role_policy(RoleName="legacy-admin", PolicyArn=admin_arn)
    iam.create_role(
        RoleName="support-readonly",
        AssumeRolePolicyDocument=TRUST,
        Tags=[{"Key": "owner", "Value": "support-lead"}],
    )
    iam.attach_role_policy(RoleName="support-readonly", PolicyArn=read_arn)

    iam_b = account_session(endpoint_url, ACCOUNT_B).client("iam", endpoint_url=endpoint_url)
    iam_b.create_role(
        RoleName="supportops-access-review",
        AssumeRolePolicyDocument=TRUST,
        Tags=[{"Key": "owner", "Value": "security"}],
    )
    _user(iam_b, "contractor-1", password=True, key=True)
    _user(iam_b, "auditor", owner="compliance", password=True, mfa=True)
    return {"admin_policy": admin_arn, "read_policy": read_arn}


DEMO_DECISIONS = {  # name -> (decision, changes, comment)
    "bob": ("modify", "delete-login-profile", "console access not needed; uses SSO"),
    "svc-reporting": ("revoke", "", "replaced by the reporting role"),
    "ops-admin": ("modify", "remove-from-group=platform-admins", "moves to scoped admin role"),
    "contractor-1": ("revoke", "", "contract ended"),
    "break-glass-admin": ("keep", "", "break-glass: sealed credentials, unused this quarter"),
}


def decide(campaign: Path, seeded: dict[str, str]) -> None:
    """Fill the campaign YAML's decisions the way a reviewer would (keep unless listed)."""
    document = yaml.safe_load(campaign.read_text(encoding="utf-8"))
    decisions = dict(DEMO_DECISIONS)
    decisions["legacy-admin"] = ("modify", f"detach-policy={seeded['admin_policy']}", "admin via SSO only")
    for row in document["principals"]:
        decision, changes, comment = decisions.get(row["name"], ("keep", "", "still needed"))
        row.update(decision=decision, changes=changes, comment=comment)
    campaign.write_text(yaml.safe_dump(document, sort_keys=False, width=10_000), encoding="utf-8")


def run_demo(out: Path) -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    runbook = load_runbook(DEMO_RUNBOOK)
    with local_aws_endpoint() as url:
        yield f"local AWS endpoint (moto) at {url}"
        seeded = seed_demo(url)
        factory = ClientFactory(
            base=fake_session(), endpoint_url=url, region=runbook.scope.region, roles=RoleChoice()
        )
        review = run_review(runbook, DEMO_RUNBOOK, factory, out / "review")
        counts = review.report.counts()
        yield (
            f"review: {sum(review.principals.values())} principals, {counts['FAIL']} FAIL, "
            f"{counts['ERROR']} ERROR, exit {exit_code(review.report)} -> {review.out_dir}"
        )
        decide(review.campaign_yaml, seeded)
        signature = sign_campaign(review.campaign_yaml, "demo-reviewer")
        yield f"signed by demo-reviewer -> {signature}"
        for label, execute in (("dry run", False), ("execute", True), ("execute again", True)):
            result = apply_campaign(
                review.campaign_yaml,
                factory,
                execute=execute,
                out_dir=out / f"apply-{label.replace(' ', '-')}",
            )
            yield f"apply ({label}): {result.counts} -> {result.journal}"
        again = run_review(runbook, DEMO_RUNBOOK, factory, out / "review-after")
        yield (
            f"review after apply: {again.report.counts()['FAIL']} FAIL (was {counts['FAIL']}) "
            f"-> {again.out_dir}"
        )
    yield "local AWS endpoint stopped"
