"""Shared fixtures: planned inventories of the demo stacks (planned once per test session)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from supportops.inventory.model import Inventory
from supportops.stacks.stack_plan import plan_stack

REPO_ROOT = Path(__file__).resolve().parent.parent

# moto keeps its backends per process, whichever of its servers a test talks to: a test that empties
# the accounts (`/moto-api/reset`) wipes what another module's fixture seeded for all its tests. The
# modules that do either run in one xdist group, so they never interleave on a worker.
MOTO_STATE_GROUP = "moto-state"
_MOTO_STATE_PATHS = tuple(
    str(REPO_ROOT / "tests" / path)
    for path in (
        "runbooks/access_review/",
        "runbooks/dr/",
        "runbooks/ops/",
        "inventory/live/",
        "drift/",
        "cli/test_comply_live.py",
    )
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if str(item.path).startswith(_MOTO_STATE_PATHS) and item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(MOTO_STATE_GROUP))


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests never read or fill the user's cache (~/.cache/supportops): one cache per test session,
    inherited by the commands tests run in subprocesses. Tests of the cache set their own."""
    before = os.environ.get("SUPPORTOPS_CACHE_DIR")
    os.environ["SUPPORTOPS_CACHE_DIR"] = str(tmp_path_factory.mktemp("supportops-cache"))
    yield
    if before is None:
        os.environ.pop("SUPPORTOPS_CACHE_DIR", None)
    else:
        os.environ["SUPPORTOPS_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def _asff_target() -> Iterator[None]:
    """The ASFF format names the AWS account and region of its findings (a user gives them with
    AWS_ACCOUNT_ID/AWS_REGION, or --to-security-hub asks STS): tests that write every format get
    them here, in-process, without changing the environment boto3 reads."""
    from supportops.reports.formats.asff import AsffTarget, asff_target

    with asff_target(AsffTarget("123456789012", "us-east-1")):
        yield


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def foundation_plan() -> Inventory:
    return plan_stack(REPO_ROOT, "demo-foundation")


@pytest.fixture(scope="session")
def automation_plan() -> Inventory:
    return plan_stack(REPO_ROOT, "demo-automation")


@pytest.fixture(scope="session")
def analytics_plan() -> Inventory:
    return plan_stack(REPO_ROOT, "demo-analytics")
