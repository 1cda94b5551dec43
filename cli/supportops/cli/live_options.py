"""The live options (``comply --live``, ``drift``) and the one call each command makes with them.

Commands declare the options with these types and hand the values to :func:`live_access`; the rest
(STS, collection, faults as ERROR findings, the exit code) lives in the core
(:mod:`supportops.inventory.live_access`, :mod:`supportops.live_findings`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated, Any

import typer

from supportops.errors import BadInput

if TYPE_CHECKING:  # boto3 and the collectors load only when a command reads AWS
    from supportops.findings import Report
    from supportops.inventory.live.model import CollectionFault, LiveCollection
    from supportops.inventory.live_access import LiveAccess, Targets
    from supportops.inventory.model import Inventory

LiveFlag = Annotated[
    bool,
    typer.Option("--live", help="Read the running AWS account, not a plan or a file (docs/live.md)."),
]
ProfileOption = Annotated[
    str | None, typer.Option("--profile", metavar="NAME", help="AWS profile for the base credentials.")
]
RegionOption = Annotated[
    list[str] | None,
    typer.Option(
        "--region",
        metavar="REGION",
        help="Region to read, repeatable. Default: the profile's region, else us-east-1.",
    ),
]
RoleArnOption = Annotated[
    list[str] | None,
    typer.Option(
        "--role-arn",
        metavar="ARN",
        help="Role to assume with STS, repeatable (one account each; {account} with --accounts).",
    ),
]
AccountsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--accounts",
        metavar="ID[,ID]",
        help="Accounts to read through --role-name (or a --role-arn holding {account}), comma-separated.",
    ),
]
RoleNameOption = Annotated[
    str | None,
    typer.Option("--role-name", metavar="NAME", help="The role assumed in each account of --accounts."),
]
ServiceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--service",
        metavar="NAME[,NAME]",
        help="Only these collectors (boto3 service names: s3, sqs, kms ...), repeatable or comma-separated. "
        "Default: all.",
    ),
]
PERMISSIONS_WORD = "permissions"
LiveActionArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="permissions",
        show_default=False,
        help="With --live: print the read-only IAM policy the live collectors need, and stop.",
    ),
]


def live_access(
    *,
    profile: str | None,
    regions: list[str] | None,
    role_arns: list[str] | None,
    accounts: list[str] | None,
    role_name: str | None,
    endpoint_url: str | None,
) -> LiveAccess:
    from supportops.inventory.live.reader import retry_config
    from supportops.inventory.live_access import LiveAccess

    retry_config()  # a bad AWS_MAX_ATTEMPTS / AWS_RETRY_MODE: one line before any call
    return LiveAccess.from_options(
        profile=profile,
        regions=regions,
        role_arns=role_arns,
        accounts=accounts,
        role_name=role_name,
        endpoint_url=endpoint_url,
    )


def refuse_live_options_without_live(**given: Any) -> None:
    """``--region`` and friends mean nothing without ``--live``: say so rather than ignore them."""
    named = [f"--{name.replace('_', '-')}" for name, value in given.items() if value]
    if named:
        raise BadInput.at(named[0], "", "reads the live account: give --live too")


@dataclass
class LiveRead:
    """One live read: the targets, and the collection with the faults of getting the targets."""

    targets: Targets
    collection: LiveCollection

    @property
    def faults(self) -> tuple[CollectionFault, ...]:
        return self.targets.faults + self.collection.faults


def services_of(values: list[str] | None) -> tuple[str, ...] | None:
    """``--service`` values (None: every collector); BadInput naming an unknown one."""
    from supportops.cli.options import split_values
    from supportops.inventory.live import registry

    names = split_values(values)
    if not names:
        return None
    registry.select(names)  # refuses unknown names, listing the known ones
    return tuple(names)


def read_live(
    access: LiveAccess,
    services: tuple[str, ...] | None = None,
    on_progress: Callable[[str], None] | None = None,
) -> LiveRead:
    from supportops.inventory.live import collect_live, registry
    from supportops.inventory.live_access import open_targets

    targets = open_targets(access)
    # The account-level rules (security baseline in every region) judge what is absent: they get their
    # subject only when every collector ran (docs/live.md, "Account-level rules").
    collection = collect_live(
        targets.targets, services=services, on_progress=on_progress, account_stack=services is None
    )
    if services is not None:  # the types of the collectors left out are not collected either: say so
        skipped = {
            t: f"its service ({m.SERVICE}) was not selected (--service)"
            for m in registry.COLLECTORS
            if m.SERVICE not in services
            for t in m.TYPES
        }
        collection = replace(collection, uncollected_types={**skipped, **collection.uncollected_types})
    return LiveRead(targets, collection)


def print_permissions() -> None:
    """``comply --live permissions``: the read-only policy, as JSON to paste into IAM."""
    from supportops.cli.output import write_json
    from supportops.inventory.live import read_only_policy

    write_json(read_only_policy(), None)


def check_action(action: str | None, live: bool) -> bool:
    """True for ``--live permissions``; BadInput for any other word (or without --live)."""
    if action is None:
        return False
    if action != PERMISSIONS_WORD:
        raise BadInput.at("comply", action, f"unknown argument (only `--live {PERMISSIONS_WORD}`)")
    if not live:
        raise BadInput.at("comply", action, f"`{PERMISSIONS_WORD}` goes with --live: comply --live {action}")
    return True


def add_live_results(report: Report, read: LiveRead) -> None:
    """Faults as ERROR findings (and verdicts on resources they left unread as ERROR), types not
    collected in the problems, what was read in the details."""
    from supportops.live_findings import (
        fault_finding,
        mark_faulted,
        mark_uncollected,
        not_collected_findings,
        not_collected_problems,
    )
    from supportops.policies.catalog import all_rules

    faults = read.faults
    mark_faulted(report.findings, faults)
    rule_types = {rule.META.id: rule.META.resource_types for rule in all_rules()}
    mark_uncollected(report.findings, read.collection.uncollected_types, rule_types)
    report.findings.extend(fault_finding(f) for f in faults)
    report.findings.extend(not_collected_findings(read.collection.uncollected_types))
    report.problems.extend(not_collected_problems(read.collection.uncollected_types))
    report.details["live"] = {
        "principal": read.targets.principal,
        "accounts": [t.account_id for t in read.targets.targets],
        "regions": list(read.targets.regions),
        "endpoint": read.targets.targets[0].endpoint_url if read.targets.targets else None,
        "faults": len(faults),
        "notCollected": dict(sorted(read.collection.uncollected_types.items())),
    }


def live_exit_code(report: Report) -> int:
    from supportops.live_findings import live_exit_code as exit_code

    return exit_code(report)


@dataclass
class LiveComply:
    """``comply --live``: where the inventory comes from, and what the report gains."""

    access: LiveAccess
    services: tuple[str, ...] | None = None
    read: LiveRead | None = None

    def inventory(self) -> Inventory:
        from supportops.progress import milestone

        self.read = read_live(self.access, self.services, on_progress=milestone)
        return self.read.collection.inventory

    def add_results(self, report: Report) -> None:
        assert self.read is not None, "inventory() reads first"
        add_live_results(report, self.read)

    @staticmethod
    def exit_code(report: Report) -> int:
        return live_exit_code(report)


def comply_live(
    live: bool,
    action: str | None,
    *,
    sources: dict[str, Any],
    profile: str | None,
    regions: list[str] | None,
    role_arns: list[str] | None,
    accounts: list[str] | None,
    role_name: str | None,
    endpoint_url: str | None,
    services: list[str] | None = None,
) -> LiveComply | None:
    """None without ``--live``; ``--live permissions`` prints the policy and ends the command."""
    if check_action(action, live):
        print_permissions()
        raise typer.Exit(0)
    if not live:
        # --endpoint-url is not refused: AWS_ENDPOINT_URL in the environment sets it for every command.
        refuse_live_options_without_live(
            profile=profile,
            region=regions,
            role_arn=role_arns,
            accounts=accounts,
            role_name=role_name,
            service=services,
        )
        return None
    given = [name for name, value in sources.items() if value]
    if given:
        raise BadInput.at(given[0], "", "--live reads the running account: give no stack or file too")
    access = live_access(
        profile=profile,
        regions=regions,
        role_arns=role_arns,
        accounts=accounts,
        role_name=role_name,
        endpoint_url=endpoint_url,
    )
    return LiveComply(access, services_of(services))
