"""Amazon Connect users and security profiles through botocore's Stubber (moto has no Connect users):
every request is validated against the real service model."""

from __future__ import annotations

from typing import Any

import pytest
from access_review_stubs import ACCOUNT, INSTANCE, REGION, connect_client, stub_collection, user_arn
from botocore.stub import Stubber

from supportops.findings import Status
from supportops.policies.frameworks.model import builtin_index
from supportops.runbooks.access_review.appliers import Target, set_security_profiles
from supportops.runbooks.access_review.changes import Change
from supportops.runbooks.access_review.connect_collector import collect_connect
from supportops.runbooks.access_review.evaluate import evaluate_connect
from supportops.runbooks.access_review.schema import Runbook


def runbook(**extra: Any) -> Runbook:
    return Runbook.model_validate(
        {
            "version": 1,
            "name": "t",
            "scope": {
                "accounts": [{"id": ACCOUNT}],
                "connect_instances": [
                    {
                        "instance_id": INSTANCE,
                        "account": ACCOUNT,
                        "region": REGION,
                        "revoke_security_profile_id": "p-none",
                    }
                ],
            },
            "break_glass": [
                {"principal": user_arn("u-4"), "justification": "connect admin when SSO is down"}
            ],
            **extra,
        }
    )


def collect() -> Any:
    client = connect_client()
    with Stubber(client) as stubber:
        stub_collection(stubber)
        inventory = collect_connect(client, ACCOUNT, INSTANCE, REGION)
        stubber.assert_no_pending_responses()
    return inventory


def test_collects_users_and_profiles_across_pages() -> None:
    inventory = collect()
    assert [u.username for u in inventory.users] == ["maria", "ops-lead", "qa-1", "break-glass-connect"]
    assert inventory.profile_permissions["p-admin"] == frozenset({"Users.Edit", "SecurityProfiles.Edit"})


def test_admin_and_unredacted_profiles_fail_break_glass_is_flagged_not_revoked() -> None:
    evaluation = evaluate_connect(collect(), runbook())
    fails = {
        (f.check_id, p.name) for p in evaluation.principals for f in p.findings if f.status is Status.FAIL
    }
    assert fails == {
        ("connect_admin_security_profile", "ops-lead"),
        ("connect_unredacted_recordings", "qa-1"),
        ("connect_admin_security_profile", "break-glass-connect"),
    }
    by_name = {p.name: p for p in evaluation.principals}
    assert by_name["ops-lead"].suggested == ["set-security-profiles=p-agent"]
    assert by_name["break-glass-connect"].protection == "break-glass"
    assert [
        f.status for f in by_name["break-glass-connect"].findings if f.check_id == "break_glass_principal"
    ] == [Status.PASS]
    finding = next(f for f in by_name["qa-1"].findings if f.status is Status.FAIL)
    assert finding.subject == user_arn("u-3")
    # the framework files map the report's access-review:<check> ids (runbookChecks)
    assert finding.check_id == "connect_unredacted_recordings"
    assert "pci-dss-4.0:7.2.2" in builtin_index().requirements(f"access-review:{finding.check_id}")


def test_profile_names_are_configurable() -> None:
    book = runbook(connect={"admin_permissions": ["BasicAgentAccess"], "unredacted_permissions": []})
    fails = {
        p.name
        for p in evaluate_connect(collect(), book).principals
        for f in p.findings
        if f.status is Status.FAIL
    }
    assert fails == {"maria", "ops-lead"}


@pytest.mark.parametrize("execute", [False, True])
def test_set_security_profiles_reads_before_and_after(execute: bool) -> None:
    client = connect_client()
    target = Target("connect-user", "ops-lead", user_arn("u-2"), INSTANCE)
    user = {"Id": "u-2", "Arn": user_arn("u-2"), "Username": "ops-lead", "RoutingProfileId": "rp-1"}
    with Stubber(client) as stubber:
        stubber.add_response(
            "describe_user",
            {"User": {**user, "SecurityProfileIds": ["p-admin", "p-agent"]}},
            {"InstanceId": INSTANCE, "UserId": "u-2"},
        )
        if execute:
            stubber.add_response(
                "update_user_security_profiles",
                {},
                {"InstanceId": INSTANCE, "UserId": "u-2", "SecurityProfileIds": ["p-agent"]},
            )
            stubber.add_response(
                "describe_user",
                {"User": {**user, "SecurityProfileIds": ["p-agent"]}},
                {"InstanceId": INSTANCE, "UserId": "u-2"},
            )
        outcome = set_security_profiles(client, target, Change("set-security-profiles", "p-agent"), execute)
        stubber.assert_no_pending_responses()
    assert outcome.changed and outcome.before == ["p-admin", "p-agent"]
    assert outcome.after == (["p-agent"] if execute else ["p-admin", "p-agent"])


def test_already_in_place_is_unchanged() -> None:
    client = connect_client()
    with Stubber(client) as stubber:
        stubber.add_response(
            "describe_user",
            {"User": {"Id": "u-1", "SecurityProfileIds": ["p-agent"]}},
            {"InstanceId": INSTANCE, "UserId": "u-1"},
        )
        outcome = set_security_profiles(
            client,
            Target("connect-user", "maria", user_arn("u-1"), INSTANCE),
            Change("set-security-profiles", "p-agent"),
            True,
        )
    assert not outcome.changed
