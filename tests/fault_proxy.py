"""A fault-injecting HTTP proxy for tests: sits on 127.0.0.1 (a free port) in front of a local AWS
endpoint (moto's server) and turns a seeded, bounded fraction of AWS calls into the faults real AWS
produces, so code under test must survive them through its boto3 retries and idempotent steps.

API::

    from fault_proxy import FaultProxy, RETRYING

    with FaultProxy(moto_url, rate=0.2, seed=7) as proxy:     # starts; stops on exit
        iam = session.client("iam", endpoint_url=proxy.url, config=RETRYING)
        ...
        proxy.faults            # Counter: {"throttle": 3, "lost": 1, ...}
        proxy.log               # [(call label, fault kind or None), ...] in arrival order
        proxy.calls             # number of AWS calls seen (moto's /moto-api/ is never faulted)

``FaultProxy(upstream, *, rate=0.2, seed=0, kinds=FAULT_KINDS, max_faults=None, max_consecutive=2,
only=None)``:

- ``rate``: probability that a call gets a fault (drawn from ``random.Random(seed)``, one draw per
  call under a lock: with sequential callers a seed gives the same faults on the same calls).
- ``kinds``: which faults, chosen uniformly among these (repeat a kind to weight it):
  ``"throttle"`` (not forwarded; 400 ``Throttling`` XML for query-protocol calls such as IAM/STS/RDS,
  400 ``ThrottlingException`` JSON with ``x-amzn-ErrorType`` for JSON and REST-JSON services such as
  DynamoDB/Connect/Backup, 503 ``SlowDown`` XML for S3), ``"500"`` and ``"503"`` (not forwarded, an
  ``InternalError``/``ServiceUnavailable`` body in the same protocol), ``"reset"`` (not forwarded; the
  connection is reset with no response) and ``"lost"`` (forwarded to the upstream, which acts, then the
  connection is reset before the response: the caller's retry meets the effect already present).
  ``"denied"`` (not forwarded; 403 ``AccessDenied``/``AccessDeniedException``: not retried) is not in
  the default kinds: ask for it to make one chosen call fail for good.
- ``max_faults``: stop injecting after this many (``None``: no limit).
- ``max_consecutive``: never fault more than this many calls in a row, so a client with
  ``max_attempts > max_consecutive + 1`` always gets through (the run stays deterministic).
- ``only``: a predicate on the call label (``"iam.DeleteLoginProfile"``, ``"dynamodb.PutItem"``,
  ``"s3.PUT /bucket/key"``) choosing which calls may be faulted; the rest pass untouched.

``RETRYING`` is a botocore ``Config`` with standard-mode retries and enough attempts for these bounds.
Throttles make botocore back off about 0.5 s on average (5xx/resets about 25-50 ms): prefer weighting
``kinds`` towards non-throttling faults in loops that must stay fast.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import re
import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from botocore.config import Config

FAULT_KINDS: tuple[str, ...] = ("throttle", "500", "503", "reset", "lost")
_ALL_KINDS = (*FAULT_KINDS, "denied")
RETRYING = Config(retries={"mode": "standard", "max_attempts": 10}, connect_timeout=5, read_timeout=30)

_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te", "trailer"}
_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")


def _service(headers: Message) -> str:
    match = _SCOPE.search(headers.get("Authorization") or "")
    return match.group(1) if match else "unknown"


def _label(service: str, method: str, path: str, target: str | None, body: bytes) -> str:
    if target:
        return f"{service}.{target.rsplit('.', 1)[-1]}"
    action = parse_qs(body.decode("utf-8", "replace")).get("Action")
    if action:
        return f"{service}.{action[0]}"
    return f"{service}.{method} {path.split('?')[0]}"


def _protocol(service: str, target: str | None, body: bytes, content_type: str) -> str:
    if target:
        return "json"
    if service == "s3":
        return "rest-xml"
    if "x-www-form-urlencoded" in content_type or parse_qs(body.decode("utf-8", "replace")).get("Action"):
        return "query"
    return "rest-json"


_MESSAGES = {
    "throttle": ("Throttling", "ThrottlingException", "SlowDown", 400, "Rate exceeded"),
    "500": ("InternalFailure", "InternalFailure", "InternalError", 500, "Internal error (injected)"),
    "503": ("ServiceUnavailable", "ServiceUnavailable", "ServiceUnavailable", 503, "Unavailable (injected)"),
    "denied": ("AccessDenied", "AccessDeniedException", "AccessDenied", 403, "Access denied (injected)"),
}


def error_response(kind: str, protocol: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of an injected error as the service's protocol shapes it."""
    query_code, json_code, s3_code, status, message = _MESSAGES[kind]
    if protocol == "query":
        body = (
            f'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>'
            f"<Code>{query_code}</Code><Message>{message}</Message></Error>"
            f"<RequestId>injected</RequestId></ErrorResponse>"
        )
        return status, {"Content-Type": "text/xml"}, body.encode()
    if protocol == "rest-xml":
        status = 503 if kind == "throttle" else status
        body = f"<Error><Code>{s3_code}</Code><Message>{message}</Message><RequestId>x</RequestId></Error>"
        return status, {"Content-Type": "application/xml"}, body.encode()
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-ErrorType": json_code}
    if protocol == "rest-json":
        headers["Content-Type"] = "application/json"
    return status, headers, f'{{"__type": "{json_code}", "message": "{message}"}}'.encode()


