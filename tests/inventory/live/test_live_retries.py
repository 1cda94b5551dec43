"""The collectors' retries: botocore's own AWS_MAX_ATTEMPTS and AWS_RETRY_MODE are honoured (a client's
explicit config would silently override them) and mean what botocore means (attempts, the first one
included), and a value botocore would refuse is one line, exit 2."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest
from botocore.exceptions import ClientError
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.errors import BadInput
from supportops.inventory.live.reader import retry_config


class _Failing(BaseHTTPRequestHandler):
    """An endpoint that answers every request with 500 (as moto does for an API it lacks)."""

    requests = 0

    def do_POST(self) -> None:
        type(self).requests += 1
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: object) -> None:
        return None


@pytest.fixture
def failing_endpoint() -> Iterator[str]:
    _Failing.requests = 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def requests_made(
    endpoint: str, monkeypatch: pytest.MonkeyPatch, *, env: str | None, explicit: int | None
) -> int:
    if env is None:
        monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)
    else:
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", env)
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")  # no client-side rate limiting: a short test
    client = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    ).client("sts", endpoint_url=endpoint, config=retry_config(explicit))
    with pytest.raises(ClientError):
        client.get_caller_identity()
    return _Failing.requests


def test_aws_max_attempts_counts_attempts_as_botocore_does(
    failing_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert requests_made(failing_endpoint, monkeypatch, env="2", explicit=None) == 2


def test_an_explicit_count_comes_first(failing_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert requests_made(failing_endpoint, monkeypatch, env="5", explicit=1) == 1


def test_defaults_without_the_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_MAX_ATTEMPTS", raising=False)
    monkeypatch.delenv("AWS_RETRY_MODE", raising=False)
    config = retry_config()
    assert config.retries == {"total_max_attempts": 6, "mode": "adaptive"}
    assert config.connect_timeout == 5 and config.read_timeout == 60


@pytest.mark.parametrize(
    ("name", "value"),
    [("AWS_MAX_ATTEMPTS", "zero"), ("AWS_MAX_ATTEMPTS", "0"), ("AWS_MAX_ATTEMPTS", "-1"),
     ("AWS_MAX_ATTEMPTS", "\u00b2"), ("AWS_RETRY_MODE", "fast")],
)
def test_a_bad_value_is_bad_input(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(BadInput, match=name):
        retry_config()


def test_comply_live_refuses_a_bad_value_in_one_line_before_any_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "many")
    # Port 9 (discard) on loopback: nothing answers, so reaching it would be a fault (exit 3), not 2.
    result = CliRunner().invoke(
        create_app(), ["comply", "--live", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"]
    )
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "AWS_MAX_ATTEMPTS" in lines[0] and "Traceback" not in result.output
