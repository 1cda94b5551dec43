"""The checks a privacy request reports (``privacy:<check>``): which framework requirements they
evidence is the framework files' business (``runbookChecks``), never this package's."""

from __future__ import annotations

from typing import Final

from supportops.findings import runbook_check_id

KIND: Final = "privacy"
#: One per store: the subject's data erased and verified absent (or nothing held), after --execute.
ERASURE_CHECK: Final = runbook_check_id(KIND, "erasure_verified")
#: One per copy that cannot be edited (PITR, backups, logs): it ages out within its class's maximum.
RETENTION_CHECK: Final = runbook_check_id(KIND, "retention_bounded")
#: One per store of an Art. 15 export: the subject's data in it was exported (or nothing was held).
EXPORT_CHECK: Final = runbook_check_id(KIND, "export_delivered")
CHECK_IDS: Final = frozenset({ERASURE_CHECK, RETENTION_CHECK, EXPORT_CHECK})
