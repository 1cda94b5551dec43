"""``supportops access-review``: Quarterly access reviews: run, sign, apply."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from supportops.cli.errors import is_interactive, progress_line, stderr_console
from supportops.cli.evidence_options import SignKeyOption, evidence_signing
from supportops.cli.options import (
    EndpointUrlOption,
    EvidenceOption,
    FormatOption,
    OldOutDirOption,
    OutputFormat,
    SoftFailOption,
    evidence_dir,
    formats_from,
    formats_option,
)
from supportops.cli.output import (
    FormatWriter,
    announce,
    render,
    report_writer,
    write_json,
    write_policies,
    write_run_outputs,
)
from supportops.errors import EXIT_FINDINGS, EXIT_OK, BadInput, InputProblem
from supportops.findings import Report

app = typer.Typer(help="Quarterly access reviews: run, sign, apply.", no_args_is_help=True)

SUMMARY_FORMATS = ("table", "json")
# table/json: the run's summary; the others: its report (findings per principal and check).
RUN_FORMATS = (*SUMMARY_FORMATS, "compact", "sarif", "html", "csv", "junit")

RunbookOption = Annotated[
    Path,
    typer.Option(
        "--runbook",
        "-r",
        help="Access-review runbook: a YAML file, or a bundled runbook name (quarterly, demo).",
    ),
]
ProfileOption = Annotated[str | None, typer.Option("--profile", help="AWS profile for the base credentials.")]
RoleArnOption = Annotated[
    list[str] | None,
    typer.Option(
        "--role-arn",
        help="Role to assume per account (repeatable; may contain {account}). "
        "Overrides the runbook's scope.accounts[].role_arn.",
    ),
]
CampaignArg = Annotated[
    Path, typer.Argument(help="campaign.csv or campaign.yaml written by access-review run.")
]


def _factory(
    profile: str | None,
    endpoint_url: str | None,
    region: str,
    role_arns: list[str] | None,
    calls: Counter[str],
) -> Any:
    from supportops.runbooks.access_review.clients import AccessError, make_factory, validate_role_arns

    if endpoint_url is not None and not endpoint_url.startswith(("http://", "https://")):
        raise BadInput.at("--endpoint-url", endpoint_url, "must be an http:// or https:// URL")
    problems = validate_role_arns(tuple(role_arns or ()))
    if problems:
        raise BadInput([InputProblem("--role-arn", "", p.split(": ", 1)[-1]) for p in problems])
    try:
        return make_factory(
            profile,
            endpoint_url,
            region,
            tuple(role_arns or ()),
            observers=[lambda prefix, op: calls.update([f"{prefix}:{op}"])],
        )
    except AccessError as exc:
        raise BadInput.at("--profile", profile or "", str(exc)) from None


@app.command("run")
def run(
    runbook: RunbookOption,
    profile: ProfileOption = None,
    role_arn: RoleArnOption = None,
    endpoint_url: EndpointUrlOption = None,
    evidence: EvidenceOption = None,
    out: OldOutDirOption = None,
    fmt: Annotated[list[str] | None, formats_option(RUN_FORMATS, "table")] = None,
    soft_fail: SoftFailOption = False,
    sign_key: SignKeyOption = None,
) -> None:
    """Collect IAM and Connect principals, evaluate them and write the campaign and evidence bundle.

    Exit 0 when nothing fails, 1 when a principal fails a check or something could not be reviewed,
    2 for bad input."""
    from supportops.runbooks.access_review.progress import progress_for
    from supportops.runbooks.access_review.review import exit_code, run_review
    from supportops.runbooks.access_review.schema import load_runbook, resolve_runbook

    chosen = formats_from(fmt, RUN_FORMATS, "table")
    runbook = resolve_runbook(runbook)
    book = load_runbook(runbook)
    calls: Counter[str] = Counter()
    factory = _factory(profile, endpoint_url, book.scope.region, role_arn, calls)
    with evidence_signing(sign_key, endpoint_url=endpoint_url), \
            progress_for(is_interactive(), stderr_console(), _review_line) as progress:
        result = run_review(book, runbook, factory, evidence_dir(evidence, out), progress=progress)
    report = result.report
    counts = report.counts()
    summary = {
        "campaignId": report.details["campaignId"],
        "outDir": str(result.out_dir),
        "campaign": {"csv": str(result.campaign_csv), "yaml": str(result.campaign_yaml)},
        "manifest": str(result.manifest),
        "principals": result.principals,
        "findings": counts,
        "failingByCheck": dict(sorted(Counter(f.check_id for f in report.findings if f.failing).items())),
        "problems": report.problems,
        "apiCalls": sum(calls.values()),
    }
    _outputs(summary, chosen, "Access review", report, result.out_dir)
    code = exit_code(report)
    raise typer.Exit(EXIT_OK if soft_fail and code == EXIT_FINDINGS else code)


@app.command("sign")
def sign(
    campaign: CampaignArg,
    reviewer: Annotated[str, typer.Option("--reviewer", help="Name of the reviewer signing the decisions.")],
    fmt: FormatOption = OutputFormat.TABLE,
    sign_key: Annotated[
        str | None,
        typer.Option(
            "--sign-key",
            metavar="KEY",
            help="Sign the statement with alias/NAME or arn:aws:kms:... (the reviewer's identity from STS) "
            "or file:PATH (an Ed25519 key; its fingerprint is the identity). Without it the reviewer is "
            "recorded as an unverified name.",
            show_default=False,
        ),
    ] = None,
    endpoint_url: EndpointUrlOption = None,
) -> None:
    """Check every decision and record the decisions' hash, the review bundle's manifest hash, the
    reviewer and the time (CAMPAIGN.signature.json), signed with --sign-key when given."""
    import json

    from supportops.reports.signing import open_signer, parse_key_ref
    from supportops.runbooks.access_review.signing import Signature, sign_campaign

    signer = open_signer(parse_key_ref(sign_key), endpoint_url=endpoint_url) if sign_key else None
    path = sign_campaign(campaign, reviewer, signer)
    signature = json.loads(path.read_text(encoding="utf-8"))
    _show(
        {
            "signature": str(path),
            "reviewer": Signature.model_validate(signature).reviewer_label,
            "decisions": signature["decisions"],
            "decisionsSha256": signature["decisionsSha256"],
        },
        fmt,
        "Signed",
    )


@app.command("apply")
def apply(
    campaign: CampaignArg,
    execute: Annotated[bool, typer.Option("--execute", help="Make the changes (default: dry run).")] = False,
    profile: ProfileOption = None,
    role_arn: RoleArnOption = None,
    endpoint_url: EndpointUrlOption = None,
    evidence: EvidenceOption = None,
    out: OldOutDirOption = None,
    fmt: Annotated[list[str] | None, formats_option(SUMMARY_FORMATS, "table")] = None,
    sign_key: SignKeyOption = None,
    expect_signer: Annotated[
        str | None,
        typer.Option(
            "--expect-signer",
            metavar="ID",
            help="Refuse unless the sign-off is signed by this identity: the reviewer's ARN or KMS key ARN, "
            "or an Ed25519 key fingerprint sha256:HEX.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Apply the signed revoke/modify decisions (dry run unless --execute) with a journal of every change.

    Exit 0 when every change was applied (or would be), 1 when a change failed, 2 for bad input."""
    from supportops.runbooks.access_review.apply import apply_campaign
    from supportops.runbooks.access_review.progress import progress_for
    from supportops.runbooks.access_review.signing import verify_signed

    chosen = formats_from(fmt, SUMMARY_FORMATS, "table")
    verified = verify_signed(campaign, endpoint_url=endpoint_url, expect_signer=expect_signer)
    meta = verified.meta
    calls: Counter[str] = Counter()
    factory = _factory(profile, endpoint_url, meta.region, role_arn, calls)
    with evidence_signing(sign_key, endpoint_url=endpoint_url), \
            progress_for(is_interactive(), stderr_console(), _apply_line) as progress:
        progress.start("applying" if execute else "dry run")
        result = apply_campaign(campaign, factory, execute=execute, out_dir=evidence_dir(evidence, out),
                                on_change=progress.advance,
                                endpoint_url=endpoint_url)
    _outputs(
        {
            "mode": "execute" if execute else "dry-run",
            "signedBy": verified.signature.reviewer_label,
            "outDir": str(result.out_dir),
            "journal": str(result.journal),
            "manifest": str(result.manifest),
            "changes": result.counts,
            "apiCalls": sum(calls.values()),
        },
        chosen,
        "Access review apply",
        bundle=result.out_dir,
    )
    raise typer.Exit(EXIT_FINDINGS if result.failed else EXIT_OK)


