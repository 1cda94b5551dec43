"""Apply a signed campaign: only revoke/modify decisions, never protected principals, dry run unless
``execute``; every change journaled (before/after) and the journal bundled as evidence."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from supportops.errors import BadInput
from supportops.findings import Evidence, Finding, InputRecord, Report, Severity, Status
from supportops.reports.evidence import BundleRequest, sha256_file, write_bundle
from supportops.runbooks.access_review.appliers import APPLIERS, Target, TargetMissing
from supportops.runbooks.access_review.campaign import CampaignRow
from supportops.runbooks.access_review.changes import Change, parse_changes, revoke_changes
from supportops.runbooks.access_review.clients import AWS_ERRORS, ClientFactory, aws_error_text
from supportops.runbooks.access_review.journal import JOURNAL_NAME, Journal
from supportops.runbooks.access_review.meta import CampaignMeta
from supportops.runbooks.access_review.schema import load_runbook, matches_any
from supportops.runbooks.access_review.signing import signature_path, verify_signed
from supportops.version import __version__

CHECK_ID = "access_review_change"
APPLY_ERRORS: tuple[type[BaseException], ...] = (*AWS_ERRORS, TargetMissing)


@dataclass(frozen=True)
class PlannedChange:
    seq: int
    account: str
    target: Target
    change: Change
    region: str
    decision: str

    def describe(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "account": self.account,
            "principal": self.target.arn,
            "kind": self.target.kind,
            "decision": self.decision,
            "change": self.change.token(),
        }


@dataclass
class ApplyResult:
    out_dir: Path
    manifest: Path
    journal: Path
    counts: dict[str, int] = field(default_factory=dict)
    failed: bool = False


def protected_reason(row: CampaignRow, meta: CampaignMeta, allow_list: list[str]) -> str:
    if row.protection:
        return row.protection
    if matches_any(row.arn, meta.break_glass):
        return "break-glass"
    if matches_any(row.arn, allow_list):
        return "allow-listed"
    return ""


def plan_changes(
    rows: list[CampaignRow], meta: CampaignMeta, allow_list: list[str]
) -> tuple[list[PlannedChange], list[tuple[CampaignRow, str]]]:
    planned: list[PlannedChange] = []
    skipped: list[tuple[CampaignRow, str]] = []
    for row in sorted(rows, key=CampaignRow.key):
        if row.decision not in ("revoke", "modify"):
            continue
        reason = protected_reason(row, meta, allow_list)
        if reason:
            skipped.append((row, reason))
            continue
        instance = meta.connect_instance(row.instance_id)
        changes = (
            revoke_changes(row.kind, instance.revoke_security_profile_id if instance else None)
            if row.decision == "revoke"
            else parse_changes(row.changes, row.kind)
        )
        target = Target(row.kind, row.name, row.arn, row.instance_id)
        region = row.region or (instance.region if instance else meta.region)
        for change in changes:
            planned.append(PlannedChange(len(planned) + 1, row.account, target, change, region, row.decision))
    return planned, skipped


def _current_allow_list(meta: CampaignMeta, problems: list[str]) -> list[str]:
    """The allow-list the review ran with, plus today's runbook allow-list when the runbook is still there."""
    allow = list(meta.allow_list)
    path = Path(meta.runbook_path)
    if path.is_file():
        try:
            allow.extend(load_runbook(path).allow_list)
        except Exception as exc:  # the snapshot in campaign-meta.json still protects
            problems.append(
                f"runbook {path} no longer loads ({exc}); using the allow-list recorded at review time"
            )
    return allow


