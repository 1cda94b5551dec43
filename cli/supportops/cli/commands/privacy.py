"""``supportops privacy``: GDPR data-subject requests (erasure, access) across the data map's stores.

Dry run by default. Exit codes: 0 done (or nothing held); 1 a store failed or kept erasable data after
verification; 2 bad input (a malformed identifier, an unknown store in the holds file ...).
No personal data is printed: stores are shown with counts, the subject as keyed hashes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from supportops.cli.errors import stderr_console
from supportops.cli.evidence_options import SignKeyOption, open_bundle_signer
from supportops.cli.options import (
    EndpointUrlOption,
    FormatOption,
    OldOutDirOption,
    OutputFormat,
    ProjectOption,
    evidence_dir,
    formats_from,
    formats_option,
)
from supportops.cli.output import FormatWriter, announce, render, report_writer, write_json, write_run_outputs
from supportops.errors import EXIT_FINDINGS, BadInput
from supportops.findings import InputRecord, Report
from supportops.reports.evidence import record_input, signing_bundles
from supportops.reports.formats.json_report import to_json
from supportops.runbooks.privacy.clients import Clients
from supportops.runbooks.privacy.crm import TOKEN_ENV, CrmGateway
from supportops.runbooks.privacy.request import request_id_for, run_request
from supportops.runbooks.privacy.schema import DATA_MAP_PATH, Holds, load_data_map, load_holds
from supportops.runbooks.privacy.subject import Hasher, Identifier, load_hasher, parse_identifier
from supportops.runbooks.privacy.targets import Target, load_outputs, resolve
from supportops.stacks.config import StackConfig, load_stack_config

app = typer.Typer(help="GDPR data-subject requests: erasure and access, with evidence.", no_args_is_help=True)

# table: stores and counts (no personal data); json: the report; the others: report writers.
RUN_FORMATS = ("table", "json", "compact", "sarif", "html", "csv", "junit")

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
    Path | None,
    typer.Option(
        "--evidence",
        metavar="DIR",
        help="Requests directory: one folder per request (journal, evidence bundle), and the hash key.",
    ),
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
    evidence: RequestsDirOption = None,
    out: OldOutDirOption = None,
    fmt: Annotated[list[str] | None, formats_option(RUN_FORMATS, "table")] = None,
    sign_key: SignKeyOption = None,
) -> None:
    """Find the subject in every store; with --execute erase, verify and write an evidence bundle."""
    from supportops.runbooks.privacy.report import build_report, write_evidence

    signer = open_bundle_signer(sign_key, writes_evidence=execute, needs="--execute",
                                endpoint_url=endpoint_url)
    chosen = formats_from(fmt, RUN_FORMATS, "table")
    requests = evidence_dir(evidence, out) or DEFAULT_OUT
    p = _prepare(subject, project, stack, outputs, holds, requests, request_id, endpoint_url, crm_url)
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
    report = build_report(result, setup.inputs, [])
    with signing_bundles(signer):
        manifest = write_evidence(report, setup.request_dir, result.journal) if execute else None
    _show(report, chosen, setup.request_dir if manifest is not None else None)
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
    evidence: RequestsDirOption = None,
    out: OldOutDirOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
    sign_key: SignKeyOption = None,
) -> None:
    """Art. 15: the subject's data as a JSON archive encrypted under a KMS key (envelope, AES-256-GCM)."""
    from supportops.runbooks.privacy.export import archive as build_archive
    from supportops.runbooks.privacy.export import encrypt_to
    from supportops.runbooks.privacy.export_record import export_report, record_export

    signer = open_bundle_signer(sign_key, endpoint_url=endpoint_url)
    requests = evidence_dir(evidence, out) or DEFAULT_OUT
    p = _prepare(subject, project, stack, outputs, None, requests, None, endpoint_url, crm_url)
    setup, clients = p.setup, p.clients
    result = run_request(p.targets, p.identifiers, Holds(), clients, p.hasher, None, setup.request_id)
    if result.failed:
        for store in result.stores:
            if store.message:
                stderr_console().print(f"{store.name}: {store.message}", markup=False)
        raise typer.Exit(EXIT_FINDINGS)
    envelope = encrypt_to(archive, build_archive(result, p.identifiers, clients), kms_key_id, clients)
    with signing_bundles(signer):
        manifest = record_export(export_report(result, envelope, archive, setup.inputs), setup.request_dir)
    summary = {
        "requestId": setup.request_id,
        "archive": str(archive),
        "kmsKeyId": envelope["kmsKeyId"],
        "stores": {s.name: s.found for s in result.stores},
        "nothingHeld": result.nothing_held,
        "evidence": str(manifest),
    }
    if fmt is OutputFormat.JSON:
        write_json(summary, None)
    else:
        typer.echo(f"request {setup.request_id}: archive {archive} encrypted under {envelope['kmsKeyId']}")
        for name, count in summary["stores"].items():
            typer.echo(f"  {name}: {count} records")
        stderr_console().print(f"evidence: {manifest}", markup=False)


