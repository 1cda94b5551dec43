"""One moto server for all operations tests (package scope), with moto-only credentials."""

from __future__ import annotations

import logging
import os
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from supportops.runbooks.local_aws import local_aws_endpoint

_NO_FILE = str(Path(tempfile.gettempdir()) / "supportops-ops-tests-no-such-dir" / "none")
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": _NO_FILE,
    "AWS_SHARED_CREDENTIALS_FILE": _NO_FILE,
}


@pytest.fixture(scope="package")
def endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    saved = {key: os.environ.get(key) for key in AWS_ENV}
    os.environ.update(AWS_ENV)
    try:
        with local_aws_endpoint() as url:
            # moto keeps its backends per process: start the package from empty accounts, whatever an
            # earlier module of this worker left (its modules never interleave: tests/conftest.py)
            urllib.request.urlopen(
                urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10
            ).close()
            yield url
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
