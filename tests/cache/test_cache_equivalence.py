"""Property: whatever is edited in a phased project (a resource added, removed or changed, a config
value, the earlier phase), a cached run gives the findings of an uncached run, with the real checkov.

A seeded random sequence of edits on a copy of tests/fixtures/phased_project; every state is compared
with a ``--no-cache`` scan (all states in one uncached checkov process, to keep the test short).
"""

from __future__ import annotations

import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from supportops.cache.store import Cache, NoCache
from supportops.inventory.model import Inventory
from supportops.policies.checkov.joint import JointScan, scan_stacks
from supportops.policies.checkov.runner import CheckovUnavailable, find_checkov
from supportops.policies.compliance import ComplianceRequest, run_compliance
from supportops.stacks.stack_plan import plan_stacks

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "phased_project"
STACKS = ["t-foundation", "t-automation"]
SEED = 18


@dataclass
class Spec:
    """The program, as data: foundation keys and buckets, the exported key, automation's log group."""

    keys: dict[str, bool] = field(default_factory=lambda: {"data": True, "logs": False})  # name -> rotation
    buckets: list[str] = field(default_factory=lambda: ["exports"])
    exported: str = "data"
    retention_days: int = 30

    def program(self) -> str:
        lines = ["import pulumi", "import pulumi_aws as aws", "", 'phase = pulumi.Config().require("phase")',
                 'if phase == "foundation":', "    keys = {}"]
        for name, rotation in sorted(self.keys.items()):
            lines.append(f"    keys[{name!r}] = aws.kms.Key({name!r}, enable_key_rotation={rotation})")
        for name in self.buckets:
            lines.append(f"    aws.s3.Bucket({name!r}, tags={{'owner': 'team'}})")
        lines += [f"    pulumi.export('keyArn', keys[{self.exported!r}].arn)", "else:",
                  "    days = int(pulumi.Config().get('retentionDays') or '30')",
                  '    upstream = pulumi.StackReference("upstream", stack_name="t-foundation")',
                  '    aws.sqs.Queue("work", kms_master_key_id=upstream.require_output("keyArn"))',
                  '    aws.cloudwatch.LogGroup("audit", retention_in_days=days,'
                  ' kms_key_id=upstream.require_output("keyArn"))']
        return "\n".join(lines) + "\n"

    def write(self, project: Path) -> None:
        (project / "__main__.py").write_text(self.program(), encoding="utf-8")
        (project / "Pulumi.t-automation.yaml").write_text(
            f"config:\n  phased:phase: automation\n  phased:retentionDays: '{self.retention_days}'\n",
            encoding="utf-8",
        )


def edit(spec: Spec, kind: str, rng: random.Random) -> None:
    if kind == "add a resource":
        spec.buckets.append(f"bucket{rng.randrange(1000)}")
    elif kind == "remove a resource":
        spec.buckets.remove(rng.choice(spec.buckets)) if spec.buckets else spec.buckets.append("back")
    elif kind == "change a resource":
        name = rng.choice(sorted(spec.keys))
        spec.keys[name] = not spec.keys[name]
    elif kind == "change a config value":
        spec.retention_days = 400 if spec.retention_days < 365 else rng.choice([1, 30, 90])
    elif kind == "change the earlier phase":
        spec.exported = "logs" if spec.exported == "data" else "data"


def findings(joint: JointScan, stack: str, inventory: Inventory) -> list[tuple[str, str, str]]:
    outcomes = [joint.plans[stack]]
    report = run_compliance(ComplianceRequest(inventory=inventory, checkov_results=lambda: outcomes))
    return [(f.check_id, f.status.value, f.subject) for f in report.findings]


def test_cached_and_uncached_runs_give_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        find_checkov()
    except CheckovUnavailable as error:
        pytest.fail(str(error))  # part of the set-up (scripts/_checkov_venv.sh): never skipped
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project)
    rng = random.Random(SEED)
    kinds = ["add a resource", "remove a resource", "change a resource", "change a config value",
             "change the earlier phase"]
    rng.shuffle(kinds)
    spec = Spec()
    cache = Cache(tmp_path / "cache")
    cached: list[list[tuple[str, str, str]]] = []
    states: dict[str, Inventory] = {}
    for step, kind in enumerate(["initial", *kinds]):
        if kind != "initial":
            edit(spec, kind, rng)
        spec.write(project)
        monkeypatch.delitem(sys.modules, "helpers", raising=False)
        plans = plan_stacks(project, STACKS, cache=cache)
        joint = scan_stacks(plans, secrets_root=None, cache=cache, waivers=[])
        for stack in STACKS:
            cached.append(findings(joint, stack, plans[stack]))
            fresh = plan_stacks(project, [stack], cache=NoCache())[stack]
            assert fresh.to_json() == plans[stack].to_json(), f"step {step} ({kind}): plan of {stack}"
            states[f"{step}-{stack}"] = fresh
    uncached = scan_stacks(states, secrets_root=None, cache=NoCache(), waivers=[])
    expected = [findings(uncached, name, inventory) for name, inventory in states.items()]
    for (name, _), got, want in zip(states.items(), cached, expected, strict=True):
        assert got == want, f"{name}: cached findings differ from an uncached run"
    # The edits were visible: the verdicts changed along the way (a wrong key would hide that).
    assert len({tuple(f) for f in cached[1::2]}) > 1 and len({tuple(f) for f in cached[0::2]}) > 1
