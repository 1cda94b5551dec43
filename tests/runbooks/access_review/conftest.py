"""Fixtures for access-review tests: a moto server on loopback (emptied for each test), seeded accounts
and a test runbook file."""

from __future__ import annotations

import logging
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from access_review_helpers import RUNBOOK, seed_extra

from supportops.runbooks.access_review.demo import seed_demo
from supportops.runbooks.local_aws import local_aws_endpoint


@pytest.fixture
def moto_url() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with local_aws_endpoint() as url:
        # moto keeps its backends per process: start every test from empty accounts
        urllib.request.urlopen(
            urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10
        ).close()
        yield url


@pytest.fixture
def seeded(moto_url: str) -> dict[str, str]:
    seeded = seed_demo(moto_url)
    seed_extra(moto_url)
    return {**seeded, "url": moto_url}


@pytest.fixture
def runbook_file(tmp_path: Path) -> Path:
    path = tmp_path / "review.yaml"
    path.write_text(yaml.safe_dump(RUNBOOK, sort_keys=False), encoding="utf-8")
    return path
