"""Live identity: stable URNs, and state resources matched to live ones by region, id or ARN."""

from __future__ import annotations

from supportops.inventory.live import index_by_identity, live_urn, match
from supportops.inventory.model import Resource

SETTINGS = "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"


def live(region: str, type_token: str, physical_id: str, arn: str | None = None) -> Resource:
    return Resource(
        urn=live_urn("123456789012", region, type_token, physical_id),
        type=type_token,
        name=physical_id,
        id=physical_id,
        region=region,
        outputs={"arn": arn} if arn else {},
    )


def test_urn_is_stable_and_names_account_region_type_and_id() -> None:
    urn = live_urn("123456789012", "us-east-1", "aws:sqs/queue:Queue", "https://sqs/q")
    assert urn == live_urn("123456789012", "us-east-1", "aws:sqs/queue:Queue", "https://sqs/q")
    assert urn == "urn:pulumi:123456789012::us-east-1::aws:sqs/queue:Queue::https://sqs/q"


def test_per_region_singletons_match_in_their_own_region() -> None:
    east, west = live("us-east-1", SETTINGS, "123456789012"), live("us-west-2", SETTINGS, "123456789012")
    index = index_by_identity([east, west])
    state = Resource(
        urn="urn:pulumi:s::p::x::settings",
        type=SETTINGS,
        name="settings",
        id="123456789012",
        inputs={"region": "us-west-2"},
    )
    assert match(state, index) is west


def test_match_falls_back_to_the_arn() -> None:
    key = live("us-east-1", "aws:kms/key:Key", "k-1", "arn:aws:kms:us-east-1:123456789012:key/k-1")
    state = Resource(
        urn="urn:pulumi:s::p::x::key",
        type="aws:kms/key:Key",
        name="key",
        id="other-id",
        outputs={"arn": "arn:aws:kms:us-east-1:123456789012:key/k-1"},
    )
    assert match(state, index_by_identity([key])) is key
    assert (
        match(Resource(urn="u", type="aws:kms/key:Key", name="n", id="nope"), index_by_identity([key]))
        is None
    )
