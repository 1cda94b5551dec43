"""``--to-security-hub``: import a run's findings into AWS Security Hub (BatchImportFindings).

The account (``sts:GetCallerIdentity``) and region are resolved before the run does any work, and
ASFF written by the same run (``-f asff``, the evidence bundle) uses the same product ARN. After the
run, :meth:`SecurityHubExport.send` imports and prints one summary line to stderr, then one line per
rejected finding; it returns True when anything was rejected (the command exits 3: a partial import
is reported as such, never as success).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from supportops.cli.errors import stderr_console
from supportops.reports.terminal import escape_controls

if TYPE_CHECKING:
    from supportops.findings import Report

ToSecurityHubOption = Annotated[
    bool,
    typer.Option(
        "--to-security-hub",
        help="Import the run's PASS and FAIL findings into AWS Security Hub (BatchImportFindings, "
        "ASFF; waived ones as SUPPRESSED). Exit 3 when Security Hub rejects any.",
    ),
]
MAX_REJECTED_LINES = 20


@dataclass
class SecurityHubExport:
    target: Any  # AsffTarget
    client: Any

    def send(self, report: Report) -> bool:
        from supportops.reports.security_hub import import_report

        result = import_report(report, self.target, self.client)
        console = stderr_console()
        verdict = "imported" if result.ok else f"PARTIAL: rejected {len(result.rejected)} of {result.sent}"
        console.print(escape_controls(
            f"security hub: {verdict}; {result.imported} finding(s) imported into {result.product_arn} "
            f"in {result.batches} batch(es), {result.suppressed} waived as SUPPRESSED, {result.skipped} "
            "ERROR/NOT_APPLICABLE not imported"), markup=False)
        for rejected in result.rejected[:MAX_REJECTED_LINES]:
            console.print(escape_controls(f"  rejected {rejected.finding_id}: {rejected.code}: "
                                          f"{rejected.message[:200]}"), markup=False)
        if len(result.rejected) > MAX_REJECTED_LINES:
            console.print(f"  ... and {len(result.rejected) - MAX_REJECTED_LINES} more", markup=False)
        return not result.ok


@contextlib.contextmanager
def security_hub_export(
    enabled: bool, endpoint_url: str | None = None, *, asff_requested: bool = False
) -> Iterator[SecurityHubExport | None]:
    """The import, its target resolved now; without it, a requested ``-f asff`` checks its account
    and region now too (exit 2 before the run, not after it)."""
    if not enabled:
        if asff_requested:
            from supportops.reports.formats.asff import current_target

            current_target()
        yield None
        return
    from supportops.reports.formats.asff import asff_target, target_from_sts
    from supportops.reports.security_hub import security_hub_client

    target = target_from_sts(endpoint_url=endpoint_url)
    with asff_target(target):
        yield SecurityHubExport(target, security_hub_client(target.region, endpoint_url))
