"""``supportops drift --state EXPORT``: the stack's state against the running account.

Exit codes: 0 no drift, 1 drift (a changed, deleted or unmanaged resource), 2 bad input, 3 nothing
drifted but a fault (AccessDenied, throttling, a region or API not available) left something
unverified, or the account could not be read at all.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from supportops.cli import live_options as live_opts
from supportops.cli.errors import stderr_console, warn
from supportops.cli.evidence_options import SignKeyOption, evidence_signing
from supportops.cli.options import EndpointUrlOption, EvidenceOption, OutOption, formats_from, formats_option
from supportops.cli.output import announce, report_writers, write_outputs
from supportops.cli.stages import stage_progress
from supportops.inventory.secrets import secrets_scope
from supportops.reports.redaction import redact_text
from supportops.reports.terminal import escape_controls, safe_error_lines

TABLE = "table"
REPORT_NAME = "drift"
_FORMAT_HELP = (TABLE, "json", "html", "sarif", "csv", "junit", "oscal")


def _formats() -> list[str]:
    from supportops.reports.formats import WRITERS

    return [TABLE, *sorted(WRITERS)]


def drift(
    state: Annotated[
        Path,
        typer.Option(
            "--state",
            metavar="FILE",
            dir_okay=False,
            help="The stack's `pulumi stack export` file (deployment version 3).",
        ),
    ],
    profile: live_opts.ProfileOption = None,
    region: live_opts.RegionOption = None,
    role_arn: live_opts.RoleArnOption = None,
    accounts: live_opts.AccountsOption = None,
    role_name: live_opts.RoleNameOption = None,
    endpoint_url: EndpointUrlOption = None,
    service: live_opts.ServiceOption = None,
    fmt: Annotated[list[str] | None, formats_option(_FORMAT_HELP, TABLE)] = None,
    out: OutOption = None,
    evidence: EvidenceOption = None,
    sign_key: SignKeyOption = None,
) -> None:
    """Compare the security settings of every resource in a state export with the live account:
    changed, deleted, and unmanaged resources carrying the stack's tags."""
    formats = formats_from(fmt, _formats(), TABLE)
    access = live_opts.live_access(
        profile=profile,
        regions=region,
        role_arns=role_arn,
        accounts=accounts,
        role_name=role_name,
        endpoint_url=endpoint_url,
    )
    services = live_opts.services_of(service)
    from supportops.drift.run import DriftRequest, load_state, run_drift

    signing = evidence_signing(
        sign_key, writes_evidence=evidence is not None, evidence_dir=evidence, endpoint_url=endpoint_url
    )
    with safe_error_lines(), secrets_scope(), signing:
        exported = load_state(state)
        with stage_progress("drift", 2) as stage:
            report = run_drift(DriftRequest(exported, access, services, on_stage=stage))
        from supportops.drift.table import drift_view

        written = write_outputs(
            formats, out, report_writers(report, formats, table=lambda: drift_view(report)), name=REPORT_NAME
        )
        announce(written if len(formats) > 1 else [])
        for problem in report.problems:
            warn(escape_controls(redact_text(problem)))
        if evidence is not None:
            from supportops.reports.evidence import BundleRequest, write_bundle

            bundle_formats = tuple(dict.fromkeys(["json", *(f for f in formats if f != TABLE)]))
            manifest = write_bundle(BundleRequest(evidence, report, formats=bundle_formats))
            stderr_console().print(f"evidence bundle: {escape_controls(str(manifest))}", markup=False)
    raise typer.Exit(live_opts.live_exit_code(report))
