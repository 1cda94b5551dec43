"""Which principals ``sign`` and ``apply`` must never change: the review's snapshot (campaign-meta.json)
plus the runbook's break-glass list and allow-list as they are *now*, so a protection added after the
review still holds. The runbook is found by bundled name, beside the campaign, or where it was recorded;
when it cannot be found (or no longer loads) nothing is signed or applied."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from supportops.errors import BadInput
from supportops.loading import display_path
from supportops.runbooks.access_review.campaign import CampaignRow
from supportops.runbooks.access_review.meta import CampaignMeta
from supportops.runbooks.access_review.schema import load_runbook, matches_any


@dataclass(frozen=True)
class Protections:
    break_glass: tuple[str, ...]
    allow_list: tuple[str, ...]
    runbook: Path | None = None
    runbook_changed: bool = False  # its hash differs from the review's

    def reason(self, row: CampaignRow) -> str:
        """ "break-glass", "allow-listed", "root" (or the row's protection column), or "" when unprotected.
        The column can only add protection: it is never trusted to remove it."""
        if matches_any(row.arn, self.break_glass):
            return "break-glass"
        if matches_any(row.arn, self.allow_list):
            return "allow-listed"
        if row.kind == "iam-root" or row.arn.endswith(":root"):
            return "root"
        return row.protection


def find_runbook(campaign: Path, meta: CampaignMeta) -> Path:
    candidates = meta.runbook_candidates(campaign.resolve().parent)
    found = next((path for path in candidates if path.is_file()), None)
    if found is None:
        looked = ", ".join(display_path(p) for p in dict.fromkeys(candidates))
        raise BadInput.at(
            campaign,
            "",
            f"the review's runbook is not found (looked at {looked}): its break-glass list and allow-list "
            "must be re-read before anything is signed or applied; restore it beside the review",
        )
    return found


def current_protections(campaign: Path, meta: CampaignMeta) -> Protections:
    from supportops.reports.evidence import sha256_file

    path = find_runbook(campaign, meta)
    runbook = load_runbook(path)  # a runbook that no longer loads is BadInput: refuse, never guess
    return Protections(
        break_glass=(*meta.break_glass, *(entry.principal for entry in runbook.break_glass)),
        allow_list=(*meta.allow_list, *runbook.allow_list),
        runbook=path,
        runbook_changed=sha256_file(path) != meta.runbook_sha256,
    )
