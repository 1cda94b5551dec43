"""comply in the edit loop (issue 18): the cache, one checkov process per run, each phase planned once.

    .venv/bin/python bench/bench_cache.py [--base /tmp/s3/D/base] [--phases 3]

Every figure is a `supportops comply` process timed from outside (interpreter start-up included),
with its baseline measured in the same run:

(a) unchanged project, warm cache: comply of the three phases with checkov (median of 3 runs),
    against the same run with an empty cache. Target: < 1 s.
(b) one resource changed (a tag of one analytics resource, set through a stack transformation in a
    wrapper program, so no file of the repository is edited), three times with three new values: the
    cached comply of the three phases (median), against checkov alone scanning the analytics plan cold
    (median of 3). Target: <= 1.1x. After every change the findings of every phase are asserted equal
    to a `--no-cache` run of the same state.
(c) cold, empty cache, against today's code: `--base DIR` is a checkout of the code before the
    change (`git worktree add DIR HEAD`, run with this interpreter), whose comply runs once per phase
    as the demo did; `--no-cache` is shown too.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
PHASES = ["demo-foundation", "demo-automation", "demo-analytics"]
RUNS = 3  # timed runs per figure; the median is compared
WRAPPER = '''\
"""The demo program, with one resource's tags changed by the `bench:tag` config value."""
import runpy

import pulumi

settings = pulumi.Config("bench")
value, target = settings.get("tag"), settings.get("resource")


def tweak(args):
    if value and args.name == target:
        props = dict(args.props)
        props["tags"] = {**(props.get("tags") or {}), "bench": value}
        return pulumi.ResourceTransformationResult(props, args.opts)
    return None


