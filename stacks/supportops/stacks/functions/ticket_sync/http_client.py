"""A small JSON-over-HTTPS client with bounded retries on 429 and 5xx (urllib only)."""

from __future__ import annotations

import contextlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class HttpError(RuntimeError):
    def __init__(self, method: str, url: str, status: int, body: str) -> None:
        super().__init__(f"{method} {url} -> HTTP {status}: {body[:200]}")
        self.status = status


@dataclass(frozen=True)
class Response:
    status: int
    body: Any


@dataclass
class JsonClient:
    base_url: str
    headers: Mapping[str, str]
    max_attempts: int = 4
    backoff_base_seconds: float = 0.25
    backoff_cap_seconds: float = 4.0
    timeout_seconds: float = 10.0
    sleep: Callable[[float], None] = field(default=time.sleep)

    def request(self, method: str, path: str, body: Any = None) -> Response:
        url = f"{self.base_url}{path}"
        data = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json", **self.headers}
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(1, self.max_attempts + 1):
            request = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                    raw = response.read().decode() or "null"
                    return Response(response.status, json.loads(raw))
            except urllib.error.HTTPError as exc:
                text = exc.read().decode(errors="replace")
                if exc.code not in RETRYABLE_STATUS or attempt == self.max_attempts:
                    raise HttpError(method, url, exc.code, text) from None
                self.sleep(self._delay(attempt, exc.headers.get("Retry-After")))
        raise AssertionError("unreachable")  # the loop returns or raises

    def _delay(self, attempt: int, retry_after: str | None) -> float:
        """Exponential backoff, or the server's Retry-After; never above the cap."""
        delay: float = self.backoff_base_seconds * 2.0 ** (attempt - 1)
        if retry_after:
            with contextlib.suppress(ValueError):
                delay = float(retry_after)
        return min(max(delay, 0.0), self.backoff_cap_seconds)
