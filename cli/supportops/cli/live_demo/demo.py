"""The live demo in one command (dev/demo only: needs moto):

    python -m supportops.cli.live_demo.demo OUTDIR [--stack demo-foundation] [--service s3,sqs ...]
        [--no-cache | --cache-dir DIR]

Plans the phase (through the plan cache, as ``supportops comply`` does: ``--cache-dir``, else
``$SUPPORTOPS_CACHE_DIR``, else the user cache dir; ``--no-cache`` plans the program), starts moto's
server on 127.0.0.1, materialises the plan into it, runs ``supportops comply --live``
(``OUTDIR/comply-live/``) while it writes the state export of that deployment (``OUTDIR/state.json``;
both read the same unchanged account), makes one change behind the stack's back (the first bucket of
the stack loses its default encryption), runs ``supportops drift`` (``OUTDIR/drift/``), and stops the
server. Both reports are written as JSON and HTML. Exit 0 when drift reports exactly that change, 1
otherwise.

The state export is what ``pulumi stack export`` gives right after deploying: the planned URNs, types
and providers (with the stack's default tags), and for each resource read back its physical id and
properties as deployed (:func:`state_export`, also used by the tests).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import boto3

from supportops.atomic import write_text_atomic
from supportops.cli.live_demo.materialise import Materialised, materialise
from supportops.inventory.live.model import LiveCollection, index_by_identity, live_urn, match
from supportops.inventory.model import Inventory, Resource

if TYPE_CHECKING:
    from supportops.cache.store import Cache

DEMO_REGIONS: Final = ("us-east-1", "us-west-2")
SSE_TYPE: Final = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def deployed_urn(plan: Inventory, materialised: Materialised, planned_urn: str) -> str:
    """The live URN of the regional resource materialised for ``planned_urn`` (global ones, IAM, are
    read under region ``global``)."""
    resource = plan.by_urn(planned_urn)
    if resource is None:
        raise KeyError(planned_urn)
    return live_urn(
        materialised.account_id,
        resource.region or DEMO_REGIONS[0],
        resource.type,
        materialised.physical_ids[planned_urn],
    )


def state_export(plan: Inventory, materialised: Materialised, live: LiveCollection) -> dict[str, Any]:
    """``pulumi stack export`` (version 3) of a materialised plan: the planned resources read back live,
    as deployed (outputs = inputs = the live properties), with the plan's providers and stack."""
    by_identity = index_by_identity(live.inventory.resources)
    resources: list[dict[str, Any]] = []
    for resource in plan:
        if resource.type.startswith("pulumi:"):
            resources.append(_envelope(plan, resource, resource.id, resource.inputs, resource.outputs))
            continue
        if resource.urn not in materialised.physical_ids:
            continue
        probe = Resource(
            urn=resource.urn,
            type=resource.type,
            name=resource.name,
            id=materialised.physical_ids[resource.urn],
        )
        found = match(probe, by_identity)
        if found is None:
            continue  # created but not read back: no state a refresh could hold
        properties = {**found.inputs, **found.outputs}
        if resource.region:  # pulumi-aws 7 records each resource's region
            properties["region"] = resource.region
        resources.append(_envelope(plan, resource, found.id, properties, properties))
    return {"version": 3, "deployment": {"manifest": {"version": "v3.200.0"}, "resources": resources}}


def _envelope(
    plan: Inventory,
    resource: Resource,
    physical_id: str | None,
    inputs: dict[str, Any],
    outputs: dict[str, Any],
) -> dict[str, Any]:
    envelope: dict[str, Any] = {
        "urn": resource.urn,
        "type": resource.type,
        "custom": resource.custom,
        "inputs": inputs,
        "outputs": outputs,
    }
    if physical_id:
        envelope["id"] = physical_id
    if resource.parent:
        envelope["parent"] = resource.parent
    if resource.provider:
        provider = plan.by_urn(resource.provider)
        envelope["provider"] = f"{resource.provider}::{provider.id if provider and provider.id else 'id'}"
    return envelope


def _cli(*args: str, env: dict[str, str]) -> int:
    """One supportops command in its own process, as a user runs it."""
    command = [sys.executable, "-m", "supportops.cli.main", *args]
    shown = f"$ AWS_MAX_ATTEMPTS={env['AWS_MAX_ATTEMPTS']} supportops " + " ".join(args)
    print(shown, file=sys.stderr, flush=True)
    return subprocess.run(command, env=env, check=False).returncode


def state_services(plan: Inventory, materialised: Materialised, services: Sequence[str] | None) -> list[str]:
    """The collectors that read what was materialised (of ``services``, when given): all a state export
    needs, since it holds only the materialised resources, matched to live ones by type and id."""
    from supportops.inventory.live import registry

    producers = registry.collected_types()
    types = {r.type for r in plan if r.urn in materialised.physical_ids}
    needed = {producers[t] for t in types if t in producers}
    return sorted(needed if services is None else needed & set(services))


