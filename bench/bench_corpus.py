"""Plan every program of the corpus (tests/fixtures/programs/*/) and report how many plan, and how fast.

A program plans when it gives an inventory; the corpus also holds programs that must fail (a bug of
their own) or be stopped by the watchdog (they would hang): those count as "as expected" when they
fail or stop with one line, never as planned. Speed: planning time per cloud resource over the whole
corpus, against bench_plan.py's baseline (a flat program of as many plain resources under the same
mock runtime, in the same process). With --all-functions, every data source pulumi-aws declares is
answered once and checked against its result type (slow: imports the whole SDK, ~30 s).

Run: .venv/bin/python bench/bench_corpus.py [--all-functions]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROGRAMS = REPO / "tests" / "fixtures" / "programs"
STUCK_SECONDS = 2.0


def expects_to_plan(project: Path) -> tuple[bool, bool]:
    """(plans, needs its own process) from the program's plan-expected.yaml, if it has one."""
    expected = project / "plan-expected.yaml"
    text = expected.read_text(encoding="utf-8") if expected.is_file() else ""
    failing = re.search(r"^(error|stuck):", text, re.MULTILINE) is not None
    return not failing, re.search(r"^cli: true", text, re.MULTILINE) is not None


def plan_in_a_process(project: Path) -> tuple[bool, str]:
    command = [sys.executable, "-m", "supportops.cli.main", "plan", "-s", "dev", "-f", "json"]
    done = subprocess.run(
        [*command, "--project", str(project), "--watchdog", str(STUCK_SECONDS), "--out", "/dev/null"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stderr.splitlines()
    return done.returncode == 0, lines[-1] if lines else ""


def all_functions() -> None:
    import pulumi_aws

    from supportops.inventory.offline_plan import shapes
    from supportops.inventory.offline_plan.invented import Context, Inventor
    from supportops.inventory.offline_plan.invokes import PURE

    root = Path(pulumi_aws.__file__).parent
    tokens = sorted(
        {m for p in root.rglob("get_*.py") for m in re.findall(r"invoke\('([^']+)'", p.read_text("utf-8"))}
    )
    inventor, answered, start = Inventor(), 0, time.perf_counter()
    for token in tokens:
        cls = shapes.invoke_result_class(token)
        ctx = Context(token, "lookup", "us-east-1")
        if token in PURE or cls is None:
            answered += token in PURE
            continue
        result = inventor.invoke_result(ctx, {})
        required = [f for f in shapes.fields(cls) if not f.optional]
        answered += all(result.get(f.name) not in (None, []) for f in required)
    print(
        f"data sources: {answered}/{len(tokens)} functions pulumi-aws declares answered with every "
        f"required field ({time.perf_counter() - start:.1f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--all-functions", action="store_true")
    args = parser.parse_args()

    from supportops.errors import SupportopsError
    from supportops.inventory.offline_plan import PlanRequest, plan_program

    projects = sorted(p for p in PROGRAMS.iterdir() if (p / "Pulumi.yaml").is_file())
    planned = as_expected = resources = 0
    elapsed = 0.0
    surprises: list[str] = []
    for project in projects:
        should_plan, own_process = expects_to_plan(project)
        if own_process:
            ok, line = plan_in_a_process(project)
        else:
            start = time.perf_counter()
            try:
                inventory = plan_program(PlanRequest(project, "dev", watchdog_seconds=STUCK_SECONDS))
                ok, line = True, ""
                elapsed += time.perf_counter() - start
                resources += sum(1 for r in inventory if r.custom and not r.type.startswith("pulumi:"))
            except SupportopsError as exc:
                ok, line = False, str(exc)
        planned += ok
        as_expected += ok == should_plan
        if ok != should_plan:
            surprises.append(f"  {project.name}: {'planned' if ok else line}")
    print(f"corpus: {len(projects)} programs in {PROGRAMS.relative_to(REPO)}")
    print(
        f"planned: {planned}/{len(projects)}; as expected (planned, or failed/stopped with one line): "
        f"{as_expected}/{len(projects)} ({as_expected / len(projects):.0%})"
    )
    if surprises:
        print(*surprises, sep="\n")

    with tempfile.TemporaryDirectory() as workdir:
        flat = Path(workdir)
        (flat / "Pulumi.yaml").write_text(
            f"name: flat\nruntime: python\nmain: {REPO / 'bench' / 'flat_program'}\n", encoding="utf-8"
        )
        (flat / "Pulumi.bench.yaml").write_text(f"config:\n  flat:count: {resources}\n", encoding="utf-8")
        start = time.perf_counter()
        plan_program(PlanRequest(flat, "bench"))
        baseline = time.perf_counter() - start
    print(
        f"speed: {resources} cloud resources planned in {elapsed * 1000:.0f} ms "
        f"({elapsed / max(resources, 1) * 1000:.2f} ms/resource); flat baseline of as many plain resources: "
        f"{baseline * 1000:.0f} ms; ratio {elapsed / baseline:.2f}x (program start-up included per project)"
    )
    if args.all_functions:
        all_functions()


if __name__ == "__main__":
    main()
