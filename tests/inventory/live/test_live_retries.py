"""The collectors' retries: botocore's own AWS_MAX_ATTEMPTS and AWS_RETRY_MODE are honoured (a client's
explicit config would silently override them), and a value botocore would refuse is one line, exit 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.errors import BadInput
from supportops.inventory.live.reader import retry_config


def retries(monkeypatch: pytest.MonkeyPatch, attempts: str | None, mode: str | None) -> dict[str, object]:
    for name, value in (("AWS_MAX_ATTEMPTS", attempts), ("AWS_RETRY_MODE", mode)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    config = retry_config()
    assert config.connect_timeout == 5 and config.read_timeout == 60  # the rest of the config is kept
    return dict(config.retries or {})


def test_defaults_without_the_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    assert retries(monkeypatch, None, None) == {"max_attempts": 6, "mode": "adaptive"}


def test_the_variables_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    assert retries(monkeypatch, "2", "standard") == {"max_attempts": 2, "mode": "standard"}


def test_an_explicit_count_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "9")
    assert retry_config(3).retries == {"max_attempts": 3, "mode": "adaptive"}


@pytest.mark.parametrize(
    ("attempts", "mode", "named"),
    [("zero", None, "AWS_MAX_ATTEMPTS"), ("0", None, "AWS_MAX_ATTEMPTS"), ("-1", None, "AWS_MAX_ATTEMPTS"),
     (None, "fast", "AWS_RETRY_MODE")],
)
def test_a_bad_value_is_bad_input(
    monkeypatch: pytest.MonkeyPatch, attempts: str | None, mode: str | None, named: str
) -> None:
    with pytest.raises(BadInput, match=named):
        retries(monkeypatch, attempts, mode)


def test_comply_live_refuses_a_bad_value_in_one_line_before_any_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "many")
    # Port 9 (discard) on loopback: nothing answers, so reaching it would be a fault (exit 3), not 2.
    result = CliRunner().invoke(
        create_app(), ["comply", "--live", "--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"]
    )
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "AWS_MAX_ATTEMPTS" in lines[0] and "Traceback" not in result.output
