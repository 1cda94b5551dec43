"""Declared permissions: every API the review and apply call (recorded through botocore's before-call
event) is declared by a collector or applier, every declared action is exercised, and the policy in
docs/access-review.md is the one the code declares."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

import yaml
from access_review_helpers import REPO, RUNBOOK
from access_review_stubs import ACCOUNT as CONNECT_ACCOUNT
from access_review_stubs import INSTANCE, REGION, USERS, connect_client, stub_collection, user_arn
from botocore.stub import Stubber

from supportops.runbooks.access_review.apply import apply_campaign
from supportops.runbooks.access_review.clients import ClientFactory, RoleChoice
from supportops.runbooks.access_review.demo import ACCOUNT_A, account_session, fake_session, seed_demo
from supportops.runbooks.access_review.permissions import apply_actions, policies, review_actions
from supportops.runbooks.access_review.review import run_review
from supportops.runbooks.access_review.schema import Runbook
from supportops.runbooks.access_review.signing import sign_campaign

assert CONNECT_ACCOUNT == ACCOUNT_A


def test_every_called_api_is_declared_and_every_declared_action_is_used(
    moto_url: str, tmp_path: Path
) -> None:
    seeded = seed_demo(moto_url)
    iam = account_session(moto_url, ACCOUNT_A).client("iam", endpoint_url=moto_url)
    iam.attach_user_policy(UserName="svc-reporting", PolicyArn=seeded["read_policy"])
    iam.create_login_profile(UserName="svc-reporting", Password=secrets.token_urlsafe(16))
    book_data = {
        **RUNBOOK,
        "scope": {
            **RUNBOOK["scope"],
            "connect_instances": [
                {
                    "instance_id": INSTANCE,
                    "account": ACCOUNT_A,
                    "region": REGION,
                    "revoke_security_profile_id": "p-none",
                }
            ],
        },
    }
    book_path = tmp_path / "runbook.yaml"
    book_path.write_text(yaml.safe_dump(book_data), encoding="utf-8")
    book = Runbook.model_validate(book_data)

    calls: list[str] = []
    factory = ClientFactory(
        base=fake_session(),
        endpoint_url=moto_url,
        roles=RoleChoice(),
        observers=[lambda prefix, op: calls.append(f"{prefix}:{op}")],
    )
    connect = connect_client()
    factory.observe(connect)
    factory.overrides = {("connect", ACCOUNT_A): connect}

    with Stubber(connect) as stubber:
        stub_collection(stubber)
        review = run_review(book, book_path, factory, tmp_path / "review")
        stubber.assert_no_pending_responses()
    assert set(calls) == set(review_actions()), "undeclared (or unused) review API"

    document = yaml.safe_load(review.campaign_yaml.read_text())
    decisions = {
        "svc-reporting": ("revoke", "", "replaced"),
        "contractor-1": ("revoke", "", "contract ended"),
        "ops-admin": ("modify", "remove-from-group=platform-admins", "scoped"),
        "legacy-admin": ("modify", f"detach-policy={seeded['admin_policy']}", "scoped"),
        "ops-lead": ("revoke", "", "left the team"),
        "break-glass-admin": ("keep", "", "sealed"),
        "break-glass-connect": ("keep", "", "sealed"),
    }
    for row in document["principals"]:
        row["decision"], row["changes"], row["comment"] = decisions.get(row["name"], ("keep", "", "ok"))
    review.campaign_yaml.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    sign_campaign(review.campaign_yaml, "Dana")

    calls.clear()
    factory = ClientFactory(
        base=fake_session(),
        endpoint_url=moto_url,
        roles=RoleChoice(),
        observers=[lambda prefix, op: calls.append(f"{prefix}:{op}")],
        overrides=factory.overrides,
    )
    user = {"Id": "u-2", "Arn": user_arn("u-2"), "Username": USERS["u-2"][0]}
    with Stubber(connect) as stubber:
        params = {"InstanceId": INSTANCE, "UserId": "u-2"}
        stubber.add_response(
            "describe_user", {"User": {**user, "SecurityProfileIds": ["p-admin", "p-agent"]}}, params
        )
        stubber.add_response(
            "update_user_security_profiles", {}, {**params, "SecurityProfileIds": ["p-none"]}
        )
        stubber.add_response("describe_user", {"User": {**user, "SecurityProfileIds": ["p-none"]}}, params)
        result = apply_campaign(review.campaign_yaml, factory, execute=True, out_dir=tmp_path / "apply")
        stubber.assert_no_pending_responses()
    assert not result.failed and result.counts["applied"] >= 5
    assert set(calls) == set(apply_actions()), "undeclared (or unused) apply API"


def test_docs_publish_the_declared_policies() -> None:
    text = (REPO / "docs" / "access-review.md").read_text(encoding="utf-8")
    section = text.split("## Least-privilege IAM policies", 1)[1]
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", section, flags=re.S)[:2]]
    assert blocks == [policies()["review"], policies()["apply"]]