class FaultProxy:
    """See the module docstring."""

    def __init__(
        self,
        upstream: str,
        *,
        rate: float = 0.2,
        seed: int = 0,
        kinds: Iterable[str] = FAULT_KINDS,
        max_faults: int | None = None,
        max_consecutive: int = 2,
        only: Callable[[str], bool] | None = None,
    ) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.kinds = tuple(kinds)
        unknown = set(self.kinds) - set(_ALL_KINDS)
        if unknown or not self.kinds or not 0 <= rate <= 1:
            raise ValueError(f"bad fault plan: kinds {sorted(unknown)}, rate {rate}")
        self.rate = rate
        self.max_faults = max_faults
        self.max_consecutive = max_consecutive
        self.only = only
        self.faults: Counter[str] = Counter()
        self.log: list[tuple[str, str | None]] = []
        self.calls = 0
        self._rng = random.Random(seed)
        self._in_a_row = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FaultProxy:
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _choose(self, label: str) -> str | None:
        """One seeded draw per call (always drawn, so the sequence does not depend on ``only``)."""
        with self._lock:
            self.calls += 1
            roll, pick = self._rng.random(), self._rng.randrange(len(self.kinds))
            eligible = (
                (self.only is None or self.only(label))
                and (self.max_faults is None or sum(self.faults.values()) < self.max_faults)
                and self._in_a_row < self.max_consecutive
            )
            kind = self.kinds[pick] if eligible and roll < self.rate else None
            self._in_a_row = self._in_a_row + 1 if kind else 0
            if kind:
                self.faults[kind] += 1
            self.log.append((label, kind))
            return kind

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        upstream = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            upstream.request(method, path, body=body, headers=headers)
            response = upstream.getresponse()
            return response.status, response.reason, response.getheaders(), response.read()
        finally:
            upstream.close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def _body(self) -> bytes:
                if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                    chunks = []
                    while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _reset(self) -> None:
                # SO_LINGER 0: close sends RST, the client sees a dropped connection with no response
                with contextlib.suppress(OSError):
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True

            def _reply(
                self, status: int, reason: str, headers: Iterable[tuple[str, str]], payload: bytes
            ) -> None:
                self.send_response(status, reason)
                for key, value in headers:
                    if key.lower() not in _HOP and key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            def _relay(self) -> None:
                body = self._body()
                target = self.headers.get("X-Amz-Target")
                service = _service(self.headers)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                if body or self.command in ("POST", "PUT", "PATCH"):
                    headers["Content-Length"] = str(len(body))
                kind = None
                if not self.path.startswith("/moto-api"):
                    kind = proxy._choose(_label(service, self.command, self.path, target, body))
                if kind == "reset":
                    return self._reset()
                if kind in _MESSAGES:
                    protocol = _protocol(service, target, body, self.headers.get("Content-Type") or "")
                    status, extra, payload = error_response(kind, protocol)
                    return self._reply(status, "Injected", extra.items(), payload)
                status, reason, reply, payload = proxy._forward(self.command, self.path, headers, body)
                if kind == "lost":
                    return self._reset()
                self._reply(status, reason, reply, payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _relay

        return Handler
