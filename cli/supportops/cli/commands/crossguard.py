"""``supportops crossguard``: the policy pack's config (waivers) and a publishable pack folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from supportops.cli.options import OutFileOption
from supportops.cli.output import write_json

app = typer.Typer(
    help="Run the rules inside `pulumi preview`: pack config and publishable pack.", no_args_is_help=True
)


@app.command("config")
def config(
    waivers: Annotated[Path, typer.Option("--waivers", help="The waivers file `comply --waivers` reads.")],
    out: OutFileOption = None,
) -> None:
    """Write the pack's policy config that gives each rule's policy its waivers.

    Use it with `pulumi preview --policy-pack policies/crossguard --policy-pack-config FILE`, or as a
    policy group's config for a published pack: a finding waived in `comply` is waived in the pack.
    """
    from supportops.policies.catalog import all_rules
    from supportops.policies.waivers import load_waivers, waivers_config

    specs = load_waivers(waivers, known_rules=[rule.META.id for rule in all_rules()])
    write_json(waivers_config([spec for spec in specs if not spec.rule.startswith("CKV")]), out)


@app.command("build")
def build(
    out: Annotated[Path, typer.Argument(help="A new (or empty) folder for the pack.", show_default=False)],
) -> None:
    """Write a self-contained pack folder (the toolkit as a wheel inside it) for `pulumi policy publish`."""
    from supportops.policies.crossguard.bundle import build_pack

    wheel = build_pack(out)
    typer.echo(f"policy pack: {out} (with {wheel.name}); publish with `pulumi policy publish {out}`")
