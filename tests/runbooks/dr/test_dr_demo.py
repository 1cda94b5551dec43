"""`supportops dr demo`: starts moto on loopback, seeds, drills and stops, on its own (scripts/demo.sh)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dr_helpers import run_cli

pytestmark = pytest.mark.slow


def test_demo_runs_the_dynamodb_drills_against_its_own_moto(tmp_path: Path) -> None:
    done = run_cli("dr", "demo", "--out", str(tmp_path))

    assert done.returncode == 0, done.stdout + done.stderr
    reports = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("dr-*/report.json"))]
    assert sorted(r["subject"] for r in reports) == ["crm-idempotency", "customer-context"]
    for report in reports:
        assert report["summary"]["PASS"] == 3 and report["summary"]["FAIL"] == report["summary"]["ERROR"] == 0
        assert report["details"]["targets"]["rpoSeconds"] == 900  # the stack's targets, unchanged
        assert "local demo profile" in report["details"]["notes"][0]
        assert report["details"]["endpointUrl"].startswith("http://127.0.0.1:")
    assert len(list(tmp_path.glob("dr-*/manifest.json"))) == 2


def test_demo_refuses_runbooks_moto_cannot_serve(tmp_path: Path) -> None:
    done = run_cli("dr", "demo", "backup-vault", "--out", str(tmp_path))

    assert done.returncode == 2
    assert done.stderr.startswith(
        "error: runbooks/supportops/runbooks/dr/backup-vault.yaml: steps: uses step types moto cannot serve"
    )
    assert not list(tmp_path.iterdir())
