"""A local AWS endpoint (moto's server on 127.0.0.1) for demos and tests: started by whoever
needs it and stopped after. Not for production use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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
