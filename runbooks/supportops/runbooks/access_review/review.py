"""``access-review run``: collect every account and Connect instance in scope, evaluate, write the
campaign (CSV + YAML + meta) and the evidence bundle. A failing account or instance is an ERROR finding
and a listed problem; the others are still reviewed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from supportops.errors import BadInput
from supportops.findings import Finding, InputRecord, Report, Status, runbook_check_id
from supportops.policies.frameworks.coverage import control_matrix
from supportops.reports.evidence import BundleRequest, check_bundle_dir, sha256_file, write_bundle
from supportops.runbooks.access_review import credential_report, iam_details
from supportops.runbooks.access_review.campaign import CSV_NAME, YAML_NAME, CampaignWriter, row_for
from supportops.runbooks.access_review.checks import KIND
from supportops.runbooks.access_review.clients import AWS_ERRORS, ClientFactory, aws_error_text
from supportops.runbooks.access_review.connect_collector import collect_connect
from supportops.runbooks.access_review.evaluate import (
    CONNECT_CHECKS,
    IAM_CHECKS,
    Evaluation,
    collection_error,
    evaluate_connect,
    evaluate_iam,
    summarize,
)
from supportops.runbooks.access_review.inventory import CredentialRow
from supportops.runbooks.access_review.meta import META_NAME, CampaignMeta
from supportops.runbooks.access_review.progress import NoProgress, Reporter
from supportops.runbooks.access_review.schema import Runbook
from supportops.version import __version__

REPORT_ERRORS: tuple[type[BaseException], ...] = (*AWS_ERRORS, credential_report.CredentialReportError)


@dataclass
class ReviewResult:
    report: Report
    out_dir: Path
    manifest: Path
    campaign_csv: Path
    campaign_yaml: Path
    principals: dict[str, int] = field(default_factory=dict)


def campaign_id_for(runbook: Runbook, now: datetime) -> str:
    return f"{runbook.name}-{now:%Y%m%dT%H%M%SZ}"


def run_review(
    runbook: Runbook,
    runbook_path: Path,
    factory: ClientFactory,
    out_dir: Path | None = None,
    *,
    now: datetime | None = None,
    progress: Reporter | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ReviewResult:
    now = now or datetime.now(UTC)
    progress = progress or NoProgress()
    campaign_id = campaign_id_for(runbook, now)
    out = out_dir or Path("out") / "access-review" / campaign_id
    refuse_decided_campaign(out)
    # Before any file is written: the bundle will replace ``out``, so it must hold nothing else.
    check_bundle_dir(out, {CSV_NAME, YAML_NAME, META_NAME})
    out.mkdir(parents=True, exist_ok=True)
    generated_at = now.isoformat(timespec="seconds")
    writer = CampaignWriter(out, campaign_id, generated_at, str(runbook_path))
    findings: list[Finding] = []
    problems: list[str] = []
    kinds: dict[str, int] = {}

    def emit(evaluation: Evaluation) -> None:
        for principal in evaluation.principals:
            findings.extend(principal.findings)
            writer.add(row_for(principal, campaign_id))
            kinds[principal.kind] = kinds.get(principal.kind, 0) + 1
        findings.extend(evaluation.account_findings)

    try:
        for account in runbook.scope.accounts:
            subject = f"arn:aws:iam::{account.id}:root"
            progress.start(f"account {account.id}: IAM")
            try:
                iam = factory.client("iam", account.id, runbook_role=account.role_arn)
                rows: list[CredentialRow] | None
                report_problem = None
                try:
                    data = credential_report.fetch_credential_report(
                        iam,
                        runbook.credential_report.max_attempts,
                        runbook.credential_report.delay_seconds,
                        sleep,
                    )
                    rows = list(credential_report.parse_credential_report(data))
                except REPORT_ERRORS as exc:
                    rows, report_problem = (
                        None,
                        aws_error_text(exc) if isinstance(exc, AWS_ERRORS) else str(exc),
                    )
                    problems.append(f"account {account.id}: credential report: {report_problem}")
                inventory = iam_details.collect_authorization_details(
                    iam, account.id, on_page=progress.advance
                )
            except AWS_ERRORS as exc:
                message = f"account {account.id}: IAM not reviewed: {aws_error_text(exc)}"
                problems.append(message)
                findings.append(collection_error(subject, message))
                continue
            evaluation = evaluate_iam(inventory, rows, runbook, now, report_problem)
            present = {p.kind for p in evaluation.principals}
            summarize(evaluation, IAM_CHECKS, subject, present)
            emit(evaluation)
            del inventory, rows, evaluation

        for instance in runbook.scope.connect_instances:
            subject = f"arn:aws:connect:{instance.region}:{instance.account}:instance/{instance.instance_id}"
            progress.start(f"Connect {instance.instance_id}: users")
            role = next((a.role_arn for a in runbook.scope.accounts if a.id == instance.account), None)
            try:
                connect = factory.client("connect", instance.account, instance.region, runbook_role=role)
                connect_inventory = collect_connect(
                    connect, instance.account, instance.instance_id, instance.region, on_user=progress.advance
                )
            except AWS_ERRORS as exc:
                message = f"Connect instance {instance.instance_id}: not reviewed: {aws_error_text(exc)}"
                problems.append(message)
                findings.append(collection_error(subject, message))
                continue
            evaluation = evaluate_connect(connect_inventory, runbook)
            summarize(evaluation, CONNECT_CHECKS, subject, {p.kind for p in evaluation.principals})
            emit(evaluation)
    except BaseException:
        writer.abort()  # a previous campaign in --out stays as it was
        raise
    principals_sha = writer.close()

    meta = CampaignMeta.from_runbook(
        runbook,
        campaign_id=campaign_id,
        generated_at=generated_at,
        runbook_path=runbook_path,
        runbook_sha256=sha256_file(runbook_path),
        out_dir=out,
        principal_count=writer.count,
        principals_sha256=principals_sha,
    )
    meta_path = meta.write(out)
    findings = reported(findings)
    report = Report(
        kind="access-review",
        title=f"Access review: {runbook.name}",
        subject=", ".join(a.id for a in runbook.scope.accounts),
        generated_at=generated_at,
        tool_version=__version__,
        findings=findings,
        frameworks=control_matrix(findings, evidenced_only=True),
        inputs=[InputRecord(str(runbook_path), sha256_file(runbook_path), "runbook")],
        problems=problems,
        details={
            "campaignId": campaign_id,
            "principals": dict(sorted(kinds.items())),
            "campaignFiles": [writer.csv_path.name, writer.yaml_path.name, meta_path.name],
        },
    )
    manifest = write_bundle(
        BundleRequest(out_dir=out, report=report, extra_files=(writer.csv_path, writer.yaml_path, meta_path))
    )
    return ReviewResult(report, out, manifest, writer.csv_path, writer.yaml_path, kinds)


def reported(findings: list[Finding]) -> list[Finding]:
    """The findings as the report carries them: ``access-review:<check>`` ids, which the framework
    files map (the campaign files keep the bare check ids reviewers read)."""
    return [replace(f, check_id=runbook_check_id(KIND, f.check_id)) for f in findings]


def refuse_decided_campaign(out: Path) -> None:
    """A review never overwrites a campaign a reviewer has decided or signed (their work, and the
    evidence of what was signed): :class:`BadInput` suggesting a new directory."""
    from supportops.runbooks.access_review.campaign import CSV_NAME, YAML_NAME, read_campaign

    signed = sorted(p.name for p in out.glob("*.signature.json")) if out.is_dir() else []
    decided = []
    for name in (CSV_NAME, YAML_NAME):
        if (out / name).is_file() and not signed:
            try:
                rows = read_campaign(out / name)
            except BadInput:
                decided.append(f"{name} (unreadable)")  # someone edited it: not ours to overwrite
                continue
            if any(row.decision or row.comment for row in rows):
                decided.append(name)
    if signed or decided:
        what = "is signed" if signed else "has decisions"
        raise BadInput.at(
            "--out",
            str(out),
            f"holds a campaign that {what} ({', '.join(signed or decided)}): it is never overwritten; "
            "give a new --out directory",
        )


def exit_code(report: Report) -> int:
    """0 clean, 1 when any principal fails a check or anything could not be reviewed (ERROR)."""
    return 1 if any(f.failing or f.status is Status.ERROR for f in report.findings) else 0
