"""``supportops privacy``: GDPR data-subject requests (erasure, access) across the data map's stores.

Dry run by default. Exit codes: 0 done (or nothing held); 1 a store failed or kept erasable data after
verification; 2 bad input (a malformed identifier, an unknown store in the holds file ...).
No personal data is printed: stores are shown with counts, the subject as keyed hashes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from supportops.cli.errors import stderr_console
from supportops.cli.options import EndpointUrlOption, FormatOption, OutputFormat, ProjectOption
from supportops.cli.output import render, write_json
from supportops.errors import EXIT_FINDINGS, BadInput
from supportops.findings import InputRecord, Report
from supportops.reports.evidence import record_input
from supportops.reports.formats.json_report import to_json
from supportops.runbooks.privacy.clients import Clients
from supportops.runbooks.privacy.crm import TOKEN_ENV, CrmGateway
from supportops.runbooks.privacy.request import request_id_for, run_request
from supportops.runbooks.privacy.schema import DATA_MAP_PATH, Holds, load_data_map, load_holds
from supportops.runbooks.privacy.subject import Hasher, Identifier, load_hasher, parse_identifier
from supportops.runbooks.privacy.targets import Target, load_outputs, resolve
from supportops.stacks.config import StackConfig, load_stack_config

app = typer.Typer(help="GDPR data-subject requests: erasure and access, with evidence.", no_args_is_help=True)

DEFAULT_OUT = Path("out/privacy")

SubjectOption = Annotated[
    list[str],
    typer.Option(
        "--subject", help="phone:+E164, email:ADDRESS or customer:ID (repeat for one person's ids)."
    ),
]
StackNameOption = Annotated[
    str, typer.Option("--stack", "-s", help="Stack whose Pulumi.<stack>.yaml gives region and retention.")
]
OutputsOption = Annotated[
    Path,
    typer.Option("--outputs", help="Stack outputs as JSON (`pulumi stack output --json`, phases merged)."),
]
HoldsOption = Annotated[Path | None, typer.Option("--holds", help="Legal holds (YAML: holds: [...]).")]
CrmUrlOption = Annotated[
    str | None,
    typer.Option(
        "--crm-url",
        envvar="SUPPORTOPS_CRM_URL",
        help="CRM API base (sandbox, local stand-in); default from the stack's crm config. "
        "The credential is read from SUPPORTOPS_CRM_TOKEN.",
    ),
]
RequestsDirOption = Annotated[
    Path, typer.Option("--out", "-o", help="Requests directory: journals, evidence, hash key.")
]


@dataclass
class _Setup:
    request_id: str
    request_dir: Path
    inputs: list[InputRecord]


@dataclass
class _Prepared:
    identifiers: list[Identifier]
    targets: list[Target]
    holds: Holds
    hasher: Hasher
    clients: Clients
    setup: _Setup


def _prepare(
    subjects: list[str],
    project: Path,
    stack: str,
    outputs: Path,
    holds: Path | None,
    out: Path,
    request_id: str | None,
    endpoint_url: str | None,
    crm_url: str | None,
) -> _Prepared:

    if not subjects:
        raise BadInput.at("--subject", "", "give at least one identifier")
    identifiers = sorted({parse_identifier(text) for text in subjects})
    if request_id is not None and not request_id.replace("-", "").isalnum():
        raise BadInput.at("--request-id", "", "letters, digits and - only")
    config = load_stack_config(project, stack)
    targets = resolve(load_data_map(), load_outputs(outputs), config)
    hold_list = load_holds(holds) if holds is not None else Holds()
    hasher = load_hasher(out)
    rid = request_id or request_id_for(identifiers, hasher)
    inputs = [record_input(DATA_MAP_PATH, "data-map"), record_input(outputs, "stack-outputs")]
    if holds is not None:
        inputs.append(record_input(holds, "legal-holds"))
    return _Prepared(
        identifiers,
        targets,
        hold_list,
        hasher,
        Clients(config.region, endpoint_url, _crm(config, crm_url)),
        _Setup(rid, out / rid, inputs),
    )


def _crm(config: StackConfig, crm_url: str | None) -> CrmGateway | None:
    token = os.environ.get(TOKEN_ENV, "")
    if not token:
        return None
    crm = config.crm
    return CrmGateway.create(crm.provider.value, crm.instance, crm.api_user, token, crm_url or "")


@app.command("erase")
def erase(
    subject: SubjectOption,
    stack: StackNameOption,
    outputs: OutputsOption,
    project: ProjectOption,
    execute: Annotated[bool, typer.Option("--execute", help="Erase (default: dry run, no change).")] = False,
    holds: HoldsOption = None,
    request_id: Annotated[
        str | None, typer.Option("--request-id", help="Default: derived from the subject.")
    ] = None,
    endpoint_url: EndpointUrlOption = None,
    crm_url: CrmUrlOption = None,
    out: RequestsDirOption = DEFAULT_OUT,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Find the subject in every store; with --execute erase, verify and write an evidence bundle."""
    from supportops.runbooks.privacy.report import build_report, write_evidence

    p = _prepare(subject, project, stack, outputs, holds, out, request_id, endpoint_url, crm_url)
    setup = p.setup
    result = run_request(
        p.targets,
        p.identifiers,
        p.holds,
        p.clients,
        p.hasher,
        setup.request_dir if execute else None,
        setup.request_id,
    )
    report = build_report(result, setup.inputs, _problems())
    manifest = write_evidence(report, setup.request_dir, result.journal) if execute else None
    _show(report, fmt)
    console = stderr_console()
    if result.nothing_held and not result.failed:
        console.print("nothing held: the subject was found in no store", markup=False)
    if manifest is not None:
        console.print(f"evidence: {manifest}", markup=False)
    if result.failed:
        raise typer.Exit(EXIT_FINDINGS)


