"""The fault proxy itself: every fault kind reaches boto3 in the shape AWS gives it and standard-mode
retries get through; a lost response leaves the upstream changed; the seed fixes the faults."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import boto3
import pytest
from access_review_helpers import reset_moto
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError
from fault_proxy import FAULT_KINDS, RETRYING, FaultProxy

from supportops.runbooks.local_aws import local_aws_endpoint


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """One moto server for these tests (none of them depends on another's data)."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with local_aws_endpoint() as url:
        reset_moto(url)
        yield url


def _session() -> boto3.Session:
    return boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )


NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.mark.parametrize(
    ("kind", "code"),
    [("throttle", "Throttling"), ("500", "InternalFailure"), ("503", "ServiceUnavailable")],
)
def test_query_protocol_errors_parse_as_aws_errors(moto_url: str, kind: str, code: str) -> None:
    with FaultProxy(moto_url, rate=1.0, kinds=[kind], max_consecutive=99) as proxy:
        iam = _session().client("iam", endpoint_url=proxy.url, config=NO_RETRY)
        with pytest.raises(ClientError) as raised:
            iam.list_users()
    assert raised.value.response["Error"]["Code"] == code


def test_json_and_rest_xml_throttles(moto_url: str) -> None:
    with FaultProxy(moto_url, rate=1.0, kinds=["throttle"], max_consecutive=99) as proxy:
        ddb = _session().client("dynamodb", endpoint_url=proxy.url, config=NO_RETRY)
        with pytest.raises(ClientError) as raised:
            ddb.list_tables()
        assert raised.value.response["Error"]["Code"] == "ThrottlingException"
        s3 = _session().client("s3", endpoint_url=proxy.url, config=NO_RETRY)
        with pytest.raises(ClientError) as raised:
            s3.list_buckets()
        assert raised.value.response["Error"]["Code"] == "SlowDown"
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_lost_response_is_applied_upstream_and_the_retry_sees_it(moto_url: str) -> None:
    direct = _session().client("iam", endpoint_url=moto_url)
    direct.create_user(UserName="u")
    direct.create_login_profile(UserName="u", Password="Pa55word!Pa55word!")
    with FaultProxy(moto_url, rate=1.0, kinds=["lost"], max_faults=1) as proxy:
        iam = _session().client("iam", endpoint_url=proxy.url, config=NO_RETRY)
        with pytest.raises(ConnectionClosedError):
            iam.delete_login_profile(UserName="u")
        with pytest.raises(ClientError) as raised:  # the effect is there: the "retry" meets NoSuchEntity
            iam.delete_login_profile(UserName="u")
    assert raised.value.response["Error"]["Code"] == "NoSuchEntity"
    assert proxy.faults == {"lost": 1}
    assert [label for label, _ in proxy.log] == ["iam.DeleteLoginProfile", "iam.DeleteLoginProfile"]


def test_retries_get_through_every_kind_and_the_seed_fixes_the_faults(moto_url: str) -> None:
    logs = []
    for _ in range(2):
        # non-throttling kinds only: throttles back off ~0.5 s each and are covered above
        with FaultProxy(moto_url, rate=0.5, seed=3, kinds=["500", "503", "reset", "lost"]) as proxy:
            dynamo = _session().client("dynamodb", endpoint_url=proxy.url, config=RETRYING)
            for _ in range(12):
                assert dynamo.list_tables()["TableNames"] == []
        logs.append(proxy.log)
        assert sum(proxy.faults.values()) > 0
    assert logs[0] == logs[1]
    assert set(FAULT_KINDS) > {kind for _, kind in logs[0] if kind}


def test_bad_plans_are_refused(moto_url: str) -> None:
    with pytest.raises(ValueError):
        FaultProxy(moto_url, kinds=["teapot"])
    with pytest.raises(ValueError):
        FaultProxy(moto_url, rate=1.5)
