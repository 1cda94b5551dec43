"""A stand-in checkov executable for the cache tests: it logs each call and answers like checkov in
file mode (one PASSED check per resource of each plan file; a FAILED secret per line holding
``SECRET=`` in any other file), so tests can see exactly what was scanned."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path
from typing import Any

SCRIPT = '''\
import json, os, sys
log, exit_code = {log!r}, {exit_code!r}
args = sys.argv[1:]
files = [args[i + 1] for i, a in enumerate(args) if a == "-f"]
with open(log, "a") as stream:
    stream.write(json.dumps({{"args": args, "cwd": os.getcwd()}}) + "\\n")
if exit_code:
    sys.stderr.write("boom\\n")
    sys.exit(exit_code)
plan_checks, secret_checks = [], []
for name in files:
    path = os.path.abspath(name)
    if path.endswith(".json") and "supportops-checkov-" in path:
        plan = json.load(open(path))
        for resource in plan["planned_values"]["root_module"]["resources"]:
            plan_checks.append({{
                "check_id": "CKV_AWS_999", "check_name": "fake", "resource": resource["address"],
                "resource_address": resource["address"], "file_path": "/" + os.path.basename(path),
                "file_abs_path": path, "check_result": {{"result": "PASSED", "evaluated_keys": []}},
            }})
    else:
        for number, line in enumerate(open(path, errors="replace"), 1):
            if "SECRET=" in line:
                secret_checks.append({{
                    "check_id": "CKV_SECRET_6", "check_name": "Base64 High Entropy String",
                    "resource": "abc", "file_path": "/" + name, "file_abs_path": path,
                    "file_line_range": [number, number],
                    "check_result": {{"result": "FAILED", "evaluated_keys": []}},
                }})
reports = []
def report(kind, checks):
    failed = [c for c in checks if c["check_result"]["result"] == "FAILED"]
    passed = [c for c in checks if c["check_result"]["result"] == "PASSED"]
    return {{"check_type": kind, "results": {{"failed_checks": failed, "passed_checks": passed,
             "skipped_checks": [], "parsing_errors": []}},
             "summary": {{"passed": len(passed), "failed": len(failed), "checkov_version": "9.9.9"}}}}
if "terraform_plan" in args:
    reports.append(report("terraform_plan", plan_checks))
if "secrets" in args:
    reports.append(report("secrets", secret_checks))
print(json.dumps(reports))
sys.exit(1 if any(r["results"]["failed_checks"] for r in reports) else 0)
'''


def fake_checkov(folder: Path, *, exit_code: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "checkov"
    body = SCRIPT.format(log=str(folder / "calls.jsonl"), exit_code=exit_code)
    script.write_text(f"#!{sys.executable}\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def calls(folder: Path) -> list[dict[str, Any]]:
    log = folder / "calls.jsonl"
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def scanned(call: dict[str, Any]) -> list[str]:
    args = call["args"]
    return [args[i + 1] for i, arg in enumerate(args) if arg == "-f"]
