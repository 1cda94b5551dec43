"""The ids of every check a DR drill reports (``dr-drill:<check>``), importable without the step
types: framework files map them (``runbookChecks``); a test holds this set equal to what the step
types in the registry declare."""

from __future__ import annotations

from typing import Final

from supportops.findings import runbook_check_id

KIND: Final = "dr-drill"
CHECKS: Final = ("rto", "rpo", "verify", "readiness", "failover")
CHECK_IDS: Final = frozenset(runbook_check_id(KIND, check) for check in CHECKS)
