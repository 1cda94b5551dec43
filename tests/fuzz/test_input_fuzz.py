"""Fuzz every input kind: hostile variants of real files are read, and each must give a value or one
clear bad-input error — never another exception, never a hang.

The number of variants per kind is ``SUPPORTOPS_FUZZ_EXAMPLES`` (default 200, so about 2,000 per run
in CI); the corpus figure quoted in the project notes comes from

    SUPPORTOPS_FUZZ_EXAMPLES=1200 .venv/bin/pytest -q -p no:cacheprovider tests/fuzz

Runs are derandomised (the same variants every time); a failure prints the variant's bytes.
"""

from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from input_kinds import KINDS, InputKind, place
from mutations import Format, mutant

from supportops.errors import SupportopsError

EXAMPLES = int(os.environ.get("SUPPORTOPS_FUZZ_EXAMPLES", "200"))
SECONDS_PER_INPUT = 10.0  # generous for a loaded 2-core machine; a hang runs for minutes


class Hang(Exception):
    pass


@contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"no answer within {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_or_refuse(kind: InputKind, data: bytes, directory: Path) -> None:
    path = place(kind, data, directory)
    try:
        with time_bound(SECONDS_PER_INPUT):
            kind.read(path)
    except SupportopsError as refused:
        message = str(refused)
        assert message, "a refusal must say why"
        assert "Traceback" not in message
        assert len(message) < 20_000, f"error message of {len(message)} characters"
    except Hang:
        pytest.fail(f"{kind.name}: reading hung on input {data[:300]!r}")
    except Exception:
        pytest.fail(f"{kind.name}: crashed on input {data[:300]!r}\n{traceback.format_exc(limit=-4)}")


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_hostile_variants_are_read_or_refused(
    kind: InputKind, tmp_path_factory: pytest.TempPathFactory
) -> None:
    seed = kind.seed.read_bytes()
    directory = tmp_path_factory.mktemp(kind.name) / "case"
    # The seed itself must be accepted: otherwise every variant is refused for the wrong reason.
    kind.read(place(kind, seed, directory))
    fmt: Format = "json" if kind.seed.suffix == ".json" else "csv" if kind.seed.suffix == ".csv" else "yaml"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=mutant(seed, fmt) | st.just(seed))
    def variant(data: bytes) -> None:
        read_or_refuse(kind, data, directory)

    variant()
