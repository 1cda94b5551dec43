"""Benchmark: all catalog rules over a generated 10,000-resource `pulumi stack export`.

    .venv/bin/python bench/bench_rules.py [--resources 10000] [--repeat 3]

The export is built from the offline plans of the three demo phases, copied with renamed URNs,
names and ARNs until it holds the requested number of resources. Printed: the file size, the
baseline (parsing the file with the standard ``json`` module), loading it into the inventory,
evaluating every rule, the ratios to the baseline (target: evaluation <= 3x parse) and the peak
resident memory of the process (target: < 1 GiB). Best of ``--repeat`` runs for each timing.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from supportops.inventory.model import SourceKind
from supportops.inventory.sources.load import load_inventory
from supportops.policies.catalog import all_rules
from supportops.policies.engine import evaluate
from supportops.policies.stack_config import choose_config
from supportops.stacks.stack_plan import plan_stack

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the Pulumi file writers the tests use
from pulumi_files import export_document  # noqa: E402

PHASES = ("demo-foundation", "demo-automation", "demo-analytics")
T = TypeVar("T")


def generate(count: int) -> tuple[dict[str, Any], Any]:
    """A stack export of ``count`` resources and the stack config of the last phase."""
    plans = [plan_stack(REPO, stack) for stack in PHASES]
    templates = [json.dumps(export_document(plan)["deployment"]["resources"]) for plan in plans]
    resources: list[Any] = []
    copy = 0
    while len(resources) < count:
        for template in templates:
            # every name, URN, ARN and reference of this copy is unique to it
            resources.extend(json.loads(template.replace("demo-", f"c{copy:04d}-")))
        copy += 1
    document = export_document(plans[0])
    document["deployment"]["resources"] = resources[:count]
    return document, choose_config(plans[-1]).config


def best_of(repeat: int, run: Callable[[], T]) -> tuple[float, T]:
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    document, config = generate(args.resources)
    with tempfile.TemporaryDirectory(prefix="bench-rules-") as scratch:
        path = Path(scratch) / "state.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        size_mib = path.stat().st_size / 2**20
        del document

        def parse() -> Any:
            with path.open("rb") as handle:
                return json.load(handle)

        parse_s, _ = best_of(args.repeat, parse)
        load_s = eval_s = float("inf")
        for _ in range(args.repeat):  # a fresh inventory each time: no index survives between runs
            load_once, inventory = best_of(1, lambda: load_inventory(path, SourceKind.STACK_EXPORT))
            eval_once, evaluation = best_of(1, lambda: evaluate(inventory, config))  # noqa: B023
            load_s, eval_s = min(load_s, load_once), min(eval_s, eval_once)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(f"stack export      : {len(inventory):,} resources, {size_mib:.1f} MiB, {len(all_rules())} rules, "
          f"{len(evaluation.findings):,} findings, {len(evaluation.problems)} rule errors")
    print(f"json.load (base)  : {parse_s * 1000:8.1f} ms")
    both_s = load_s + eval_s
    print(f"load inventory    : {load_s * 1000:8.1f} ms   ratio {load_s / parse_s:5.2f}x (includes a parse)")
    print(f"evaluate rules    : {eval_s * 1000:8.1f} ms   ratio {eval_s / parse_s:5.2f}x   target <= 3.00x")
    print(f"load + evaluate   : {both_s * 1000:8.1f} ms   ratio {both_s / parse_s:5.2f}x")
    print(f"peak memory (RSS) : {peak_mib:8.1f} MiB   target < 1024 MiB")
    within = eval_s <= 3 * parse_s and peak_mib < 1024
    print("targets met" if within else "TARGET MISSED")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
