"""A local AWS endpoint (moto's server on 127.0.0.1) for demos and tests: started by whoever
needs it and stopped after. Not for production use."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

# The live collectors' services this endpoint cannot feed (APIs moto lacks, or holds too little of):
# tests answer them with botocore Stubber responses; benchmarks leave them out.
MOTO_LACKS_SERVICES: Final = frozenset(
    {
        "connect",
        "customer-profiles",
        "appflow",
        "qconnect",
        "appintegrations",
        "lexv2-models",
        "guardduty",
        "securityhub",
        "config",
        "accessanalyzer",
        "inspector2",
    }
)


@contextmanager
def local_aws_endpoint() -> Iterator[str]:
    """Start moto's threaded server on a free loopback port; yield its URL; stop it."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # moto is a dev/demo dependency only
        from supportops.errors import SupportopsError

        raise SupportopsError("the local AWS endpoint needs moto: pip install 'supportops[dev]'") from exc
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@contextmanager
def local_aws_credentials() -> Iterator[None]:
    """moto accepts any credentials: set dummy ones for the duration, only where none are configured
    (so a real profile in the environment is never replaced, and never sent to the local endpoint
    by accident of being the only one)."""
    defaults = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    added = {key: value for key, value in defaults.items() if key not in os.environ}
    os.environ.update(added)
    try:
        yield
    finally:
        for key in added:
            os.environ.pop(key, None)
