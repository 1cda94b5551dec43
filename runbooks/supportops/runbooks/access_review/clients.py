"""AWS clients for one review: a base session (profile), an optional endpoint (moto), STS assume-role per
account, and call observers (API counting, declared-permission checks). Nothing is created at import."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from supportops.runbooks.access_review.schema import ROLE_ARN_RE

# Called before every API call with (iam action prefix, operation name), e.g. ("iam", "GetCredentialReport").
CallObserver = Callable[[str, str], None]

SESSION_NAME = "supportops-access-review"
PERMISSIONS = ("sts:AssumeRole", "sts:GetCallerIdentity")

_CONFIG = Config(
    connect_timeout=5,
    read_timeout=120,
    retries={"max_attempts": 8, "mode": "standard"},
)


class AccessError(Exception):
    """Credentials for an account could not be obtained (reported as ERROR, never PASS or FAIL)."""


def aws_error_text(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        op = getattr(exc, "operation_name", "")
        return f"{op}: {error.get('Code', 'Error')}: {error.get('Message', '')}".strip()
    return f"{type(exc).__name__}: {exc}"


AWS_ERRORS: tuple[type[BaseException], ...] = (ClientError, BotoCoreError, AccessError)


@dataclass
class RoleChoice:
    """Which role to assume in which account: --role-arn values (one per account, or a template with
    ``{account}``) win over the runbook's per-account role_arn."""

    cli_role_arns: tuple[str, ...] = ()

    def role_for(self, account_id: str, runbook_role: str | None) -> str | None:
        for arn in self.cli_role_arns:
            if "{account}" in arn:
                return arn.replace("{account}", account_id)
            match = ROLE_ARN_RE.match(arn)
            if match and match.group(1) == account_id:
                return arn
        return runbook_role


def validate_role_arns(values: tuple[str, ...]) -> list[str]:
    """Problems with --role-arn values (empty when all are usable)."""
    problems = []
    for value in values:
        candidate = value.replace("{account}", "123456789012")
        if not ROLE_ARN_RE.match(candidate):
            problems.append(f"--role-arn {value!r} is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)")
    return problems


@dataclass
class ClientFactory:
    """Hands out clients for (service, account, region); assumes roles once per account. Every client is
    made from the base session (assumed-role credentials passed per client), so service models are
    loaded once, not once per account."""

    base: boto3.Session
    endpoint_url: str | None = None
    region: str = "us-east-1"
    roles: RoleChoice = field(default_factory=RoleChoice)
    observers: list[CallObserver] = field(default_factory=list)
    overrides: Mapping[tuple[str, str], Any] = field(default_factory=dict)  # (service, account) -> client
    _credentials: dict[str, dict[str, str]] = field(default_factory=dict, init=False)
    _clients: dict[tuple[str, str, str], Any] = field(default_factory=dict, init=False)

    def client(
        self, service: str, account_id: str, region: str | None = None, *, runbook_role: str | None = None
    ) -> Any:
        override = self.overrides.get((service, account_id))
        if override is not None:
            return override
        region = region or self.region
        key = (service, account_id, region)
        if key not in self._clients:
            credentials = self.credentials_for(account_id, runbook_role)
            self._clients[key] = self._make(service, region, credentials)
        return self._clients[key]

    def _make(self, service: str, region: str, credentials: dict[str, str]) -> Any:
        client = self.base.client(
            service, region_name=region, endpoint_url=self.endpoint_url, config=_CONFIG, **credentials
        )
        self.observe(client)
        return client

    def observe(self, client: Any) -> None:
        if self.observers:
            client.meta.events.register_first("before-call.*.*", self._notify)

    def _notify(self, model: Any, **_: Any) -> None:
        prefix = model.service_model.signing_name
        for observer in self.observers:
            observer(prefix, model.name)

    def credentials_for(self, account_id: str, runbook_role: str | None) -> dict[str, str]:
        """Client keyword arguments for the account: {} for the base credentials, else the role's."""
        if account_id in self._credentials:
            return self._credentials[account_id]
        role_arn = self.roles.role_for(account_id, runbook_role)
        sts = self._make("sts", self.region, {})
        try:
            if role_arn is None:
                caller = sts.get_caller_identity()
                if caller.get("Account") != account_id:
                    raise AccessError(
                        f"no role to assume for account {account_id} and the current credentials are for "
                        f"account {caller.get('Account')}: give --role-arn or scope.accounts[].role_arn"
                    )
                credentials: dict[str, str] = {}
            else:
                creds = sts.assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME)["Credentials"]
                credentials = {
                    "aws_access_key_id": creds["AccessKeyId"],
                    "aws_secret_access_key": creds["SecretAccessKey"],
                    "aws_session_token": creds["SessionToken"],
                }
                # never act in an account through credentials of another one
                actual = self._make("sts", self.region, credentials).get_caller_identity().get("Account")
                if actual != account_id:
                    raise AccessError(
                        f"role {role_arn} gave credentials for account {actual}, not {account_id}"
                    )
        except (ClientError, BotoCoreError) as exc:
            raise AccessError(
                f"cannot get credentials for account {account_id}: {aws_error_text(exc)}"
            ) from exc
        self._credentials[account_id] = credentials
        return credentials


def make_factory(
    profile: str | None,
    endpoint_url: str | None,
    region: str,
    role_arns: tuple[str, ...],
    observers: list[CallObserver] | None = None,
) -> ClientFactory:
    try:
        base = boto3.Session(profile_name=profile, region_name=region)
    except BotoCoreError as exc:
        raise AccessError(f"cannot open AWS profile {profile!r}: {exc}") from exc
    return ClientFactory(
        base=base,
        endpoint_url=endpoint_url,
        region=region,
        roles=RoleChoice(tuple(role_arns)),
        observers=list(observers or []),
    )