def read_state(
    plan: Inventory, materialised: Materialised, url: str, services: Sequence[str] | None
) -> dict[str, Any]:
    """The state export of the deployment, from one live read of the collectors it needs. Two attempts
    a call (as the live tests do): moto answers 500 to the APIs it lacks, which botocore would retry
    for seconds, and against a local endpoint a failed call does not heal by waiting."""
    from supportops.inventory.live import collect_live
    from supportops.inventory.live.model import LiveTarget

    target = LiveTarget(boto3.Session(region_name=DEMO_REGIONS[0]), None, DEMO_REGIONS, url)
    collection = collect_live([target], services=state_services(plan, materialised, services), max_attempts=2)
    return state_export(plan, materialised, collection)


def run_demo(out: Path, stack: str, services: Sequence[str] | None, cache: Cache) -> int:
    from supportops.cli.paths import repository_root
    from supportops.runbooks.local_aws import local_aws_credentials, local_aws_endpoint
    from supportops.stacks.stack_plan import plan_stacks

    # moto's server logs every request, and a traceback for each API it does not implement: those
    # calls are reported as live:fault findings already.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    root = repository_root()
    out.mkdir(parents=True, exist_ok=True)
    plan = plan_stacks(root, [stack], cache=cache)[stack]
    # moto's server prints a line to stdout for every API it does not know (the commands report
    # those calls as live:fault findings): its stdout goes nowhere, the demo speaks on stderr.
    with (
        local_aws_credentials(),
        local_aws_endpoint() as url,
        Path(os.devnull).open("w") as nowhere,
        contextlib.redirect_stdout(nowhere),
    ):
        materialised = materialise(plan, url)
        print(
            f"materialised {len(materialised.physical_ids)} resources of {stack} into {url}; not held by "
            f"moto: {len(materialised.not_materialised)} types (listed as not collected in the reports)",
            file=sys.stderr,
        )
        # moto answers 500 for the APIs it lacks: against it, one retry (not the collectors' five) is
        # enough. Shown in the commands below, as a user would type it.
        attempts = os.environ.get("AWS_MAX_ATTEMPTS", "2")
        env = {**os.environ, "AWS_ENDPOINT_URL": url, "COLUMNS": "160", "AWS_MAX_ATTEMPTS": attempts}
        live = ["--endpoint-url", url, *(a for region in DEMO_REGIONS for a in ("--region", region))]
        if services:
            live += ["--service", ",".join(services)]
        # The state export and comply --live read the same account before the change: side by side
        # (the command waits on its own process, the read on moto).
        with ThreadPoolExecutor(max_workers=1) as pool:
            exported = pool.submit(read_state, plan, materialised, url, services)
            comply_code = _cli(
                "comply",
                "--live",
                *live,
                "--config",
                str(root / f"Pulumi.{stack}.yaml"),
                "--no-checkov",
                "-f",
                "json,html",
                "-o",
                str(out / "comply-live"),
                env=env,
            )
            state = out / "state.json"
            write_text_atomic(state, json.dumps(exported.result(), indent=1))
        changed = _turn_off_encryption(plan, materialised, url)
        drift_code = _cli(
            "drift",
            "--state",
            str(state),
            *live,
            "-f",
            "compact,json,html",
            "-o",
            str(out / "drift"),
            env=env,
        )
    report = json.loads((out / "drift" / "drift.json").read_text(encoding="utf-8"))
    drifted = sorted((f["checkId"], f["subject"]) for f in report["findings"] if f["status"] == "FAIL")
    print(f"comply --live exit {comply_code}; drift exit {drift_code}; drift found: {drifted}")
    return 0 if drifted == [("drift:deleted", changed)] and drift_code == 1 else 1


def _turn_off_encryption(plan: Inventory, materialised: Materialised, url: str) -> str:
    """Delete the default encryption of the stack's first encrypted bucket (in the first region)."""
    config = next(
        r
        for r in plan.of_type(SSE_TYPE)
        if r.urn in materialised.physical_ids and (r.region or DEMO_REGIONS[0]) == DEMO_REGIONS[0]
    )
    bucket = materialised.physical_ids[config.urn]
    boto3.Session().client("s3", region_name=DEMO_REGIONS[0], endpoint_url=url).delete_bucket_encryption(
        Bucket=bucket
    )
    print(f"out of band: default encryption of bucket {bucket} deleted", file=sys.stderr)
    return config.urn


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory for the state export and both reports")
    parser.add_argument("--stack", default="demo-foundation")
    parser.add_argument("--service", help="only these collectors, comma-separated (default: all)")
    cached = parser.add_mutually_exclusive_group()
    cached.add_argument(
        "--no-cache", action="store_true", help="plan the program, reading and writing no cache"
    )
    cached.add_argument(
        "--cache-dir", type=Path, help="plan cache (default: $SUPPORTOPS_CACHE_DIR, else the user cache dir)"
    )
    args = parser.parse_args(argv)
    from supportops.cli.comply_stacks import cache_from  # the plan cache exactly as comply opens it

    services = [s for s in (args.service or "").split(",") if s] or None
    return run_demo(args.out, args.stack, services, cache_from(args.no_cache, args.cache_dir))


if __name__ == "__main__":
    code = main()
    # Nothing is left to finalise: spare the interpreter's last collection over the heap moto's
    # server and botocore's models leave (seconds, after the demo has spoken).
    gc.freeze()
    raise SystemExit(code)
