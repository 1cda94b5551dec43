"""Customer Profiles (moto has no Customer Profiles): botocore's Stubber checks every request against
the real service model. Found by SearchProfiles on _phone, deleted with DeleteProfile, verified."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
from botocore.stub import Stubber
from privacy_helpers import REPO

from supportops.runbooks.privacy.clients import Clients
from supportops.runbooks.privacy.request import RequestResult, State, run_request
from supportops.runbooks.privacy.schema import Holds, load_data_map
from supportops.runbooks.privacy.subject import Identifier, IdKind, load_hasher
from supportops.runbooks.privacy.targets import Target, resolve
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
    for item in items:  # each profile's contact history (Connect's CTR objects): none here
        _history(stubber, item["ProfileId"], [])


def _history(stubber: Stubber, profile_id: str, pages: list[list[dict[str, str]]] | list[None]) -> None:
    pages = pages or [None]
    for number, page in enumerate(pages):
        request = {"DomainName": DOMAIN, "ObjectTypeName": "CTR", "ProfileId": profile_id, "MaxResults": 100}
        if number:
            request["NextToken"] = f"page-{number}"
        response: dict[str, object] = {
            "Items": [
                {"ProfileObjectUniqueKey": f"k-{n}", "Object": json.dumps(o)}
                for n, o in enumerate(page or [])
            ]
        }
        if number + 1 < len(pages):
            response["NextToken"] = f"page-{number + 1}"
        stubber.add_response("list_profile_objects", response, request)


def _erase_by_phone(
    targets: list[Target], clients: Clients, tmp_path: Path, execute: bool = True
) -> RequestResult:
    """The request for PHONE: executed (journal under tmp_path) or a dry run."""
    journal = tmp_path / "r" if execute else None
    return run_request(
        targets,
        [Identifier(IdKind.PHONE, PHONE)],
        Holds(),
        clients,
        load_hasher(tmp_path),
        journal,
        "dsr-test",
    )


def test_profile_found_by_phone_is_deleted_and_verified(tmp_path: Path) -> None:
    clients, stubber, targets = _profiles_only(tmp_path)
    _search(stubber, [{"ProfileId": "p-1", "FirstName": "Ada"}])
    stubber.add_response("delete_profile", {"Message": "deleted"}, {"ProfileId": "p-1", "DomainName": DOMAIN})
    _search(stubber, [])  # the verification pass
    with stubber:
        result = _erase_by_phone(targets, clients, tmp_path)
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
        result = _erase_by_phone(targets, clients, tmp_path)
    assert result.stores[0].state == State.ERASED and not result.failed


def test_access_denied_is_an_error_never_erased(tmp_path: Path) -> None:
    clients, stubber, targets = _profiles_only(tmp_path)
    _search(stubber, [{"ProfileId": "p-3"}])
    stubber.add_client_error("delete_profile", "AccessDeniedException", http_status_code=403)
    with stubber:
        result = _erase_by_phone(targets, clients, tmp_path)
    outcome = result.stores[0]
    assert outcome.state == State.ERROR and "AccessDeniedException in DeleteProfile" in outcome.message
    assert result.failed


def test_profile_history_gives_contacts_and_their_days_that_find_the_recordings(
    endpoint: str, tmp_path: Path
) -> None:
    """Contacts recorded only in Customer Profiles (two pages of CTR objects) lead to the recordings
    Connect filed under each contact's day, including the day after for a call past midnight."""
    bucket = f"recordings-{tmp_path.name[-12:].lower().replace('_', '-')}"
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint)
    s3.create_bucket(Bucket=bucket)
    keys = {
        "call-recordings/2026/11/04/k-late_20261104T00:03_UTC.wav": True,  # started 23:59 the day before
        "Analysis/Voice/2026/11/05/k-day_analysis_2026-11-05T10:00:00Z.json": True,
        "call-recordings/2026/11/04/k-other_20261104T09:00_UTC.wav": False,  # somebody else's contact
        "call-recordings/2026/11/01/k-late_20261101T09:00_UTC.wav": False,  # not a day of that contact
    }
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"audio")
    config = load_stack_config(REPO, "demo-analytics")
    targets = [
        t
        for t in resolve(
            load_data_map(), {"customerProfilesDomain": DOMAIN, "recordingsBucket": bucket}, config
        )
        if t.store.name in ("customer-profiles", "call-recordings")
    ]
    clients = Clients("us-east-1", endpoint)
    profiles = boto3.client(
        "customer-profiles", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    clients._made["customer-profiles"] = profiles
    stubber = Stubber(profiles)
    stubber.add_response(
        "search_profiles",
        {"Items": [{"ProfileId": "p-7"}]},
        {"DomainName": DOMAIN, "KeyName": "_phone", "Values": [PHONE]},
    )
    _history(
        stubber,
        "p-7",
        [
            [{"ContactId": "k-late", "InitiationTimestamp": "2026-11-03T23:59:00Z"}],
            [{"ContactId": "k-day", "InitiationTimestamp": "2026-11-05T10:00:00.000Z"}, {"NoContact": 1}],
        ],
    )
    with stubber:
        result = _erase_by_phone(targets, clients, tmp_path, execute=False)
    stubber.assert_no_pending_responses()
    recordings = next(o for o in result.stores if o.name == "call-recordings")
    found = {hit.bucket_object[1] for hit in recordings.hits if hit.bucket_object}
    assert found == {key for key, theirs in keys.items() if theirs}
    # 3 prefixes x (start day, next day) x 2 contacts: listings grow with the contacts, not the bucket
    assert recordings.calls == 12 and recordings.message == ""