pulumi.runtime.register_stack_transformation(tweak)
runpy.run_path(%(main)r, run_name="__main__")
'''


IGNORED = shutil.ignore_patterns(
    ".venv*", ".git", "build", "dist", "out", ".hypothesis", "__pycache__", "*.egg-info", ".*_cache",
    "node_modules",
)


def code_env(root: Path) -> dict[str, str]:
    """Run the code of the checkout ``root`` with this interpreter (its five roots first on the path)."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(root / p) for p in ("", "stacks", "policies", "runbooks", "cli")),
        "SUPPORTOPS_CHECKOV": str(REPO / ".venv-checkov" / "bin" / "checkov"),
    }


def snapshot(scratch: Path) -> Path:
    """A private copy of the repository: other people editing the tree during the benchmark would
    change the plans' inputs between runs (the figures would measure their edits)."""
    root = scratch / "repo"
    shutil.copytree(REPO, root, ignore=IGNORED, symlinks=True)
    return root


def comply(project: Path, stacks: list[str], out: Path, *extra: str, env: dict[str, str] | None = None,
           cwd: Path | None = None) -> tuple[float, int, str]:
    args = [str(PYTHON), "-m", "supportops.cli.main", "comply", "--project", str(project)]
    for stack in stacks:
        args += ["--stack", stack]
    args += ["-f", "json", "-o", str(out), *extra]
    started = time.perf_counter()
    before = _children_cpu()
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd or project, check=False)
    seconds = time.perf_counter() - started
    CPU[str(out)] = _children_cpu() - before
    if done.returncode not in (0, 1):
        raise SystemExit(f"comply failed ({done.returncode}): {done.stderr.strip().splitlines()[-1:]}")
    summary = next((line for line in done.stderr.splitlines() if line.startswith("cache:")), "")
    return seconds, done.returncode, summary


CPU: dict[str, float] = {}  # CPU seconds (user + system) of each comply and its children, by output


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def listed(runs: list[float]) -> str:
    return "[" + ", ".join(f"{seconds:.2f}" for seconds in runs) + "]"


def cpu(out: Path) -> str:
    return f"{CPU.get(str(out), 0.0):.2f} s CPU"


def findings(path: Path) -> list[tuple[str, str, str]]:
    report = json.loads(path.read_text(encoding="utf-8"))
    return [(f.get("checkId") or f.get("check_id"), f["status"], f["subject"]) for f in report["findings"]]


def outputs(out: Path, stacks: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    if len(stacks) == 1:
        return {stacks[0]: findings(out)}
    return {stack: findings(out / f"{stack}.json") for stack in stacks}


def bench_project(root: Path, tag: str | None, target: str, repo: Path) -> Path:
    """A project whose program is the demo's, wrapped; its stack files are copies of the demo's."""
    root.mkdir(parents=True, exist_ok=True)
    project_file = "name: supportops\nruntime: python\nmain: bench_main.py\n"
    (root / "Pulumi.yaml").write_text(project_file, encoding="utf-8")
    wrapper = WRAPPER % {"main": str(repo / "stacks" / "__main__.py")}
    (root / "bench_main.py").write_text(wrapper, encoding="utf-8")
    for stack in PHASES:
        text = (repo / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8")
        if stack == "demo-analytics" and tag is not None:
            text = text.rstrip("\n") + f"\n  bench:tag: {tag}\n  bench:resource: {target}\n"
        (root / f"Pulumi.{stack}.yaml").write_text(text, encoding="utf-8")
    return root


def checkov_alone(inventory_json: Path, workdir: Path, env: dict[str, str]) -> float:
    """checkov's own run (cold process) over the analytics plan, as our conversion writes it."""
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from supportops.inventory.model import Inventory\n"
        "from supportops.policies.checkov.plan import to_terraform_plan\n"
        f"inventory = Inventory.from_json(json.loads(Path({str(inventory_json)!r}).read_text()))\n"
        f"plan = to_terraform_plan(inventory).plan\n"
        f"Path({str(workdir / 'analytics-plan.json')!r}).write_text(json.dumps(plan))\n"
    )
    subprocess.run([str(PYTHON), "-c", script], check=True, env=env)
    from supportops.policies.checkov.runner import find_checkov, offline_environment

    started = time.perf_counter()
    before = _children_cpu()
    subprocess.run(
        [str(find_checkov()), "--framework", "terraform_plan", "-f", str(workdir / "analytics-plan.json"),
         "--skip-download", "--compact", "-o", "json"],
        capture_output=True, env=offline_environment(), check=False,
    )
    CPU[str(workdir / "alone")] = _children_cpu() - before
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", type=Path, help="checkout of the code before the change (for (c))")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.1f} (2 cores shared: figures are noisy)")
    scratch = Path(tempfile.mkdtemp(prefix="bench-cache-"))
    try:
        rows: list[tuple[str, str]] = []
        repo = snapshot(scratch)
        env = code_env(repo)
        # (a) the repository project, cold then warm.
        cache = scratch / "cache-a"
        cold, _, cold_summary = comply(repo, PHASES, scratch / "a-cold", "--cache-dir", str(cache), env=env)
        warm_runs = []
        for attempt in range(RUNS):
            seconds, _, warm_summary = comply(
                repo, PHASES, scratch / f"a-warm{attempt}", "--cache-dir", str(cache), env=env
            )
            warm_runs.append(seconds)
            same_a = outputs(scratch / f"a-warm{attempt}", PHASES) == outputs(scratch / "a-cold", PHASES)
            assert same_a, "(a) warm findings differ from the cold run"
        warm = statistics.median(warm_runs)
        shown_a = f"{warm:6.2f} s median of {listed(warm_runs)} ({cpu(scratch / 'a-warm0')})"
        shown_a += f"  vs cold {cold:6.2f} s "
        shown_a += f"({cpu(scratch / 'a-cold')})"
        rows.append(("(a) warm comply, 3 phases + checkov", f"{shown_a}; target < 1 s"))
        rows.append(("    cold run", cold_summary))
        rows.append(("    warm run", warm_summary))

        # (b) one resource changed in the last phase.
        project = bench_project(scratch / "project", None, "", repo)
        cache = scratch / "cache-b"
        inventory_file = scratch / "analytics.inventory.json"
        subprocess.run(
            [str(PYTHON), "-m", "supportops.cli.main", "plan", "--project", str(project), "--stack",
             "demo-analytics", "-f", "json", "-o", str(inventory_file), "--no-cache"],
            capture_output=True, check=True, env=env,
        )
        planned = json.loads(inventory_file.read_text(encoding="utf-8"))
        target = next(r["name"] for r in planned["resources"] if r["type"] == "aws:s3/bucket:Bucket")
        bench_project(project, "before", target, repo)
        comply(project, PHASES, scratch / "b-before", "--cache-dir", str(cache), env=env)
        changed_runs: list[float] = []
        same = True
        for attempt in range(RUNS):
            bench_project(project, f"after-{attempt}", target, repo)
            seconds, _, changed_summary = comply(
                project, PHASES, scratch / f"b-after{attempt}", "--cache-dir", str(cache), env=env
            )
            changed_runs.append(seconds)
            comply(project, PHASES, scratch / f"b-nocache{attempt}", "--no-cache", env=env)
            cached_findings = outputs(scratch / f"b-after{attempt}", PHASES)
            equal = cached_findings == outputs(scratch / f"b-nocache{attempt}", PHASES)
            assert equal, f"(b) cached findings differ from a --no-cache run (change {attempt + 1})"
            same = same and equal
        alone_runs = [checkov_alone(inventory_file, scratch, env) for _ in range(RUNS)]
        changed, alone = statistics.median(changed_runs), statistics.median(alone_runs)
        rows.append((
            "(b) one resource changed, 3 phases",
            f"{changed:6.2f} s median of {listed(changed_runs)} ({cpu(scratch / 'b-after0')})",
        ))
        rows.append((
            "    checkov alone on analytics",
            f"{alone:6.2f} s median of {listed(alone_runs)} ({cpu(scratch / 'alone')})",
        ))
        rows.append((
            "    ratio",
            f"{changed / alone:.2f}x wall (target <= 1.1x); findings == --no-cache after each change: {same}",
        ))
        rows.append(("    changed run", changed_summary))

        # (c) cold, empty cache, against today's code.
        nocache, _, _ = comply(repo, PHASES, scratch / "c-nocache", "--no-cache", env=env)
        rows.append(("(c) cold, empty cache (from (a))", f"{cold:6.2f} s ({cpu(scratch / 'a-cold')})"))
        rows.append(("    --no-cache", f"{nocache:6.2f} s ({cpu(scratch / 'c-nocache')})"))
        if args.base is not None:
            base = args.base.resolve()
            total = used = 0.0
            for stack in PHASES:
                out = scratch / f"c-base-{stack}.json"
                seconds, _, _ = comply(base, [stack], out, env=code_env(base), cwd=base)
                total += seconds
                used += CPU[str(out)]
            shown = f"{total:6.2f} s ({used:.2f} s CPU)  (cold/before = {cold / total:.2f} wall)"
            rows.append(("    before the change (3 commands)", shown))
        else:
            recorded = "issue 18 recorded 14.8 + 16.5 + 27.3 = 58.6 s (pass --base)"
            rows.append(("    before the change", recorded))
        rows.append(("load average at the end", f"{os.getloadavg()[0]:.1f}"))
        width = max(len(name) for name, _ in rows)
        for name, value in rows:
            print(f"{name:<{width}}  {value}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
