"""A loopback HTTP proxy in front of moto that counts the AWS calls a drill makes and, at a chosen
call, sends the drill process a signal: before forwarding the call (AWS never saw it) or after
(AWS did it, the drill never heard back: e.g. a table restored but not yet tagged). Kill points are
call numbers, so a seeded random choice is reproducible whatever the machine's speed.

It can also lose responses: the call is forwarded (AWS did it) and the connection is closed without
an answer, so botocore retries the call and the retry meets the effect of the first attempt."""

from __future__ import annotations

import contextlib
import http.client
import os
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te", "trailer"}


@dataclass
class KillPlan:
    pid: int = 0
    at_call: int = 0  # 0: never
    after_forwarding: bool = False
    signum: int = 9


def _label(method: str, path: str, target: str | None, body: bytes) -> str:
    """``DynamoDB_20120810.RestoreTableToPointInTime``, ``RestoreDBInstanceToPointInTime``, ``PUT /b/k``."""
    if target:
        return target
    action = parse_qs(body.decode("utf-8", "replace")).get("Action")
    return action[0] if action else f"{method} {path.split('?')[0]}"


class KillProxy:
    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.calls = 0
        self.log: list[str] = []  # what each call was, in order (since the last arm)
        self.fired = threading.Event()
        self.plan = KillPlan()
        self.losses: dict[str, int] = {}  # label fragment -> responses still to lose
        self.lost: list[str] = []  # labels of the calls whose response was lost
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                label = _label(self.command, self.path, self.headers.get("X-Amz-Target"), body)
                with proxy._lock:
                    proxy.calls += 1
                    number = proxy.calls
                    proxy.log.append(label)
                fire = proxy.plan.pid and number == proxy.plan.at_call
                if fire and not proxy.plan.after_forwarding:
                    proxy._fire()
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                upstream = http.client.HTTPConnection(*proxy.upstream, timeout=30)
                try:
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    response = upstream.getresponse()
                    payload = response.read()
                    status, reason, reply = response.status, response.reason, response.getheaders()
                finally:
                    upstream.close()
                if fire and proxy.plan.after_forwarding:
                    proxy._fire()
                if proxy._lose(label):
                    self.close_connection = True  # AWS did it; the caller hears nothing
                    return
                self.send_response(status, reason)
                for key, value in reply:
                    if key.lower() not in _HOP and key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _relay

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _fire(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.plan.pid, self.plan.signum)
        self.fired.set()

    def _lose(self, label: str) -> bool:
        with self._lock:
            fragment = next((f for f, left in self.losses.items() if left > 0 and f in label), None)
            if fragment is None:
                return False
            self.losses[fragment] -= 1
            self.lost.append(label)
            return True

    def lose_responses(self, *fragments: str, times: int = 1) -> None:
        """Lose the response of the first ``times`` calls whose label contains each fragment."""
        with self._lock:
            self.losses = dict.fromkeys(fragments, times)
            self.lost = []

    def arm(self, pid: int, at_call: int, after_forwarding: bool, signum: int) -> None:
        with self._lock:
            self.calls = 0
            self.log = []
            self.fired.clear()
            self.plan = KillPlan(pid, at_call, after_forwarding, signum)

    def disarm(self) -> None:
        with self._lock:
            self.plan = KillPlan()

    def __enter__(self) -> KillProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)
