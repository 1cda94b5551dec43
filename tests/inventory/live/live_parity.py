"""Compare the verdicts of every rule on a planned inventory and on the live one it was deployed as:
the check behind the parity tests (test support: it joins the live inventory and the rules)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from supportops.findings import Status
from supportops.inventory.model import Inventory
from supportops.policies.engine import evaluate
from supportops.policies.profiles import premise_of
from supportops.policies.stack_config import choose_config


@dataclass(frozen=True)
class Difference:
    rule: str
    planned_urn: str
    live_urn: str
    planned: Status
    live: Status | None  # None: the rule gave the live resource no finding
    planned_message: str
    live_message: str


def verdicts(
    planned: Inventory, live: Inventory
) -> tuple[dict[tuple[str, str], tuple[Status, str]], dict[tuple[str, str], tuple[Status, str]]]:
    """(rule, subject URN) -> (status, message) on each side, the live side judged with the planned
    stack's config (the live account has no stack file of its own)."""
    choice = choose_config(planned, None)
    premise = premise_of(choice)
    out = []
    for inventory in (planned, live):
        found = evaluate(inventory, choice.config, premise=premise).findings
        out.append({(f.check_id, f.subject): (f.status, f.message) for f in found})
    return out[0], out[1]


def differences(planned: Inventory, live: Inventory, physical_ids: Mapping[str, str]) -> list[Difference]:
    """Every (rule, materialised resource) whose live verdict differs from the planned one."""
    planned_verdicts, live_verdicts = verdicts(planned, live)
    # by region too: per-region singletons (a Glue catalog's settings) share a physical id
    live_by_id = {(r.type, r.region, r.id): r.urn for r in live}
    found: list[Difference] = []
    for (rule, subject), (status, message) in sorted(planned_verdicts.items()):
        physical = physical_ids.get(subject)
        resource = planned.by_urn(subject)
        if physical is None or resource is None:
            continue
        region = None if resource.type.startswith("aws:iam/") else resource.region
        live_urn = live_by_id.get((resource.type, region, physical))
        if live_urn is None:
            found.append(Difference(rule, subject, "", status, None, message, "not collected"))
            continue
        live_status, live_message = live_verdicts.get((rule, live_urn), (None, "no finding"))
        if live_status is not status:
            found.append(Difference(rule, subject, live_urn, status, live_status, message, live_message))
    return found
