"""A demo phase deployed into moto's server (over HTTP) for the `comply --live` and `drift` tests:
the planned resources of a few services materialised (supportops.cli.live_demo.materialise), and
the state export `pulumi stack export` would give right after that deployment.

The state export (supportops.cli.live_demo.demo.state_export) holds the planned URNs, types and
providers (with the stack's default tags) and, for each resource, the physical id and the properties
as deployed (what the provider reads back after `pulumi up`), from one live read after materialising.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from supportops.cli.live_demo import demo
from supportops.cli.live_demo.materialise import Materialised, materialise
from supportops.inventory.live import collect_live, registry
from supportops.inventory.live.model import LiveTarget
from supportops.inventory.model import Inventory
from supportops.runbooks.local_aws import local_aws_endpoint

REGIONS = ("us-east-1", "us-west-2")
# What the drift and comply --live tests deploy: enough for every drift the issue names, fast.
SERVICES = ("kms", "s3", "sqs")
_NO_FILE = str(Path(tempfile.gettempdir()) / "supportops-live-tests-no-such-dir" / "none")
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": _NO_FILE,
    "AWS_SHARED_CREDENTIALS_FILE": _NO_FILE,
}


@dataclass
class Deployment:
    url: str
    plan: Inventory  # the planned resources deployed (and their providers)
    materialised: Materialised

    def client(self, service: str, region: str = "us-east-1") -> Any:
        return boto3.Session().client(service, region_name=region, endpoint_url=self.url)

    def live_urn(self, planned_urn: str) -> str:
        """The URN a live read gives the resource deployed for ``planned_urn``."""
        return demo.deployed_urn(self.plan, self.materialised, planned_urn)


def of_services(plan: Inventory, services: Sequence[str]) -> Inventory:
    """The planned resources the collectors of ``services`` read, with the plan's providers."""
    types = {t for t, service in registry.collected_types().items() if service in services}
    kept = [r for r in plan if r.type in types or r.type.startswith("pulumi:")]
    return Inventory(plan.project, plan.stack, plan.source, kept, dict(plan.config), dict(plan.outputs))


@contextmanager
def aws_env() -> Iterator[None]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request otherwise
    saved = {key: os.environ.get(key) for key in AWS_ENV}
    os.environ.update(AWS_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def reset(url: str) -> None:
    """Empty moto's account: every server in one process shares moto's state, and the drift tests need
    exactly their deployment there (nothing another test left)."""
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=30).close()


@contextmanager
def deployed(plan: Inventory, services: Sequence[str] = SERVICES) -> Iterator[Deployment]:
    """A moto server holding the plan's resources of ``services`` (stopped on exit)."""
    subset = of_services(plan, services)
    with aws_env(), local_aws_endpoint() as url:
        reset(url)
        yield Deployment(url, subset, materialise(subset, url))


def state_export(deployment: Deployment) -> dict[str, Any]:
    """The deployment's `pulumi stack export` (version 3): planned resources found live, as deployed."""
    target = LiveTarget(boto3.Session(), None, REGIONS, deployment.url)
    collection = collect_live([target], services=SERVICES)
    return demo.state_export(deployment.plan, deployment.materialised, collection)


def write_state(deployment: Deployment, path: Path) -> Path:
    path.write_text(json.dumps(state_export(deployment)), encoding="utf-8")
    return path
