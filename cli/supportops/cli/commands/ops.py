"""``supportops ops``: the unattended jobs' entrypoint (`ops run`, what the scheduled runner calls,
usable by hand), the member-account StackSet template, and a local end-to-end demo.

Exit codes of `ops run`: 0 all passed; 1 a FAIL finding, a missed RTO/RPO target or a drill
problem; 2 bad input; 3 an AWS/endpoint failure stopped the run, or the run completed with ERROR
findings and nothing failing (docs/operations.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from supportops.cli.errors import stderr_console
from supportops.cli.options import EndpointUrlOption, FormatOption, OutputFormat, ProjectOption, StackOption
from supportops.cli.output import write_json
from supportops.cli.stages import stage_progress
from supportops.stacks.config.operations import OpsJob

app = typer.Typer(
    help="Unattended operations: scheduled access reviews, DR drills, live compliance.", no_args_is_help=True
)

DEFAULT_OUT = Path("out/ops")


def _run_id() -> str:
    return dt.datetime.now(dt.UTC).strftime("manual-%Y%m%dT%H%M%SZ")


@app.command("run")
def run(
    job: Annotated[OpsJob, typer.Argument(help="access-review, dr-drill or compliance.")],
    account: Annotated[
        str,
        typer.Option("--account", metavar="ID", help="The account to run in (one of operations.accounts)."),
    ],
    stack: StackOption,
    project: ProjectOption,
    run_id: Annotated[
        str | None,
        typer.Option("--run-id", metavar="ID", help="Run id (the state machine's execution name)."),
    ] = None,
    runbook: Annotated[
        list[str] | None,
        typer.Option(
            "--runbook",
            metavar="NAME",
            help="dr-drill: the runbook to drill (repeatable; '-': all configured).",
        ),
    ] = None,
    bucket: Annotated[
        str | None, typer.Option("--bucket", metavar="NAME", help="Evidence bucket (Object Lock).")
    ] = None,
    topic_arn: Annotated[
        str | None, typer.Option("--topic-arn", metavar="ARN", help="SNS topic for notifications.")
    ] = None,
    metric_namespace: Annotated[
        str | None,
        typer.Option("--metric-namespace", metavar="NAME", help="Overrides operations.metricNamespace."),
    ] = None,
    endpoint_url: EndpointUrlOption = None,
    evidence: Annotated[
        Path | None,
        typer.Option(
            "--evidence",
            metavar="DIR",
            help="Local copy of the run's evidence (the bucket's layout). Default: out/ops/JOB/ACCOUNT/RUN.",
        ),
    ] = None,
    fmt: FormatOption = OutputFormat.TABLE,
) -> None:
    """Run one job for one account: its evidence to the bucket, metrics, a notification if needed."""
    from supportops.runbooks.ops.runner import OpsRunRequest
    from supportops.runbooks.ops.runner import run as run_ops
    from supportops.stacks.config import load_stack_config

    config = load_stack_config(project, stack)
    if metric_namespace:
        operations = config.operations.model_copy(update={"metric_namespace": metric_namespace})
        config = config.model_copy(update={"operations": operations})
    rid = run_id or _run_id()
    runbooks = tuple(r for r in runbook or () if r != "-")
    with stage_progress(f"ops run {job.value}", 4) as stage:
        outcome = run_ops(
            OpsRunRequest(
                job=job,
                account=account,
                run_id=rid,
                project=project,
                config=config,
                out_dir=evidence or DEFAULT_OUT / job.value / account / rid,
                bucket=bucket,
                topic_arn=topic_arn,
                endpoint_url=endpoint_url,
                runbooks=runbooks,
                on_stage=stage,
            )
        )
    _show(outcome.summary, fmt)
    raise typer.Exit(outcome.exit_code)


@app.command("member-template")
def member_template_command(
    stack: StackOption,
    project: ProjectOption,
) -> None:
    """Print the member-account roles (one per job) as a CloudFormation template for a StackSet."""
    import json

    from supportops.stacks.components.operations.job_policies import declared_actions
    from supportops.stacks.components.operations.member_template import member_template
    from supportops.stacks.config import load_stack_config

    config = load_stack_config(project, stack)
    operations = config.operations
    jobs = [job for job in OpsJob if operations.jobs.of(job).enabled]
    template = member_template(
        environment=config.environment,
        role_names={job: operations.member_role_name(job) for job in jobs},
        actions={job: declared_actions(job, operations.jobs.dr_drill.runbooks) for job in jobs},
        regions=[r for r in (config.region, config.resilience.replica_region) if r],
    )
    typer.echo(json.dumps(template, indent=2, sort_keys=True))


@app.command("package")
def package(
    project: ProjectOption,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Where the bundle is written.")
    ] = Path("dist/runner"),
) -> None:
    """Build the runner bundle CodeBuild installs: the wheel, pinned dependencies, the stack files.

    Upload it to the evidence bucket as runner/supportops-runner.zip (docs/operations.md)."""
    from supportops.runbooks.ops.bundle import build_runner_bundle

    typer.echo(str(build_runner_bundle(project, out)))


@app.command("demo")
def demo(
    project: ProjectOption,
    out: Annotated[
        Path, typer.Option("--out", "-o", metavar="DIR", help="Where the runs and history go.")
    ] = Path("out/ops-demo"),
) -> None:
    """One scheduled job end to end on a local endpoint it starts itself: a DR drill with a target it
    cannot meet → bundle in the Object Lock bucket → metric → notification → `history`."""
    from supportops.runbooks.ops.demo import run_demo

    for line in run_demo(project, out):
        typer.echo(line)


def _show(summary: dict[str, object], fmt: OutputFormat) -> None:
    if fmt is OutputFormat.JSON:
        write_json(summary, None)
        return
    for key in (
        "job",
        "account",
        "runId",
        "status",
        "failingBySeverity",
        "errors",
        "principalsFlagged",
        "location",
        "notification",
    ):
        typer.echo(f"{key}: {summary.get(key)}")
    for drill in summary.get("drills", []) or []:  # type: ignore[attr-defined]
        stderr_console().print(f"drill: {drill}", markup=False)