def apply_campaign(
    campaign: Path,
    factory: ClientFactory,
    *,
    execute: bool,
    out_dir: Path | None = None,
    on_change: Callable[[], None] | None = None,
) -> ApplyResult:
    verified = verify_signed(campaign)
    meta, signature = verified.meta, verified.signature
    problems: list[str] = []
    allow_list = _current_allow_list(meta, problems)
    planned, skipped = plan_changes(verified.rows, meta, allow_list)
    mode = "execute" if execute else "dry-run"
    started = datetime.now(UTC)
    # next to the review bundle, not inside it (that bundle's manifest covers its own directory)
    bundle = campaign.resolve().parent
    out = out_dir or _fresh_dir(bundle.parent / f"{bundle.name}-apply-{started:%Y%m%dT%H%M%S}Z-{mode}")
    if (out / JOURNAL_NAME).exists():
        raise BadInput.at(out, "", f"already holds an apply journal ({JOURNAL_NAME}): choose a new --out")
    out.mkdir(parents=True, exist_ok=True)
    journal = Journal(out / JOURNAL_NAME)
    journal.write(
        "start",
        campaignId=meta.campaign_id,
        mode=mode,
        reviewer=signature.get("reviewer"),
        signedAt=signature.get("signedAt"),
        decisionsSha256=signature.get("decisionsSha256"),
        planned=len(planned),
        skipped=len(skipped),
    )
    for row, reason in skipped:
        journal.write("skipped", principal=row.arn, decision=row.decision, reason=reason)
    for step in planned:
        journal.write("planned", **step.describe())

    findings: list[Finding] = [
        _finding(
            row.arn,
            row.kind,
            f"{row.decision} (protected)",
            Status.NOT_APPLICABLE,
            f"skipped: {reason} principals are never changed",
        )
        for row, reason in skipped
    ]
    counts = {
        "applied": 0,
        "unchanged": 0,
        "would-change": 0,
        "failed": 0,
        "not-applied": 0,
        "skipped": len(skipped),
    }
    failure: PlannedChange | None = None
    for step in planned:
        if failure is not None:
            journal.write("not-applied", seq=step.seq, reason=f"stopped after change #{failure.seq} failed")
            findings.append(
                _finding(
                    step.target.arn,
                    step.target.kind,
                    step.change.token(),
                    Status.ERROR,
                    f"not applied: stopped after change #{failure.seq} failed",
                )
            )
            counts["not-applied"] += 1
            continue
        journal.write("started", seq=step.seq)
        service, applier = APPLIERS[step.change.action]
        try:
            client = factory.client(
                service,
                step.account,
                step.region if service == "connect" else None,
                runbook_role=meta.role_for(step.account),
            )
            outcome = applier(client, step.target, step.change, execute)
        except APPLY_ERRORS as exc:
            failure = step
            message = aws_error_text(exc) if not isinstance(exc, TargetMissing) else str(exc)
            journal.write("failed", seq=step.seq, error=message)
            findings.append(
                _finding(
                    step.target.arn, step.target.kind, step.change.token(), Status.ERROR, f"failed: {message}"
                )
            )
            counts["failed"] += 1
            continue
        if not outcome.changed:
            event, status, text = "unchanged", Status.PASS, "already in the decided state"
        elif execute:
            event, status, text = "applied", Status.PASS, "applied"
        else:
            event, status, text = (
                "would-change",
                Status.NOT_APPLICABLE,
                "dry run: would change (use --execute)",
            )
        journal.write(event, seq=step.seq, before=outcome.before, after=outcome.after)
        findings.append(
            _finding(
                step.target.arn,
                step.target.kind,
                step.change.token(),
                status,
                text,
                outcome.before,
                outcome.after,
            )
        )
        counts[event] += 1
        if on_change is not None:
            on_change()
    journal.write("end", **counts)
    journal.close()

    copies = []
    for source in (campaign, signature_path(campaign)):
        copy = out / source.name
        shutil.copyfile(source, copy)
        copies.append(copy)
    report = Report(
        kind="access-review",
        title=f"Access review apply ({mode}): {meta.runbook_name}",
        subject=", ".join(a.id for a in meta.accounts),
        generated_at=started.isoformat(timespec="seconds"),
        tool_version=__version__,
        findings=findings,
        inputs=[
            InputRecord(str(campaign), sha256_file(campaign), "campaign"),
            InputRecord(str(signature_path(campaign)), sha256_file(signature_path(campaign)), "signature"),
        ],
        problems=problems
        + (
            [
                f"change #{failure.seq} failed; {counts['not-applied']} change(s) not applied "
                f"(see {JOURNAL_NAME})"
            ]
            if failure
            else []
        ),
        details={
            "campaignId": meta.campaign_id,
            "mode": mode,
            "reviewer": signature.get("reviewer"),
            "signedAt": signature.get("signedAt"),
            "counts": counts,
            "plan": [s.describe() for s in planned],
        },
    )
    manifest = write_bundle(
        BundleRequest(out_dir=out, report=report, extra_files=(out / JOURNAL_NAME, *copies))
    )
    return ApplyResult(out, manifest, out / JOURNAL_NAME, counts, failed=failure is not None)


def _fresh_dir(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def _finding(
    arn: str, kind: str, change: str, status: Status, message: str, before: Any = None, after: Any = None
) -> Finding:
    evidence = [Evidence("before", before), Evidence("after", after)] if before is not None else []
    return Finding(
        check_id=CHECK_ID,
        title=f"Change: {change}",
        status=status,
        severity=Severity.MEDIUM,
        subject=arn,
        subject_type=kind,
        message=message,
        evidence=evidence,
        source="access-review",
        category="access",
    )
