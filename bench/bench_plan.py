"""Time the offline plan of the foundation phase.

Baseline: a flat program registering the same number of plain resources (no components, no outputs
flowing between resources) under the same runner in the same process: what Pulumi's mock runtime
itself costs per registration. The ratio shows what the platform program adds on top. Also times one
cold `supportops plan` process (imports included), as a user sees it.

Run: .venv/bin/python bench/bench_plan.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def timed(
    fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = clock()
        fn()
        samples.append(clock() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from supportops.inventory.offline_plan import PlanRequest, plan_program
    from supportops.stacks.stack_plan import plan_stack

    # The first plan warms the imports and gives the resource count the baseline matches.
    resources = sum(1 for r in plan_program(PlanRequest(REPO, "demo-foundation")) if r.custom)
    foundation = timed(lambda: plan_stack(REPO, "demo-foundation"), args.repeat)
    # CPU time of this process (all its threads): what the planner costs, whatever else the machine
    # runs at the same time (wall time on a shared machine mostly measures the neighbours).
    foundation_cpu = timed(lambda: plan_stack(REPO, "demo-foundation"), args.repeat, time.process_time)
    with tempfile.TemporaryDirectory() as workdir:
        flat = Path(workdir)
        (flat / "Pulumi.yaml").write_text(
            f"name: flat\nruntime: python\nmain: {REPO / 'bench' / 'flat_program'}\n", encoding="utf-8"
        )
        (flat / "Pulumi.bench.yaml").write_text(f"config:\n  flat:count: {resources}\n", encoding="utf-8")
        baseline = timed(lambda: plan_program(PlanRequest(flat, "bench")), args.repeat)
        baseline_cpu = timed(lambda: plan_program(PlanRequest(flat, "bench")), args.repeat, time.process_time)

    command = [sys.executable, "-m", "supportops.cli.main", "plan", "-s", "demo-foundation", "-f", "json"]
    start = time.perf_counter()
    subprocess.run([*command, "--out", "/dev/null"], check=True, cwd=REPO)
    cold = time.perf_counter() - start

    med_baseline, med_foundation = statistics.median(baseline), statistics.median(foundation)
    print(
        f"foundation plan (in-process, median of {args.repeat}): {med_foundation * 1000:.0f} ms "
        f"for {resources} cloud resources ({med_foundation / resources * 1000:.2f} ms/resource)"
    )
    print(
        f"baseline: flat program of {resources} plain resources under the same mock runtime: "
        f"{med_baseline * 1000:.0f} ms"
    )
    print(f"ratio foundation / flat baseline: {med_foundation / med_baseline:.2f}x")
    cpu_foundation, cpu_baseline = statistics.median(foundation_cpu), statistics.median(baseline_cpu)
    print(
        f"CPU time (median of {args.repeat}): foundation {cpu_foundation * 1000:.0f} ms, flat baseline "
        f"{cpu_baseline * 1000:.0f} ms, ratio {cpu_foundation / cpu_baseline:.2f}x"
    )
    print(f"cold CLI `{' '.join(command[3:])}` (new process, imports included): {cold:.2f} s")


if __name__ == "__main__":
    main()
