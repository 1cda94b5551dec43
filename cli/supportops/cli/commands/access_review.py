"""``supportops access-review``: Quarterly access reviews: run, sign, apply."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from supportops.cli.errors import is_interactive, stderr_console
from supportops.cli.options import EndpointUrlOption, FormatOption, OutDirOption, OutputFormat
from supportops.cli.output import render, write_json, write_policies
from supportops.errors import EXIT_FINDINGS, EXIT_OK, BadInput, InputProblem

app = typer.Typer(help="Quarterly access reviews: run, sign, apply.", no_args_is_help=True)

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
    out: OutDirOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Collect IAM and Connect principals, evaluate them and write the campaign and evidence bundle.

    Exit 0 when nothing fails, 1 when a principal fails a check or something could not be reviewed,
    2 for bad input."""
    from supportops.runbooks.access_review.progress import progress_for
    from supportops.runbooks.access_review.review import exit_code, run_review
    from supportops.runbooks.access_review.schema import load_runbook, resolve_runbook

    runbook = resolve_runbook(runbook)
    book = load_runbook(runbook)
    calls: Counter[str] = Counter()
    factory = _factory(profile, endpoint_url, book.scope.region, role_arn, calls)
    with progress_for(is_interactive(), stderr_console()) as progress:
        result = run_review(book, runbook, factory, out, progress=progress)
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
    _show(summary, fmt, "Access review")
    raise typer.Exit(exit_code(report))


@app.command("sign")
def sign(
    campaign: CampaignArg,
    reviewer: Annotated[str, typer.Option("--reviewer", help="Name of the reviewer signing the decisions.")],
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Check every decision and record the decisions' hash and the reviewer (CAMPAIGN.signature.json)."""
    import json

    from supportops.runbooks.access_review.signing import sign_campaign

    path = sign_campaign(campaign, reviewer)
    signature = json.loads(path.read_text(encoding="utf-8"))
    _show(
        {
            "signature": str(path),
            "reviewer": signature["reviewer"],
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
    out: OutDirOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Apply the signed revoke/modify decisions (dry run unless --execute) with a journal of every change.

    Exit 0 when every change was applied (or would be), 1 when a change failed, 2 for bad input."""
    from supportops.runbooks.access_review.apply import apply_campaign
    from supportops.runbooks.access_review.progress import progress_for
    from supportops.runbooks.access_review.signing import verify_signed

    meta = verify_signed(campaign).meta
    calls: Counter[str] = Counter()
    factory = _factory(profile, endpoint_url, meta.region, role_arn, calls)
    with progress_for(is_interactive(), stderr_console()) as progress:
        progress.start("applying" if execute else "dry run")
        result = apply_campaign(campaign, factory, execute=execute, out_dir=out, on_change=progress.advance)
    _show(
        {
            "mode": "execute" if execute else "dry-run",
            "outDir": str(result.out_dir),
            "journal": str(result.journal),
            "manifest": str(result.manifest),
            "changes": result.counts,
            "apiCalls": sum(calls.values()),
        },
        fmt,
        "Access review apply",
    )
    raise typer.Exit(EXIT_FINDINGS if result.failed else EXIT_OK)


@app.command("permissions")
def permissions(fmt: FormatOption = OutputFormat.JSON) -> None:
    """Print the least-privilege IAM policies the review (read) and apply (write) roles need."""
    from supportops.runbooks.access_review.permissions import policies

    docs = policies()
    write_policies(docs, as_json=fmt is OutputFormat.JSON)


@app.command("demo")
def demo(out: OutDirOption = None) -> None:
    """Run a whole review cycle against a local moto endpoint it starts and stops itself: seed two accounts,
    run, decide, sign, apply (dry run, execute, and again to show it is idempotent)."""
    from supportops.runbooks.access_review.demo import run_demo

    for line in run_demo(out or Path("out") / "access-review-demo"):
        typer.echo(line)


def _show(summary: dict[str, Any], fmt: OutputFormat, title: str) -> None:
    if fmt is OutputFormat.JSON:
        write_json(summary, None)
        return
    table = Table(title=title, show_header=False)
    for key, value in summary.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = "\n".join(str(v) for v in value) or "-"
        table.add_row(key, str(value))
    render(table)
