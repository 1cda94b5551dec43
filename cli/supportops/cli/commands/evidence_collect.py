"""``supportops evidence collect``: pull evidence from AWS into evidence bundles.

``vulnerability-scan``: Amazon Inspector's findings and coverage for a period, judged against fix
deadlines by severity (runbooks/vulnerability_scan). Exit codes: 0 ok; 1 a FAIL at or above
--fail-severity (default high: a critical or high finding past its deadline, or a region or resource
not scanned); 2 bad input; 3 a region could not be read (its findings are ERROR, never a pass).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from supportops.cli.evidence_options import SignKeyOption, evidence_signing
from supportops.cli.options import EndpointUrlOption, EvidenceOption, FormatOption, OutputFormat
from supportops.cli.output import write_json, write_text
from supportops.errors import BadInput
from supportops.findings import Severity, Status
from supportops.reports.terminal import escape_controls

if TYPE_CHECKING:
    from supportops.runbooks.vulnerability_scan.run import ScanOutcome

app = typer.Typer(help="Collect evidence from AWS into evidence bundles.", no_args_is_help=True)

DEMO_REGIONS = ("us-east-1", "us-west-2")
REGION = re.compile(r"[a-z]{2}(-gov)?-[a-z]+-\d")  # as the stack config's region names


@app.command("vulnerability-scan")
def vulnerability_scan(
    evidence: EvidenceOption = None,
    period: Annotated[
        str | None, typer.Option("--period", metavar="YYYY-Qn", help="A calendar quarter, e.g. 2026-Q4.")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="First day of the period (YYYY-MM-DD).")
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="DATE", help="Last day of the period, inclusive (default: today)."),
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region", metavar="REGION", help="A region to collect (repeatable). Default: AWS_REGION."
        ),
    ] = None,
    deadlines: Annotated[
        Path | None,
        typer.Option(
            "--deadlines",
            metavar="FILE",
            dir_okay=False,
            help="YAML with fixDeadlineDays {critical, high, medium, low} (default 15/30/90/180).",
        ),
    ] = None,
    fail_severity: Annotated[
        Severity,
        typer.Option("--fail-severity", help="Exit 1 for a FAIL at or above this severity."),
    ] = Severity.HIGH,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Answer from canned Inspector responses (no AWS): the demo account."),
    ] = False,
    fmt: FormatOption = OutputFormat.TABLE,
    endpoint_url: EndpointUrlOption = None,
    sign_key: SignKeyOption = None,
) -> None:
    """Inspector's findings and coverage for the period, against fix deadlines, as an evidence bundle
    (vulnerability-scan.html, report.json, report.html, manifest.json).

    Exit 0 ok; 1 a FAIL at or above --fail-severity; 2 bad input; 3 a region could not be read.
    """
    if evidence is None:
        raise BadInput.at("--evidence", "", "required: the directory the evidence bundle is written to")
    # Loaded here, not at start-up: boto3, jinja2 and the frameworks load only when the command runs.
    from supportops.reports.evidence import record_input
    from supportops.runbooks.vulnerability_scan.period import choose_period
    from supportops.runbooks.vulnerability_scan.policy import load_policy
    from supportops.runbooks.vulnerability_scan.run import ScanRequest, aws_clients, run
    from supportops.runbooks.vulnerability_scan.stubbed import StubbedInspector, demo_scripts

    now = dt.datetime.now(dt.UTC)
    chosen = choose_period(period, since, until, now.date())
    regions = _regions(region, demo)
    inputs = [record_input(deadlines, "fix deadlines")] if deadlines is not None else []
    policy = load_policy(deadlines)
    request = ScanRequest(
        regions=regions,
        period=chosen,
        evidence=evidence,
        deadlines=policy.fix_deadline_days,
        fail_severity=fail_severity,
        inputs=inputs,
        demo=demo,
    )
    with evidence_signing(sign_key, evidence_dir=evidence, endpoint_url=endpoint_url):
        if demo:
            outcome = run(request, StubbedInspector(demo_scripts(now)), now=now, sleep=lambda _seconds: None)
        else:
            outcome = run(request, aws_clients(endpoint_url), now=now)
    if fmt is OutputFormat.JSON:
        from supportops.reports.formats.json_report import to_json

        write_json(to_json(outcome.report), None)
    else:
        write_text(summary(outcome, fail_severity), None)
    raise typer.Exit(outcome.exit_code)


def _regions(given: list[str] | None, demo: bool) -> list[str]:
    chosen = list(dict.fromkeys(given or ()))
    if not chosen:
        default = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
        chosen = list(DEMO_REGIONS) if demo else ([default] if default else [])
    if not chosen:
        raise BadInput.at("--region", "", "required (or set AWS_REGION)")
    for name in chosen:
        if not REGION.fullmatch(name):
            raise BadInput.at("--region", "", "expected an AWS region name such as us-east-1")
    return chosen


def summary(outcome: ScanOutcome, fail_severity: Severity) -> str:
    report = outcome.report
    counts = report.counts()
    details = report.details
    lines = [
        f"Vulnerability scan {details['period']['label']} in {', '.join(details['regions'])}: "
        + "  ".join(f"{status.value} {counts[status.value]}" for status in Status),
        "severity  deadline  open  past-deadline  oldest-open",
    ]
    for row in details["bySeverity"]:
        oldest = "-" if row["oldestDays"] is None else f"{row['oldestDays']}d"
        deadline, count, overdue = row["deadlineDays"], row["open"], row["overdue"]
        lines.append(f"{row['severity']:<9} {deadline:>7}d {count:>5} {overdue:>14} {oldest:>12}")
    lines += [f"FAIL  {f.message}" for f in report.findings if f.status is Status.FAIL]
    lines += [f"ERROR {f.message}" for f in report.findings if f.status is Status.ERROR]
    below = [f for f in report.findings if f.failing and not f.severity.at_least(fail_severity)]
    if below:
        lines.append(
            f"{len(below)} FAIL below --fail-severity {fail_severity.value}: in the report, not the exit code"
        )
    lines.append(f"evidence bundle: {outcome.manifest.parent} (exit {outcome.exit_code})")
    return escape_controls("\n".join(lines)) + "\n"
