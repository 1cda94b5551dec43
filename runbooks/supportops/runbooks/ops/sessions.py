"""Credentials for the account a run is for: the runner's own in its account, the job's member role
(assumed with STS, refreshed before expiry: role chaining caps a session at one hour and a drill
may last eight) in any other."""

from __future__ import annotations

from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.credentials import (
    AssumeRoleCredentialFetcher,
    CredentialProvider,
    DeferredRefreshableCredentials,
)

CLIENT_CONFIG = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 5, "mode": "standard"})


class _Assumed(CredentialProvider):  # type: ignore[misc]
    METHOD = "supportops-member-role"

    def __init__(self, credentials: DeferredRefreshableCredentials) -> None:
        super().__init__()
        self._credentials = credentials

    def load(self) -> DeferredRefreshableCredentials:
        return self._credentials


def caller_account(session: boto3.Session, endpoint_url: str | None) -> str:
    sts = session.client("sts", endpoint_url=endpoint_url, config=CLIENT_CONFIG)
    return str(sts.get_caller_identity()["Account"])


def member_session(
    base: boto3.Session, role_arn: str, region: str, endpoint_url: str | None, session_name: str
) -> boto3.Session:
    """A session whose credentials are the member role's, re-assumed whenever they near expiry."""
    base_credentials = base.get_credentials()

    def client_creator(service: str, **kwargs: Any) -> Any:
        return base.client(service, endpoint_url=endpoint_url, region_name=region, **kwargs)

    fetcher = AssumeRoleCredentialFetcher(
        client_creator=client_creator,
        source_credentials=base_credentials,
        role_arn=role_arn,
        extra_args={"RoleSessionName": session_name[:64]},
    )
    credentials = DeferredRefreshableCredentials(
        method=_Assumed.METHOD, refresh_using=fetcher.fetch_credentials
    )
    core = botocore.session.Session()
    core.get_component("credential_provider").insert_before("env", _Assumed(credentials))
    return boto3.Session(botocore_session=core, region_name=region)


class SessionClients:
    """The DR executor's client factory over a given session (one client per service and region)."""

    def __init__(self, session: boto3.Session, endpoint_url: str | None) -> None:
        self._session = session
        self._endpoint_url = endpoint_url
        self._clients: dict[tuple[str, str], Any] = {}

    def __call__(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            self._clients[key] = self._session.client(
                service, region_name=region, endpoint_url=self._endpoint_url, config=CLIENT_CONFIG
            )
        return self._clients[key]
