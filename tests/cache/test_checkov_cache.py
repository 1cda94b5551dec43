"""checkov through the cache, with a stand-in checkov that logs what it scans: one process per run
for every stack and the secrets; only changed resource groups and changed files are scanned again."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from cache_projects import write_project
from fake_checkov import calls, fake_checkov, scanned

from supportops.cache.store import Cache, NoCache
from supportops.findings import Status
from supportops.policies.checkov.joint import JointScan, scan_stacks
from supportops.stacks.stack_plan import plan_stacks

STACKS = ["t-foundation", "t-automation"]


def run(project: Path, cache: Cache, executable: Path) -> JointScan:
    plans = plan_stacks(project, STACKS, cache=cache)
    return scan_stacks(plans, secrets_root=project, cache=cache, executable=executable, waivers=[])


def verdicts(joint: JointScan) -> dict[str, list[tuple[str, str, str]]]:
    shown = {s: [(f.check_id, f.status.value, f.subject) for f in o.findings] for s, o in joint.plans.items()}
    assert joint.secrets is not None
    shown["secrets"] = [(f.check_id, f.status.value, f.subject) for f in joint.secrets.findings]
    return shown


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = write_project(tmp_path / "project")
    (root / "notes.txt").write_text("nothing here\n", encoding="utf-8")
    return root


def test_one_process_scans_every_stack_and_the_secrets(project: Path, tmp_path: Path) -> None:
    checkov = fake_checkov(tmp_path / "bin")
    joint = run(project, Cache(tmp_path / "cache"), checkov)
    (call,) = calls(tmp_path / "bin")
    assert call["args"][:3] == ["--framework", "terraform_plan", "secrets"]
    files = scanned(call)
    plan_files = [Path(f).name for f in files if f.endswith(".json")]
    assert plan_files == ["0-t-foundation.json", "1-t-automation.json"]
    assert sorted(f for f in files if not f.endswith(".json")) == sorted(
        ["Pulumi.yaml", "Pulumi.t-foundation.yaml", "Pulumi.t-automation.yaml", "__main__.py", "helpers.py",
         "notes.txt"]
    )
    assert joint.checkov_runs == 1
    assert {s: [(f.check_id, f.status) for f in o.findings] for s, o in joint.plans.items()} == {
        "t-foundation": [("CKV_AWS_999", Status.PASS)],
        "t-automation": [("CKV_AWS_999", Status.PASS), ("CKV_AWS_999", Status.PASS)],
    }


def test_nothing_changed_runs_no_checkov_and_gives_the_same_findings(project: Path, tmp_path: Path) -> None:
    checkov = fake_checkov(tmp_path / "bin")
    (project / "notes.txt").write_text("SECRET=abc\n", encoding="utf-8")
    cache = Cache(tmp_path / "cache")
    cold = verdicts(run(project, cache, checkov))
    warm = run(project, cache, checkov)
    assert len(calls(tmp_path / "bin")) == 1 and warm.checkov_runs == 0
    assert verdicts(warm) == cold
    assert cold["secrets"] == [("CKV_SECRET_6", "FAIL", "notes.txt:1")]


def test_only_the_changed_resource_group_and_file_are_scanned_again(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checkov = fake_checkov(tmp_path / "bin")
    cache = Cache(tmp_path / "cache")
    run(project, cache, checkov)
    (project / "helpers.py").write_text("KEY_ROTATION = False\n", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "helpers")
    joint = run(project, cache, checkov)
    second = calls(tmp_path / "bin")[-1]
    files = scanned(second)
    # The key changed in foundation; automation re-planned (it imports helpers.py) to the same plan.
    plan_files = [f for f in files if f.endswith(".json")]
    assert [Path(f).name for f in plan_files] == ["0-t-foundation.json"]
    assert [f for f in files if not f.endswith(".json")] == ["helpers.py"]
    assert (joint.resources_scanned, joint.resources_cached) == (1, 2)
    assert verdicts(joint) == verdicts(run(project, NoCache(), checkov))


def test_a_failing_checkov_is_an_error_and_caches_nothing(project: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    broken = run(project, cache, fake_checkov(tmp_path / "broken", exit_code=2))
    for outcome in [*broken.plans.values(), broken.secrets]:
        assert outcome is not None
        assert [(f.check_id, f.status) for f in outcome.findings] == [("checkov", Status.ERROR)]
        assert "exited with code 2" in outcome.problems[-1]
    joint = run(project, cache, fake_checkov(tmp_path / "good"))
    assert joint.resources_scanned == 3 and joint.files_scanned == 6  # nothing came from the failure


def test_a_corrupt_result_entry_is_scanned_again(project: Path, tmp_path: Path) -> None:
    checkov = fake_checkov(tmp_path / "bin")
    warnings: list[str] = []
    cache = Cache(tmp_path / "cache", warn=warnings.append)
    cold = verdicts(run(project, cache, checkov))
    for entry in (tmp_path / "cache" / "v1" / "checkov-plan").rglob("*"):
        if entry.is_file():
            text = entry.read_bytes()
            header, payload = text.split(b"\n", 1)
            entry.write_bytes(header + b"\n" + payload.replace(b"PASSED", b"FAILED"))
    joint = run(project, cache, checkov)
    assert joint.resources_scanned == 3 and all("corrupt" in w for w in warnings) and warnings
    assert verdicts(joint) == cold  # never a wrong verdict from a damaged entry


def test_results_are_keyed_by_checkov_itself(project: Path, tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    run(project, cache, fake_checkov(tmp_path / "one"))
    other = fake_checkov(tmp_path / "two")
    other.write_text(other.read_text(encoding="utf-8") + "\n# another checkov\n", encoding="utf-8")
    joint = run(project, cache, other)
    assert joint.checkov_runs == 1 and joint.resources_cached == 0 and json.dumps(calls(tmp_path / "two"))
