"""Fixtures for live-collector tests: one moto server per session holding the materialised foundation
phase (materialised once: the parity, permission and drift-style tests read the same account)."""

from __future__ import annotations

import logging
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from live_helpers import session

from supportops.cli.live_demo.materialise import Materialised, materialise
from supportops.inventory.live import LiveCollection, LiveTarget, collect_live, registry
from supportops.inventory.live.reader import Scope
from supportops.inventory.model import Inventory
from supportops.runbooks.local_aws import MOTO_LACKS_SERVICES, local_aws_endpoint

REGIONS = ("us-east-1", "us-west-2")


@dataclass
class LiveFoundation:
    """The three demo phases materialised into one moto account (in deployment order) and read back."""

    url: str
    materialised: Materialised  # the foundation's
    collection: LiveCollection
    scopes: list[Scope]
    later: dict[str, tuple[Inventory, Materialised]]  # automation, analytics: plan and materialised


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with local_aws_endpoint() as url:
        urllib.request.urlopen(
            urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10
        ).close()
        yield url


@pytest.fixture(scope="session")
def live_foundation(
    moto_server: str, foundation_plan: Inventory, automation_plan: Inventory, analytics_plan: Inventory
) -> LiveFoundation:
    materialised = materialise(foundation_plan, moto_server, session())
    later = {
        "automation": (automation_plan, materialise(automation_plan, moto_server, session())),
        "analytics": (analytics_plan, materialise(analytics_plan, moto_server, session())),
    }
    scopes: list[Scope] = []
    services = [name for name in registry.services() if name not in MOTO_LACKS_SERVICES]  # Stubber-tested
    # Two attempts a call: the API moto lacks answers 500, which botocore would retry for seconds.
    collection = collect_live(
        [LiveTarget(session(), None, REGIONS, moto_server)], services=services, scopes=scopes, max_attempts=2
    )
    return LiveFoundation(moto_server, materialised, collection, scopes, later)
