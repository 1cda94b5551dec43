"""Which accounts and regions a live run reads, with which credentials: the options ``--profile``,
``--region`` (repeatable), ``--role-arn`` (repeatable, may hold ``{account}``), ``--accounts ID,ID``
with ``--role-name``, and ``--endpoint-url``, turned into :class:`LiveTarget` values.

- No role: one target, the base credentials' own account (the profile, else the environment).
- ``--role-arn ARN``: STS AssumeRole into each role's account; ``--accounts`` with ``--role-name NAME``
  (or a ``--role-arn`` holding ``{account}``): that role in every listed account.
- A role that cannot be assumed (AccessDenied, a role in a different account than its ARN says) is a
  :class:`CollectionFault` naming ``sts:AssumeRole`` and the base principal: the other accounts are
  still read, and the run reports ERROR, never a pass built on an account it never saw.
- Credentials that do not work at all, or an endpoint that does not answer, stop the run
  (:class:`EnvironmentFailure`, exit 3): nothing could be read.

Bad option values are :class:`BadInput` naming the option (exit 2).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Final

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound
from pydantic import AfterValidator, ValidationError

from supportops.errors import BadInput, EnvironmentFailure, InputProblem
from supportops.inventory.live.model import CollectionFault, LiveTarget
from supportops.inventory.sources._resources import REGION_PATTERN
from supportops.loading import bounded
from supportops.models import InputModel

SESSION_NAME: Final = "supportops-live"
DEFAULT_REGION: Final = "us-east-1"
ACCOUNT_TEMPLATE: Final = "{account}"
ACCOUNT_PATTERN: Final = re.compile(r"^\d{12}$")
ROLE_ARN_PATTERN: Final = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$")
ROLE_NAME_PATTERN: Final = re.compile(r"^[\w+=,.@/-]{1,512}$")
ENDPOINT_PATTERN: Final = re.compile(r"^https?://[^\s/?#]+(?:/[^\s]*)?$")
# What STS needs for the calls made here (also in the read-only policy of `comply --live permissions`).
PERMISSIONS: Final = ("sts:GetCallerIdentity", "sts:AssumeRole")

_STS_CONFIG: Final = Config(
    connect_timeout=5, read_timeout=30, retries={"max_attempts": 4, "mode": "standard"}
)

# Each field's option, so a validation error names what the user typed.
_OPTION: Final = {
    "regions": "--region",
    "role_arns": "--role-arn",
    "accounts": "--accounts",
    "role_name": "--role-name",
    "endpoint_url": "--endpoint-url",
    "profile": "--profile",
}


def _region(value: str) -> str:
    if not REGION_PATTERN.match(value):
        raise ValueError(f"not an AWS region name (got {bounded(value)}, e.g. us-east-1)")
    return value


def _role_arn(value: str) -> str:
    if not ROLE_ARN_PATTERN.match(value.replace(ACCOUNT_TEMPLATE, "123456789012")):
        raise ValueError(
            f"not an IAM role ARN (got {bounded(value)}; arn:aws:iam::ACCOUNT:role/NAME, "
            "ACCOUNT may be {account})"
        )
    return value


def _account(value: str) -> str:
    if not ACCOUNT_PATTERN.match(value):
        raise ValueError(f"not a 12-digit AWS account id (got {bounded(value)})")
    return value


def _role_name(value: str) -> str:
    if not ROLE_NAME_PATTERN.match(value):
        raise ValueError(f"not an IAM role name (got {bounded(value)})")
    return value


def _endpoint(value: str) -> str:
    if not ENDPOINT_PATTERN.match(value):
        raise ValueError(f"not an http:// or https:// URL (got {bounded(value)})")
    return value


class LiveAccess(InputModel):
    """The live options as given (validated: each bad value is one line naming its option)."""

    profile: str | None = None
    regions: tuple[Annotated[str, AfterValidator(_region)], ...] = ()
    role_arns: tuple[Annotated[str, AfterValidator(_role_arn)], ...] = ()
    accounts: tuple[Annotated[str, AfterValidator(_account)], ...] = ()
    role_name: Annotated[str, AfterValidator(_role_name)] | None = None
    endpoint_url: Annotated[str, AfterValidator(_endpoint)] | None = None

    @classmethod
    def from_options(
        cls,
        *,
        profile: str | None = None,
        regions: Sequence[str] | None = None,
        role_arns: Sequence[str] | None = None,
        accounts: str | Sequence[str] | None = None,
        role_name: str | None = None,
        endpoint_url: str | None = None,
    ) -> LiveAccess:
        """From CLI values (``--accounts`` comma-separated, possibly repeated); BadInput on a bad one."""
        listed = [accounts] if isinstance(accounts, str) else list(accounts or ())
        account_ids = tuple(part.strip() for text in listed for part in text.split(","))
        try:
            access = cls(
                profile=profile,
                regions=tuple(dict.fromkeys(regions or ())),
                role_arns=tuple(role_arns or ()),
                accounts=tuple(dict.fromkeys(account_ids)),
                role_name=role_name,
                endpoint_url=endpoint_url,
            )
        except ValidationError as exc:
            raise BadInput(_problems(exc)) from None
        access.check_roles()
        return access

    def check_roles(self) -> None:
        templates = [arn for arn in self.role_arns if ACCOUNT_TEMPLATE in arn]
        if self.accounts and not (self.role_name or templates):
            raise BadInput.at(
                "--accounts",
                "",
                "needs --role-name NAME (or a --role-arn holding {account}): "
                "the role to assume in each account",
            )
        if (self.role_name or templates) and not self.accounts:
            option = "--role-name" if self.role_name else "--role-arn"
            raise BadInput.at(option, "", "names a role for every account of --accounts, and none is given")
        if self.role_name and templates:
            raise BadInput.at("--role-name", "", "give it or a --role-arn holding {account}, not both")

    def role_arns_for(self, partition: str) -> list[str]:
        """Every role to assume, in order, without repeats (empty: use the base credentials)."""
        arns = [arn for arn in self.role_arns if ACCOUNT_TEMPLATE not in arn]
        templates = [arn for arn in self.role_arns if ACCOUNT_TEMPLATE in arn]
        for account in self.accounts:
            if self.role_name:
                arns.append(f"arn:{partition}:iam::{account}:role/{self.role_name}")
            arns.extend(t.replace(ACCOUNT_TEMPLATE, account) for t in templates)
        return list(dict.fromkeys(arns))


def _problems(exc: ValidationError) -> list[InputProblem]:
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(InputProblem(_OPTION.get(field, field), "", message))
    return problems


@dataclass(frozen=True)
class Targets:
    """What a live run reads: one target per account it could get credentials for, and the faults
    of the accounts it could not."""

    targets: tuple[LiveTarget, ...]
    faults: tuple[CollectionFault, ...]
    regions: tuple[str, ...]
    principal: str  # the base credentials' identity (named in every fault of an assume-role)


def open_targets(access: LiveAccess) -> Targets:
    base = _base_session(access.profile)
    regions = access.regions or (base.region_name or DEFAULT_REGION,)
    sts = _sts(base, regions[0], access.endpoint_url)
    try:
        caller = sts.get_caller_identity()
    except (ClientError, BotoCoreError) as exc:
        # Nothing at all can be read: a run stopped by its environment, not a report with holes.
        raise EnvironmentFailure(
            f"cannot read AWS with these credentials: sts:GetCallerIdentity: {_error(exc)}"
        ) from None
    principal = str(caller.get("Arn") or "unknown principal")
    account = str(caller.get("Account") or "")
    partition = principal.split(":")[1] if principal.count(":") >= 2 else "aws"
    roles = access.role_arns_for(partition)
    if not roles:
        target = LiveTarget(base, account or None, regions, access.endpoint_url)
        return Targets((target,), (), regions, principal)
    targets: list[LiveTarget] = []
    faults: list[CollectionFault] = []
    for role_arn in roles:
        expected = role_arn.split(":")[4]
        try:
            creds = sts.assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME)["Credentials"]
        except (ClientError, BotoCoreError) as exc:
            faults.append(_fault("AssumeRole", regions[0], principal, exc, role_arn))
            continue
        session = boto3.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=regions[0],
        )
        targets.append(LiveTarget(session, expected, regions, access.endpoint_url))
    return Targets(tuple(targets), tuple(faults), regions, principal)


def _base_session(profile: str | None) -> boto3.Session:
    try:
        return boto3.Session(profile_name=profile)
    except ProfileNotFound:
        raise BadInput.at("--profile", "", f"no AWS profile named {bounded(profile)}") from None
    except BotoCoreError as exc:
        raise BadInput.at("--profile", "", f"cannot open the AWS profile: {_error(exc)}") from None


def _sts(session: boto3.Session, region: str, endpoint_url: str | None) -> Any:
    return session.client("sts", region_name=region, endpoint_url=endpoint_url, config=_STS_CONFIG)


def _error(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{error.get('Code', 'Error')}: {error.get('Message', '')}".rstrip(": ")
    return f"{type(exc).__name__}: {exc}"


def _fault(call: str, region: str, principal: str, exc: BaseException, role_arn: str) -> CollectionFault:
    code = type(exc).__name__
    if isinstance(exc, ClientError):
        code = str(exc.response.get("Error", {}).get("Code", "Error"))
    return CollectionFault(
        service="sts",
        api_call=call,
        region=region,
        principal=principal,
        error_code=code,
        message=f"cannot assume {role_arn}: {_error(exc)}"[:500],
    )
