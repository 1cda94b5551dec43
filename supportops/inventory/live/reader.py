"""The one way a collector calls AWS: a declared operation, botocore's retries, and a failure turned
into a :class:`CollectionFault` (never an empty result, never a verdict).

Each collector module declares the operations it calls (``CALLS``); a client refuses any other one
before it is sent (a programming error, raised), so the declared list is the least-privilege policy.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from supportops.errors import BadInput
from supportops.inventory.live.model import CollectionFault

Call = tuple[str, str]  # (boto3 service name, API operation), e.g. ("s3", "GetBucketEncryption")

# Adaptive mode: client-side rate limiting on throttling errors, on top of standard retries. Attempts
# are counted as botocore counts AWS_MAX_ATTEMPTS: the first call included.
RETRY_CONFIG: Final = Config(
    connect_timeout=5,
    read_timeout=60,
    retries={"total_max_attempts": 6, "mode": "adaptive"},
)
RETRY_MODES: Final = ("legacy", "standard", "adaptive")


def retry_config(max_attempts: int | None = None) -> Config:
    """:data:`RETRY_CONFIG`, with botocore's own ``AWS_MAX_ATTEMPTS`` and ``AWS_RETRY_MODE`` honoured
    when set (a client's explicit config would otherwise override them); ``max_attempts`` (tests)
    before both. A value botocore would refuse is bad input, named."""
    attempts_text = os.environ.get("AWS_MAX_ATTEMPTS", "").strip()
    mode = os.environ.get("AWS_RETRY_MODE", "").strip() or "adaptive"
    if mode not in RETRY_MODES:
        raise BadInput.at("AWS_RETRY_MODE", "", f"must be one of {', '.join(RETRY_MODES)}")
    attempts = 6
    if attempts_text:
        if not (attempts_text.isascii() and attempts_text.isdigit()) or int(attempts_text) < 1:
            raise BadInput.at("AWS_MAX_ATTEMPTS", "", "must be a whole number of attempts, 1 or more")
        attempts = int(attempts_text)
    if max_attempts is not None:
        attempts = max_attempts
    return RETRY_CONFIG.merge(Config(retries={"total_max_attempts": attempts, "mode": mode}))

# Error codes that mean "the endpoint does not implement this API" (moto, a partition without it).
NOT_IMPLEMENTED_CODES: Final = frozenset(
    {
        "NotImplemented",
        "NotImplementedError",
        "InvalidAction",
        "UnknownOperationException",
        "UnsupportedOperation",
    }
)


# boto3 sessions are not thread-safe for making clients: one client is made at a time.
_SESSIONS: Final = threading.Lock()


class UndeclaredCall(RuntimeError):
    """A collector called an operation its module does not declare (a bug, never a fault)."""


class CallFailed(Exception):
    """A call could not read; ``fault`` says which, where and why."""

    def __init__(self, fault: CollectionFault) -> None:
        super().__init__(f"{fault.service}:{fault.api_call} in {fault.region}: {fault.error_code}")
        self.fault = fault


@dataclass
class Scope:
    """One account and region being read."""

    session: boto3.Session
    account_id: str
    region: str
    principal: str | None
    endpoint_url: str | None = None
    partition: str = "aws"
    regions: tuple[str, ...] = ()  # every region of the target (S3 keeps the buckets of these)
    page_size: int | None = None  # botocore paginators' PageSize (tests: force several pages)
    max_attempts: int | None = None  # attempts per call (the first included), when not RETRY_CONFIG's
    # (service, operation) -> number of operation calls made (the benchmark reads it)
    calls: dict[Call, int] = field(default_factory=dict)
    clients: dict[tuple[str, str], Any] = field(default_factory=dict)
    # Collectors of one scope run in threads: counts, clients and the tag index change under this lock.
    lock: threading.RLock = field(default_factory=threading.RLock)


def fault_from(
    exc: BaseException, service: str, operation: str, scope: Scope, subject: str | None = None
) -> CollectionFault:
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(
            error.get("Code") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "Error")
        )
        message = str(error.get("Message") or "")
        if "not been implemented" in message or "not yet implemented" in message:
            code = "NotImplemented"
    else:
        code, message = type(exc).__name__, str(exc)
    return CollectionFault(
        service=service,
        api_call=operation,
        region=scope.region,
        principal=scope.principal,
        error_code=code,
        message=message[:500],
        subject=subject,
    )


class Reader:
    """Calls of one service in one scope, limited to the operations its collector declares."""

    def __init__(
        self,
        scope: Scope,
        service: str,
        declared: frozenset[str],
        on_call: Callable[[str, str], None] | None = None,
        region: str | None = None,
    ) -> None:
        self.scope = scope
        self.service = service
        self.region = region or scope.region
        self._declared = declared
        self._on_call = on_call

    @property
    def client(self) -> Any:
        key = (self.service, self.region)
        with self.scope.lock, _SESSIONS:
            return self._client(key)

    def _client(self, key: tuple[str, str]) -> Any:
        client = self.scope.clients.get(key)
        if client is None:
            client = self.scope.session.client(
                self.service,
                region_name=self.region,
                endpoint_url=self.scope.endpoint_url,
                config=retry_config(self.scope.max_attempts),
            )
            self.guard(client)
            self.scope.clients[key] = client
        return client

    def guard(self, client: Any) -> None:
        """Refuse undeclared operations on ``client`` and count the declared ones (also done to a
        client a test hands in with a Stubber attached)."""
        client.meta.events.register_first("before-call.*.*", self._before_call)

    def _before_call(self, model: Any, **_: Any) -> None:
        operation = model.name
        if operation not in self._declared:
            raise UndeclaredCall(f"{self.service}:{operation} is not declared by its collector")
        key = (self.service, operation)
        with self.scope.lock:
            self.scope.calls[key] = self.scope.calls.get(key, 0) + 1
        if self._on_call is not None:
            self._on_call(self.service, operation)

    def in_region(self, region: str) -> Reader:
        return Reader(self.scope, self.service, self._declared, self._on_call, region)

    def call(
        self, operation: str, *, absent: tuple[str, ...] = (), subject: str | None = None, **params: Any
    ) -> dict[str, Any] | None:
        """One call; None when the error code is one of ``absent`` (an optional setting not set)."""
        method = getattr(self.client, xform_name(operation))
        try:
            response: dict[str, Any] = method(**params)
        except UndeclaredCall:
            raise
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code")
            if code in absent:
                return None
            raise CallFailed(fault_from(exc, self.service, operation, self._scoped(), subject)) from exc
        except BotoCoreError as exc:
            raise CallFailed(fault_from(exc, self.service, operation, self._scoped(), subject)) from exc
        return response

    def pages(self, operation: str, key: str, *, subject: str | None = None, **params: Any) -> list[Any]:
        """Every item under ``key`` of every page (botocore's paginator), read
        before any item is looked at: a failure on a later page is a fault of the list call, and the
        per-item calls come after the listing."""
        client = self.client
        name = xform_name(operation)
        items: list[Any] = []
        try:
            if not client.can_paginate(name):
                # a single call would read one page only: such APIs go through token_pages
                raise TypeError(f"{self.service}:{operation} has no paginator; use token_pages")
            paginator = client.get_paginator(name)
            if self.scope.page_size and paginator._pagination_cfg.get("limit_key"):
                params = {**params, "PaginationConfig": {"PageSize": self.scope.page_size}}
            for page in paginator.paginate(**params):
                items.extend(_items(page, key))
        except UndeclaredCall:
            raise
        except (ClientError, BotoCoreError) as exc:
            raise CallFailed(fault_from(exc, self.service, operation, self._scoped(), subject)) from exc
        return items

    def token_pages(self, operation: str, key: str, *, cursor: str = "NextToken", **params: Any) -> list[Any]:
        """Every item under ``key`` of an API that pages by a token (named ``cursor`` in the request
        and the answer) but has no botocore paginator."""
        items: list[Any] = []
        next_token: str | None = None
        while True:
            call_params: dict[str, Any] = {**params, cursor: next_token} if next_token else dict(params)
            page = self.call(operation, **call_params) or {}
            items.extend(_items(page, key))
            next_token = page.get(cursor)
            if not next_token:
                return items

    def _scoped(self) -> Scope:
        if self.region == self.scope.region:
            return self.scope
        return Scope(
            self.scope.session,
            self.scope.account_id,
            self.region,
            self.scope.principal,
            self.scope.endpoint_url,
            self.scope.partition,
            self.scope.regions,
            self.scope.page_size,
            self.scope.max_attempts,
            self.scope.calls,
            self.scope.clients,
            self.scope.lock,
        )


def _items(page: Mapping[str, Any], key: str) -> list[Any]:
    found = page.get(key)
    return list(found) if isinstance(found, list | tuple) else []