@app.command("permissions")
def permissions(fmt: FormatOption = OutputFormat.JSON) -> None:
    """Print the least-privilege IAM policies the review (read) and apply (write) roles need."""
    from supportops.runbooks.access_review.permissions import policies

    docs = policies()
    write_policies(docs, as_json=fmt is OutputFormat.JSON)


@app.command("demo")
def demo(evidence: EvidenceOption = None, out: OldOutDirOption = None) -> None:
    """Run a whole review cycle against a local moto endpoint it starts and stops itself: seed two accounts,
    run, decide, sign, apply (dry run, execute, and again to show it is idempotent)."""
    from supportops.runbooks.access_review.demo import run_demo

    for line in run_demo(evidence_dir(evidence, out) or Path("out") / "access-review-demo"):
        typer.echo(line)


def _outputs(
    summary: dict[str, Any], formats: list[str], title: str, report: Report | None = None,
    bundle: Path | None = None,
) -> None:
    """table/json: the summary; any other format: the run's report (docs/cli.md)."""
    writers: dict[str, FormatWriter] = {
        "table": lambda path: render(_summary_table(summary, title), path),
        "json": lambda path: write_json(summary, path),
    }
    if report is not None:
        writers.update({fmt: report_writer(report, fmt) for fmt in formats if fmt not in writers})
    written = write_run_outputs(formats, bundle, writers)
    if len(formats) > 1:
        announce(written)


def _show(summary: dict[str, Any], fmt: OutputFormat, title: str) -> None:
    _outputs(summary, [fmt.value], title)


def _summary_table(summary: dict[str, Any], title: str) -> Table:
    table = Table(title=title, show_header=False)
    for key, value in summary.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = "\n".join(str(v) for v in value) or "-"
        table.add_row(key, str(value))
    return table


def _review_line(message: str) -> None:
    progress_line(f"access review: {message}")


def _apply_line(message: str) -> None:
    progress_line(f"access review apply: {message}")
