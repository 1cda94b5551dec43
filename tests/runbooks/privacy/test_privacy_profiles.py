"""Customer Profiles (moto has no Customer Profiles): botocore's Stubber checks every request against
the real service model. Found by SearchProfiles on _phone, deleted with DeleteProfile, verified."""

from __future__ import annotations

from pathlib import Path

import boto3
from botocore.stub import Stubber
from privacy_helpers import REPO

from supportops.runbooks.privacy.clients import Clients
from supportops.runbooks.privacy.request import State, run_request
from supportops.runbooks.privacy.schema import Holds, load_data_map
from supportops.runbooks.privacy.subject import Identifier, IdKind, load_hasher
from supportops.runbooks.privacy.targets import resolve
from supportops.stacks.config import load_stack_config

DOMAIN = "demo-customer-profiles"
PHONE = "+15550109999"


def _profiles_only(tmp_path: Path) -> tuple[Clients, Stubber, list]:  # type: ignore[type-arg]
    config = load_stack_config(REPO, "demo-analytics")
    targets = [
        t
        for t in resolve(load_data_map(), {"customerProfilesDomain": DOMAIN}, config)
        if t.store.name == "customer-profiles"
    ]
    client = boto3.client(
        "customer-profiles", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    clients = Clients("us-east-1")
    clients._made["customer-profiles"] = client
    return clients, Stubber(client), targets


def _search(stubber: Stubber, items: list[dict[str, str]]) -> None:
    stubber.add_response(
        "search_profiles", {"Items": items}, {"DomainName": DOMAIN, "KeyName": "_phone", "Values": [PHONE]}
    )


def test_profile_found_by_phone_is_deleted_and_verified(tmp_path: Path) -> None:
    clients, stubber, targets = _profiles_only(tmp_path)
    _search(stubber, [{"ProfileId": "p-1", "FirstName": "Ada"}])
    stubber.add_response("delete_profile", {"Message": "deleted"}, {"ProfileId": "p-1", "DomainName": DOMAIN})
    _search(stubber, [])  # the verification pass
    with stubber:
        result = run_request(
            targets,
            [Identifier(IdKind.PHONE, PHONE)],
            Holds(),
            clients,
            load_hasher(tmp_path),
            tmp_path / "r",
            "dsr-test",
        )
    stubber.assert_no_pending_responses()
    outcome = result.stores[0]
    assert (outcome.state, outcome.found, outcome.erased, outcome.message) == (
        State.ERASED,
        1,
        1,
        "verified absent",
    )


def test_a_profile_already_gone_counts_as_erased(tmp_path: Path) -> None:
    clients, stubber, targets = _profiles_only(tmp_path)
    _search(stubber, [{"ProfileId": "p-2"}])
    stubber.add_client_error("delete_profile", "ResourceNotFoundException", http_status_code=404)
    _search(stubber, [])
    with stubber:
        result = run_request(
            targets,
            [Identifier(IdKind.PHONE, PHONE)],
            Holds(),
            clients,
            load_hasher(tmp_path),
            tmp_path / "r",
            "dsr-test",
        )
    assert result.stores[0].state == State.ERASED and not result.failed


def test_access_denied_is_an_error_never_erased(tmp_path: Path) -> None:
    clients, stubber, targets = _profiles_only(tmp_path)
    _search(stubber, [{"ProfileId": "p-3"}])
    stubber.add_client_error("delete_profile", "AccessDeniedException", http_status_code=403)
    with stubber:
        result = run_request(
            targets,
            [Identifier(IdKind.PHONE, PHONE)],
            Holds(),
            clients,
            load_hasher(tmp_path),
            tmp_path / "r",
            "dsr-test",
        )
    outcome = result.stores[0]
    assert outcome.state == State.ERROR and "AccessDeniedException in DeleteProfile" in outcome.message
    assert result.failed
