"""Time the offline plan of the foundation phase.

Baseline: planning an empty Pulumi program with the same runner in the same process (the fixed cost of
Pulumi's mock runtime), so the ratio shows what the platform program itself costs. Also times one cold
`supportops plan` process (imports included), as a user sees it.

Run: .venv/bin/python bench/bench_plan.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(fn: object, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from supportops.inventory.offline_plan import PlanRequest, plan_program
    from supportops.inventory.stack_plan import plan_stack

    plan_program(PlanRequest(REPO, "demo-foundation"))  # warm imports once
    empty = timed(
        lambda: plan_program(PlanRequest(REPO / "tests/fixtures/empty_project", "dev")), args.repeat
    )
    resources = len(plan_program(PlanRequest(REPO, "demo-foundation")))
    foundation = timed(lambda: plan_stack(REPO, "demo-foundation"), args.repeat)

    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "supportops.cli.main",
            "plan",
            "-s",
            "demo-foundation",
            "-f",
            "json",
            "--out",
            "/dev/null",
        ],
        check=True,
        cwd=REPO,
    )
    cold = time.perf_counter() - start

    med_empty, med_foundation = statistics.median(empty), statistics.median(foundation)
    print(
        f"foundation plan (in-process, median of {args.repeat}): {med_foundation * 1000:.0f} ms "
        f"for {resources} resources ({med_foundation / resources * 1000:.2f} ms/resource)"
    )
    print(f"baseline: empty program under the same mock runtime: {med_empty * 1000:.1f} ms")
    print(f"ratio foundation / empty program: {med_foundation / med_empty:.1f}x")
    print(
        f"cold CLI `supportops plan -s demo-foundation -f json` (new process, imports included): {cold:.2f} s"
    )


if __name__ == "__main__":
    main()
