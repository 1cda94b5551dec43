"""Apply a signed campaign: only revoke/modify decisions, never protected principals, dry run unless
``execute``; every change journaled (before/after) and the journal bundled as evidence.

Each target comes from the row's ARN alone, in an account of the signed meta, through that account's
signed role. Outcomes: ``applied`` (we changed it; ``note`` says when a retried call found it already
done), ``already-applied`` (nothing to do), ``already-gone`` (the principal no longer exists),
``would-change`` (dry run), ``refused`` (protected), ``failed`` (an AWS error: the run stops there) and
``not-applied`` (after a failure). Re-running converges: the second run reports only already-applied."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from supportops.errors import BadInput
from supportops.findings import Evidence, Finding, InputRecord, Report, Severity, Status, runbook_check_id
from supportops.policies.frameworks.coverage import control_matrix
from supportops.reports.evidence import BundleRequest, sha256_file, write_bundle
from supportops.runbooks.access_review.appliers import APPLIERS, PrincipalGone, Target, TargetMissing
from supportops.runbooks.access_review.campaign import CampaignRow
from supportops.runbooks.access_review.changes import Change, parse_changes, revoke_changes
from supportops.runbooks.access_review.checks import CHANGE_CHECK_ID, KIND
from supportops.runbooks.access_review.clients import AWS_ERRORS, ClientFactory, aws_error_text
from supportops.runbooks.access_review.journal import JOURNAL_NAME, Journal
from supportops.runbooks.access_review.meta import CampaignMeta, meta_path
from supportops.runbooks.access_review.protections import Protections
from supportops.runbooks.access_review.signing import signature_path, verify_signed
from supportops.runbooks.access_review.targets import row_target
from supportops.version import __version__

CHECK_ID = runbook_check_id(KIND, CHANGE_CHECK_ID)  # "access-review:access_review_change"
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


def plan_changes(
    rows: list[CampaignRow], meta: CampaignMeta, protections: Protections
) -> tuple[list[PlannedChange], list[tuple[CampaignRow, str]]]:
    planned: list[PlannedChange] = []
    refused: list[tuple[CampaignRow, str]] = []
    for row in sorted(rows, key=CampaignRow.key):
        if row.decision not in ("revoke", "modify"):
            continue
        reason = protections.reason(row)
        if reason:  # verify_signed already refuses these; never act on one whatever happened since
            refused.append((row, reason))
            continue
        derived = row_target(row)  # the ARN decides; the display columns were checked against it
        instance = meta.connect_instance(derived.instance_id) if derived.instance_id else None
        changes = (
            revoke_changes(derived.kind, instance.revoke_security_profile_id if instance else None)
            if row.decision == "revoke"
            else parse_changes(row.changes, derived.kind)
        )
        target = Target(derived.kind, derived.name, row.arn, derived.instance_id)
        region = derived.region or meta.region
        for change in changes:
            planned.append(
                PlannedChange(len(planned) + 1, derived.account, target, change, region, row.decision)
            )
    return planned, refused


def apply_campaign(
    campaign: Path,
    factory: ClientFactory,
    *,
    execute: bool,
    out_dir: Path | None = None,
    on_change: Callable[[], None] | None = None,
    endpoint_url: str | None = None,  # where a KMS-signed sign-off is verified (kms:Verify)
) -> ApplyResult:
    verified = verify_signed(campaign, endpoint_url=endpoint_url)
    meta, signature = verified.meta, verified.signature
    problems: list[str] = []
    if verified.protections.runbook_changed:
        problems.append(
            f"runbook {verified.protections.runbook} changed since the review: its current break-glass "
            "list and allow-list were applied"
        )
    planned, skipped = plan_changes(verified.rows, meta, verified.protections)
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
        reviewer=signature.reviewer,
        signedAt=signature.signed_at,
        decisionsSha256=signature.decisions_sha256,
        metaSha256=signature.meta_sha256,
        planned=len(planned),
        refused=len(skipped),
    )
    for row, reason in skipped:
        journal.write("refused", principal=row.arn, decision=row.decision, reason=reason)
    for step in planned:
        journal.write("planned", **step.describe())

    findings: list[Finding] = [
        _finding(
            row.arn,
            row.kind,
            f"{row.decision} (protected)",
            Status.NOT_APPLICABLE,
            f"refused: {reason} principals are never changed",
        )
        for row, reason in skipped
    ]
    counts = {
        "applied": 0,
        "already-applied": 0,
        "already-gone": 0,
        "would-change": 0,
        "refused": len(skipped),
        "failed": 0,
        "not-applied": 0,
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
        except PrincipalGone as exc:
            # deleted before (or during) apply: none of its access is left; the rest goes on
            journal.write("already-gone", seq=step.seq, note=str(exc))
            findings.append(
                _finding(step.target.arn, step.target.kind, step.change.token(), Status.PASS, "already gone")
            )
            counts["already-gone"] += 1
            continue
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
            event, status, text = "already-applied", Status.PASS, "already in the decided state"
        elif execute:
            event, status, text = (
                "applied",
                Status.PASS,
                "applied" + (f": {outcome.note}" if outcome.note else ""),
            )
        else:
            event, status, text = (
                "would-change",
                Status.NOT_APPLICABLE,
                "dry run: would change (use --execute)",
            )
        extra = {"note": outcome.note} if outcome.note else {}
        journal.write(event, seq=step.seq, before=outcome.before, after=outcome.after, **extra)
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
    for source in (campaign, signature_path(campaign), meta_path(campaign)):
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
        frameworks=control_matrix(findings, evidenced_only=True),
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
            "reviewer": signature.reviewer,
            "signedAt": signature.signed_at,
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
