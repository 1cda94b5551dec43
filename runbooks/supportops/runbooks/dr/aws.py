"""AWS clients for drills: created on demand (never at import), with bounded connect/read timeouts
and botocore's standard-mode retries, pointed at ``--endpoint-url`` when given (e.g. a local moto
server)."""

from __future__ import annotations

from typing import Any, Protocol

AWS_ERRORS: tuple[type[BaseException], ...]
try:
    from botocore.exceptions import BotoCoreError, ClientError

    AWS_ERRORS = (BotoCoreError, ClientError)
except ImportError:  # pragma: no cover - boto3 is a dependency
    AWS_ERRORS = ()


# botocore's standard retry mode is the one retry mechanism (throttling, 5xx, dropped connections).
# 8 attempts: with 1 call in 5 failing, a drill's ~50 calls all get through (0.2**8 per call); the
# backoff stays short for non-throttling errors (at most ~6 s over all attempts). Calls with effects
# are written so that a retry after a lost response resolves to that effect (see the step modules).
MAX_ATTEMPTS = 8


class ClientFactory(Protocol):
    def __call__(self, service: str, region: str) -> Any: ...


class BotoClients:
    """One boto3 session; one client per (service, region), made on first use."""

    def __init__(self, endpoint_url: str | None = None, *, read_timeout: float = 30.0) -> None:
        self.endpoint_url = endpoint_url
        self._read_timeout = read_timeout
        self._session: Any = None
        self._clients: dict[tuple[str, str], Any] = {}

    def __call__(self, service: str, region: str) -> Any:
        key = (service, region)
        if key not in self._clients:
            import boto3
            from botocore.config import Config

            if self._session is None:
                self._session = boto3.session.Session()
            config = Config(
                connect_timeout=5,
                read_timeout=self._read_timeout,
                retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
            )
            self._clients[key] = self._session.client(
                service, region_name=region, endpoint_url=self.endpoint_url, config=config
            )
        return self._clients[key]


def error_code(exc: BaseException) -> str:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return str(response.get("Error", {}).get("Code", ""))
    return ""


def describe_error(exc: BaseException) -> str:
    code = error_code(exc)
    text = str(exc).strip() or type(exc).__name__
    return f"{code}: {text}" if code and code not in text else text
