"""Sign-off: check every decision, then record the decisions' hash, the campaign file's hash and the
reviewer in ``<campaign>.signature.json``. Apply refuses a campaign whose hashes no longer match."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from supportops.errors import BadInput, InputProblem
from supportops.reports.evidence import sha256_file
from supportops.runbooks.access_review.campaign import (
    CampaignRow,
    decisions_hash,
    principals_hash,
    read_campaign,
)
from supportops.runbooks.access_review.changes import parse_changes, revoke_changes
from supportops.runbooks.access_review.meta import CampaignMeta, read_meta
from supportops.runbooks.access_review.schema import matches_any

SIGNATURE_SCHEMA = "supportops.access-review-signature/v1"


def signature_path(campaign: Path) -> Path:
    return campaign.with_name(campaign.name + ".signature.json")


def _where(campaign: Path, index: int) -> str:
    # CSV: header is line 1; YAML: principals[index]
    return f"line {index + 2}" if campaign.suffix.lower() == ".csv" else f"principals[{index}]"


def check_decisions(campaign: Path, rows: list[CampaignRow], meta: CampaignMeta) -> None:
    """Every row decided, consistent with its protection and with a valid change list."""
    problems: list[InputProblem] = []
    if principals_hash(rows) != meta.principals_sha256 or len(rows) != meta.principal_count:
        problems.append(
            InputProblem(
                str(campaign),
                "",
                "rows were added, removed or re-keyed since the review "
                f"ran ({len(rows)} rows, review had {meta.principal_count})",
            )
        )
    for index, row in enumerate(rows):
        where = _where(campaign, index)

        def bad(problem: str, where: str = where) -> None:
            problems.append(InputProblem(str(campaign), where, problem))

        if row.campaign_id != meta.campaign_id:
            bad(f"campaign_id {row.campaign_id!r} is not this campaign ({meta.campaign_id})")
        if not row.decision:
            bad(f"no decision for {row.arn} (keep, revoke or modify)")
            continue
        protected = row.protection or ("allow-listed" if matches_any(row.arn, meta.allow_list) else "")
        if matches_any(row.arn, meta.break_glass):
            protected = "break-glass"
        if protected and row.decision != "keep":
            bad(f"{row.arn} is {protected}: only 'keep' is allowed")
        if protected == "break-glass" and not row.comment:
            bad(f"{row.arn} is a break-glass principal: a justification comment is required")
        if row.decision == "modify":
            try:
                if not parse_changes(row.changes, row.kind):
                    bad("decision 'modify' needs changes (e.g. detach-policy=ARN; delete-login-profile)")
            except ValueError as exc:
                bad(f"changes: {exc}")
        elif row.changes:
            bad(f"changes are only applied with decision 'modify' (decision is {row.decision!r})")
        if row.decision == "revoke" and not protected:
            instance = meta.connect_instance(row.instance_id)
            try:
                revoke_changes(row.kind, instance.revoke_security_profile_id if instance else None)
            except ValueError as exc:
                bad(str(exc))
    if problems:
        raise BadInput(problems)


def sign_campaign(campaign: Path, reviewer: str) -> Path:
    if not reviewer.strip():
        raise BadInput.at("--reviewer", "", "the reviewer's name is required")
    rows = read_campaign(campaign)
    meta = read_meta(campaign)
    check_decisions(campaign, rows, meta)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.decision] = counts.get(row.decision, 0) + 1
    signature = {
        "schema": SIGNATURE_SCHEMA,
        "campaignId": meta.campaign_id,
        "campaignFile": campaign.name,
        "campaignSha256": sha256_file(campaign),
        "decisionsSha256": decisions_hash(meta.campaign_id, rows),
        "reviewer": reviewer.strip(),
        "signedAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "decisions": dict(sorted(counts.items())),
    }
    path = signature_path(campaign)
    path.write_text(json.dumps(signature, indent=2) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class VerifiedCampaign:
    rows: list[CampaignRow]
    meta: CampaignMeta
    signature: dict[str, Any]


def verify_signed(campaign: Path) -> VerifiedCampaign:
    """The campaign, unchanged since it was signed; :class:`BadInput` otherwise."""
    rows = read_campaign(campaign)
    meta = read_meta(campaign)
    sig_path = signature_path(campaign)
    if not sig_path.is_file():
        raise BadInput.at(campaign, "", f"not signed ({sig_path.name} missing): run access-review sign first")
    try:
        signature = json.loads(sig_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BadInput.at(sig_path, f"line {exc.lineno}", "invalid JSON") from None
    if not isinstance(signature, dict) or signature.get("schema") != SIGNATURE_SCHEMA:
        raise BadInput.at(sig_path, "schema", f"not a {SIGNATURE_SCHEMA} file")
    if signature.get("campaignSha256") != sha256_file(campaign):
        raise BadInput.at(
            campaign, "", "edited after signing (file hash differs from the signature): sign again"
        )
    if signature.get("decisionsSha256") != decisions_hash(meta.campaign_id, rows):
        raise BadInput.at(campaign, "", "decisions differ from the signed ones: sign again")
    if signature.get("campaignId") != meta.campaign_id:
        raise BadInput.at(sig_path, "campaignId", "signature belongs to another campaign")
    check_decisions(campaign, rows, meta)
    return VerifiedCampaign(rows, meta, signature)
