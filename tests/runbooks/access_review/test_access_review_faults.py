"""Apply under injected faults: 20 % of the AWS calls throttled, failed with 5xx, reset, or answered by
moto and then dropped ("lost": the retry meets the effect already there). In 20 out of 20 seeded runs
the journal's outcome for every change and the end state of both accounts are exactly those of a run
without faults. Small data (3 principals in 2 accounts, 9 changes) keeps each run around a second."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from access_review_helpers import decide, local_factory, outcomes, read_journal, reset_moto, review
from fault_proxy import FaultProxy

from supportops.runbooks.access_review.apply import apply_campaign
from supportops.runbooks.access_review.demo import ACCOUNT_A, ACCOUNT_B, REVIEW_ROLE_B, fake_session
from supportops.runbooks.access_review.signing import sign_campaign
from supportops.runbooks.local_aws import local_aws_endpoint

pytestmark = pytest.mark.slow

RUNS = 20
# Throttles make botocore back off ~0.5 s on average; the other kinds 25-50 ms: weight towards those.
KINDS = ("throttle", "500", "503", "503", "reset", "reset", "lost", "lost", "lost")
ADMIN = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)
RUNBOOK = {
    "version": 1,
    "name": "fault-review",
    "scope": {
        "accounts": [{"id": ACCOUNT_A, "name": "prod"}, {"id": ACCOUNT_B, "role_arn": REVIEW_ROLE_B}],
    },
    "credential_report": {"max_attempts": 3, "delay_seconds": 0},
}


class Accounts:
    """IAM clients for seeding and reading both accounts, made from one session (models loaded once).
    Account B's credentials are assumed again after each reset (moto forgets them)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = fake_session()
        self.iam_a = self.session.client("iam", endpoint_url=url)
        self.sts = self.session.client("sts", endpoint_url=url)
        self.iam_b = self._assume_b()

    def _assume_b(self) -> Any:
        creds = self.sts.assume_role(RoleArn=REVIEW_ROLE_B, RoleSessionName="seed")["Credentials"]
        return self.session.client(
            "iam",
            endpoint_url=self.url,
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
        )

    def seed(self) -> None:
        """Both accounts from empty: bob (console, group, policy) and role legacy (policy) in A;
        contractor (console, 2 keys, policy) in B."""
        reset_moto(self.url)
        self.iam_b = self._assume_b()
        iam = self.iam_a
        admin = iam.create_policy(PolicyName="Admin", PolicyDocument=ADMIN)["Policy"]["Arn"]
        iam.create_group(GroupName="admins")
        iam.create_user(UserName="bob")
        iam.create_login_profile(UserName="bob", Password="Pa55-word-Pa55-word")
        iam.add_user_to_group(UserName="bob", GroupName="admins")
        iam.attach_user_policy(UserName="bob", PolicyArn=admin)
        iam.create_role(RoleName="legacy", AssumeRolePolicyDocument="{}")
        iam.attach_role_policy(RoleName="legacy", PolicyArn=admin)
        admin_b = self.iam_b.create_policy(PolicyName="Admin", PolicyDocument=ADMIN)["Policy"]["Arn"]
        self.iam_b.create_user(UserName="contractor")
        self.iam_b.create_login_profile(UserName="contractor", Password="Pa55-word-Pa55-word")
        for _ in range(2):
            self.iam_b.create_access_key(UserName="contractor")
        self.iam_b.attach_user_policy(UserName="contractor", PolicyArn=admin_b)

    def state(self) -> dict[str, Any]:
        """Everything the decisions change (key ids left out: they differ between seedings)."""
        state: dict[str, Any] = {}
        for iam, users in ((self.iam_a, ("bob",)), (self.iam_b, ("contractor",))):
            for user in users:
                try:
                    password = bool(iam.get_login_profile(UserName=user))
                except iam.exceptions.NoSuchEntityException:
                    password = False
                state[user] = (
                    password,
                    sorted(k["Status"] for k in iam.list_access_keys(UserName=user)["AccessKeyMetadata"]),
                    [g["GroupName"] for g in iam.list_groups_for_user(UserName=user)["Groups"]],
                    [
                        p["PolicyArn"]
                        for p in iam.list_attached_user_policies(UserName=user)["AttachedPolicies"]
                    ],
                )
        state["legacy"] = self.iam_a.list_attached_role_policies(RoleName="legacy")["AttachedPolicies"]
        return state


@dataclass(frozen=True)
class Signed:
    url: str
    campaign: Path
    accounts: Accounts


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Signed]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    folder = tmp_path_factory.mktemp("faults")
    runbook = folder / "review.yaml"
    runbook.write_text(yaml.safe_dump(RUNBOOK), encoding="utf-8")
    with local_aws_endpoint() as url:
        accounts = Accounts(url)
        accounts.seed()
        campaign = review(url, runbook, folder / "review")
        decide(campaign, dict.fromkeys(("bob", "legacy", "contractor"), ("revoke", "", "gone")))
        sign_campaign(campaign, "Dana Auditor")
        yield Signed(url, campaign, accounts)


def _apply(signed: Signed, endpoint: str, out: Path) -> tuple[list[tuple[str, str, str]], dict[str, Any]]:
    """Seed afresh, apply (execute) through ``endpoint``; (principal, change, outcome) per change and the
    end state."""
    signed.accounts.seed()
    factory = local_factory(endpoint, base=signed.accounts.session)
    result = apply_campaign(signed.campaign, factory, execute=True, out_dir=out)
    journal = read_journal(result.journal)
    plan = {e["seq"]: e for e in journal if e["event"] == "planned"}
    state = outcomes(journal)
    changes = [(plan[s]["principal"], plan[s]["change"], state[s]) for s in sorted(plan)]
    return changes, signed.accounts.state()


def test_apply_under_20_percent_faults_gives_the_same_outcome_as_without(
    signed: Signed, tmp_path: Path
) -> None:
    expected_changes, expected_state = _apply(signed, signed.url, tmp_path / "clean")
    assert Counter(outcome for _, _, outcome in expected_changes) == {"applied": 7, "already-applied": 2}
    assert expected_state["bob"] == (False, [], [], [])
    assert expected_state["contractor"] == (False, ["Inactive", "Inactive"], [], [])
    assert expected_state["legacy"] == []

    injected: dict[str, int] = {}
    for seed in range(RUNS):
        with FaultProxy(signed.url, rate=0.2, seed=seed, kinds=KINDS) as proxy:
            changes, state = _apply(signed, proxy.url, tmp_path / f"run-{seed}")
        assert (seed, changes) == (seed, expected_changes)
        assert (seed, state) == (seed, expected_state)
        for kind, count in proxy.faults.items():
            injected[kind] = injected.get(kind, 0) + count
    # the runs did meet every kind of fault, lost responses included
    assert set(injected) == set(KINDS) and injected["lost"] >= RUNS // 2
