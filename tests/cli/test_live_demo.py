"""The live demo's state export (supportops.cli.live_demo.demo): read with only the collectors of what
was materialised, it is the export a read of every collector gives, so `drift` compares the same state."""

from __future__ import annotations

from pathlib import Path

import pytest
from live_stack import REGIONS, deployed

from supportops.cache.store import Cache, NoCache
from supportops.cli.live_demo import demo
from supportops.inventory.live import collect_live, registry
from supportops.inventory.live.model import LiveTarget
from supportops.inventory.model import Inventory

# moto's state: in the group of the other modules that reset it (tests/conftest.py)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("moto-state")]


def test_the_state_read_narrowed_to_the_materialised_services_loses_nothing(
    foundation_plan: Inventory,
) -> None:
    import boto3

    with deployed(foundation_plan, ("kms", "s3", "sqs")) as deployment:
        plan, materialised = deployment.plan, deployment.materialised
        assert demo.state_services(plan, materialised, None) == ["kms", "s3", "sqs"]
        assert demo.state_services(plan, materialised, ["s3", "lambda"]) == ["s3"]
        every = collect_live(
            [LiveTarget(boto3.Session(), None, REGIONS, deployment.url)],
            services=registry.services(),
            max_attempts=2,
        )
        narrowed = demo.read_state(plan, materialised, deployment.url, None)
    assert narrowed == demo.state_export(plan, materialised, every)
    held = {r["urn"] for r in narrowed["deployment"]["resources"] if not r["type"].startswith("pulumi:")}
    assert held == set(materialised.physical_ids)


@pytest.mark.parametrize(
    ("flags", "kind", "where"),
    [
        ([], Cache, "env"),
        (["--cache-dir", "{tmp}/mine"], Cache, "mine"),
        (["--no-cache"], NoCache, None),
    ],
)
def test_the_plan_cache_is_the_one_comply_opens(
    flags: list[str],
    kind: type,
    where: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SUPPORTOPS_CACHE_DIR", str(tmp_path / "env"))
    seen: list[tuple[Path, str, object]] = []

    def run_demo(out: Path, stack: str, _services: object, cache: object) -> int:
        seen.append((out, stack, cache))
        return 0

    monkeypatch.setattr(demo, "run_demo", run_demo)
    args = [f.format(tmp=tmp_path) for f in flags]
    assert demo.main([*args, str(tmp_path / "out")]) == 0
    [(out, stack, cache)] = seen
    assert (out, stack) == (tmp_path / "out", "demo-foundation")
    assert type(cache) is kind
    if where is not None:
        assert isinstance(cache, Cache)
        assert cache.root.parent == tmp_path / where


def test_no_cache_and_a_cache_dir_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        demo.main(["--no-cache", "--cache-dir", "x", "out"])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
