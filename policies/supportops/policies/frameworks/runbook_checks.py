"""Which checks each runbook kind reports, so a framework's ``runbookChecks`` cannot name one that no
run will ever produce. Each kind exposes its ids as a ``CHECK_IDS`` constant in a module light enough
to import when a framework file is read; the table below says where (imported on use, never at import
time, so listing frameworks does not load the runbooks)."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Final

# kind -> the module whose CHECK_IDS holds its "<kind>:<check>" ids (None: none reported yet).
PRODUCERS: Final[dict[str, str | None]] = {
    "access-review": "supportops.runbooks.access_review.checks",
    "dr-drill": "supportops.runbooks.dr.checks",
    "privacy": "supportops.runbooks.privacy.checks",
    "vulnerability-scan": "supportops.runbooks.vulnerability_scan.checks",
}


@cache
def produced_checks(kind: str) -> frozenset[str]:
    """The ``<kind>:<check>`` ids a runbook kind reports (empty for a kind with none yet)."""
    module = PRODUCERS.get(kind)
    if module is None:
        return frozenset()
    ids: frozenset[str] = importlib.import_module(module).CHECK_IDS
    return ids