@app.command("demo")
def demo(
    project: ProjectOption,
    evidence: RequestsDirOption = None,
    out: OldOutDirOption = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Start a local moto server, seed synthetic subjects, erase one, verify, write the evidence."""
    requests = evidence_dir(evidence, out) or Path("out/privacy-demo")
    import json
    import tempfile
    import time

    from supportops.runbooks.local_aws import local_aws_credentials, local_aws_endpoint
    from supportops.runbooks.privacy.demo import DEMO_OUTPUTS, LAKE_PREFIX, demo_subjects, seed
    from supportops.runbooks.privacy.demo_athena import local_athena
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
        ExitStack() as stack,
    ):
        local = Clients("us-east-1", endpoint)
        seed(local, subjects, crm=crm)
        outputs = Path(temp) / "stack-outputs.json"
        outputs.write_text(json.dumps(DEMO_OUTPUTS))
        # moto's Athena runs no SQL: a stand-in answers the lake query from the seeded objects.
        athena = stack.enter_context(local_athena(local("s3"), DEMO_OUTPUTS["dataLakeBucket"], LAKE_PREFIX))
        stack.enter_context(_environment("AWS_ENDPOINT_URL_ATHENA", athena.url))
        stderr_console().print(
            f"local AWS endpoint (moto) at {endpoint}, CRM stand-in at {crm.url}, "
            f"Athena stand-in at {athena.url}",
            markup=False,
        )
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
                    evidence=requests,
                    fmt=[fmt.value],
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


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    """Set one variable for the duration (the demo's stand-ins), restoring what was there."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def _show(report: Report, formats: list[str], bundle: Path | None) -> None:
    """The request's report in each format (docs/cli.md): several go beside its evidence folder."""
    writers: dict[str, FormatWriter] = {
        "table": lambda path: render(_view(report), path),
        "json": lambda path: write_json(to_json(report), path),
    }
    writers.update({fmt: report_writer(report, fmt) for fmt in formats if fmt not in writers})
    written = write_run_outputs(formats, bundle, writers)
    if len(formats) > 1:
        announce(written)


def _view(report: Report) -> Group:
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
    lines = [Text(note) for note in notes]
    for row in report.details["retention"]:
        gone = f"gone by {row['goneBy']} ({row['retentionDays']} days)"
        lines.append(Text(f"{row['store']} {row['copy']}: {gone}"))
    lines += [Text(f"note: {problem}") for problem in report.problems]
    for framework in report.frameworks:
        for requirement in framework.requirements:
            if requirement.counts:
                counts = ", ".join(f"{status} {n}" for status, n in requirement.counts.items())
                lines.append(Text(
                    f"control matrix: {framework.framework_id} {requirement.requirement_id} "
                    f"({requirement.automation.value}): {requirement.status.value}; findings {counts}"
                ))
    return Group(table, *lines)