@app.command("export")
def export(
    subject: SubjectOption,
    stack: StackNameOption,
    outputs: OutputsOption,
    kms_key_id: Annotated[
        str, typer.Option("--kms-key-id", help="KMS key (id, ARN or alias) to encrypt with.")
    ],
    archive: Annotated[Path, typer.Option("--archive", help="Where to write the encrypted archive.")],
    project: ProjectOption,
    endpoint_url: EndpointUrlOption = None,
    crm_url: CrmUrlOption = None,
    out: RequestsDirOption = DEFAULT_OUT,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Art. 15: the subject's data as a JSON archive encrypted under a KMS key (envelope, AES-256-GCM)."""
    from supportops.runbooks.privacy.export import archive as build_archive
    from supportops.runbooks.privacy.export import encrypt_to

    p = _prepare(subject, project, stack, outputs, None, out, None, endpoint_url, crm_url)
    setup, clients = p.setup, p.clients
    result = run_request(p.targets, p.identifiers, Holds(), clients, p.hasher, None, setup.request_id)
    if result.failed:
        for store in result.stores:
            if store.message:
                stderr_console().print(f"{store.name}: {store.message}", markup=False)
        raise typer.Exit(EXIT_FINDINGS)
    envelope = encrypt_to(archive, build_archive(result, p.identifiers, clients), kms_key_id, clients)
    summary = {
        "requestId": setup.request_id,
        "archive": str(archive),
        "kmsKeyId": envelope["kmsKeyId"],
        "stores": {s.name: s.found for s in result.stores},
        "nothingHeld": result.nothing_held,
    }
    if fmt is OutputFormat.JSON:
        write_json(summary, None)
    else:
        typer.echo(f"request {setup.request_id}: archive {archive} encrypted under {envelope['kmsKeyId']}")
        for name, count in summary["stores"].items():
            typer.echo(f"  {name}: {count} records")


@app.command("demo")
def demo(
    project: ProjectOption,
    out: RequestsDirOption = Path("out/privacy-demo"),
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Start a local moto server, seed synthetic subjects, erase one, verify, write the evidence."""
    import json
    import tempfile
    import time

    from supportops.runbooks.local_aws import local_aws_credentials, local_aws_endpoint
    from supportops.runbooks.privacy.demo import DEMO_OUTPUTS, demo_subjects, seed
    from supportops.runbooks.privacy.demo_crm import fake_zendesk

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    subjects = demo_subjects()
    request_id = f"demo-{int(time.time())}"  # each demo seeds a fresh endpoint: a fresh request
    with (
        local_aws_credentials(),
        local_aws_endpoint() as endpoint,
        fake_zendesk() as crm,
        _demo_crm_token(),
        tempfile.TemporaryDirectory() as temp,
    ):
        stderr_console().print(
            f"local AWS endpoint (moto) at {endpoint}, CRM stand-in at {crm.url}", markup=False
        )
        seed(Clients("us-east-1", endpoint), subjects, crm=crm)
        outputs = Path(temp) / "stack-outputs.json"
        outputs.write_text(json.dumps(DEMO_OUTPUTS))
        for execute in (False, True):
            stderr_console().print("dry run:" if not execute else "execute:", markup=False)
            try:
                erase(
                    [f"phone:{subjects[0].phone}"],
                    "demo-analytics",
                    outputs,
                    project,
                    execute=execute,
                    request_id=request_id,
                    endpoint_url=endpoint,
                    crm_url=crm.url,
                    out=out,
                    fmt=fmt,
                )
            except typer.Exit as stop:
                if stop.exit_code:
                    raise


@contextmanager
def _demo_crm_token() -> Iterator[None]:
    """The demo's CRM stand-in accepts any credential: set one for the duration, unless one is set."""
    added = TOKEN_ENV not in os.environ
    os.environ.setdefault(TOKEN_ENV, "demo-token")
    try:
        yield
    finally:
        if added:
            os.environ.pop(TOKEN_ENV, None)


def _problems() -> list[str]:
    return [
        "contact ids are found through the customer-context table only (not yet through the CTR lake or "
        "Customer Profiles): contacts recorded nowhere else are not searched (docs/privacy.md)"
    ]


def _show(report: Report, fmt: OutputFormat) -> None:
    if fmt is OutputFormat.JSON:
        write_json(to_json(report), None)
        return
    table = Table(title=f"{report.title}: {report.details['requestId']}")
    table.add_column("store", no_wrap=True)
    for column in ("erase", "state", "found", "erased", "left", "calls"):
        table.add_column(column, no_wrap=True)
    notes = []
    for row in report.details["stores"]:
        table.add_row(
            row["store"],
            row["erase"],
            row["state"],
            str(row["found"]),
            str(row["erased"]),
            str(row["left"]),
            str(row["awsCalls"]),
        )
        if row["message"]:
            notes.append(f"{row['store']}: {row['message']}")
    render(table)
    for note in notes:
        typer.echo(note)
    for row in report.details["retention"]:
        typer.echo(f"{row['store']} {row['copy']}: gone by {row['goneBy']} ({row['retentionDays']} days)")
    for problem in report.problems:
        typer.echo(f"note: {problem}")
    for framework in report.frameworks:
        for requirement in framework.requirements:
            if requirement.counts:
                counts = ", ".join(f"{status} {n}" for status, n in requirement.counts.items())
                typer.echo(
                    f"control matrix: {framework.framework_id} {requirement.requirement_id} "
                    f"({requirement.automation.value}): {requirement.status.value}; findings {counts}"
                )
