"""Every kind of file a user hands supportops, with a seed and the function that reads it.

The fuzz tests mutate each seed and call its reader: the only acceptable outcomes are a value or a
:class:`~supportops.errors.SupportopsError` (one line, exit 2 at the CLI), within a time bound.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SEEDS = Path(__file__).resolve().parent / "seeds"


@dataclass(frozen=True)
class InputKind:
    name: str
    seed: Path
    file_name: str  # the name the mutated input is written under (readers look at the suffix)
    read: Callable[[Path], Any]


def _stack_config(path: Path) -> Any:
    from supportops.stacks.config import load_stack_config

    stack = path.name.removeprefix("Pulumi.").removesuffix(".yaml")
    return load_stack_config(path.parent, stack)


def _project_file(path: Path) -> Any:
    from supportops.inventory.offline_plan.project import read_project

    return read_project(path.parent)


def _state_export(path: Path) -> Any:
    from supportops.inventory.model import SourceKind
    from supportops.inventory.sources.load import load_inventory

    return load_inventory(path, SourceKind.STACK_EXPORT)


def _preview(path: Path) -> Any:
    from supportops.inventory.model import SourceKind
    from supportops.inventory.sources.load import load_inventory

    return load_inventory(path, SourceKind.PREVIEW)


def _waivers(path: Path) -> Any:
    from supportops.policies.waivers import load_waivers

    return load_waivers(path)


def _framework(path: Path) -> Any:
    from supportops.policies.frameworks.model import load_framework

    return load_framework(path)


def _access_review_runbook(path: Path) -> Any:
    from supportops.runbooks.access_review.schema import load_runbook

    return load_runbook(path)


def _campaign(path: Path) -> Any:
    from supportops.runbooks.access_review.campaign import read_campaign

    return read_campaign(path)


def _dr_runbook(path: Path) -> Any:
    from supportops.runbooks.dr.loader import load_runbook

    return load_runbook(path)


_POLICIES = REPO / "policies" / "supportops" / "policies"
_RUNBOOKS = REPO / "runbooks" / "supportops" / "runbooks"

KINDS: tuple[InputKind, ...] = (
    InputKind(
        "stack-config", REPO / "Pulumi.demo-foundation.yaml", "Pulumi.demo-foundation.yaml", _stack_config
    ),
    InputKind("project-file", REPO / "Pulumi.yaml", "Pulumi.yaml", _project_file),
    InputKind("state-export", SEEDS / "stack-export.json", "state.json", _state_export),
    InputKind("preview", SEEDS / "preview.json", "preview.json", _preview),
    InputKind("waivers", SEEDS / "waivers.yaml", "waivers.yaml", _waivers),
    InputKind("framework", _POLICIES / "frameworks" / "gdpr.yaml", "framework.yaml", _framework),
    InputKind(
        "access-review-runbook",
        _RUNBOOKS / "access_review" / "quarterly.yaml",
        "runbook.yaml",
        _access_review_runbook,
    ),
    InputKind("campaign-yaml", SEEDS / "campaign.yaml", "campaign.yaml", _campaign),
    InputKind("campaign-csv", SEEDS / "campaign.csv", "campaign.csv", _campaign),
    InputKind("dr-runbook", _RUNBOOKS / "dr" / "customer-context.yaml", "runbook.yaml", _dr_runbook),
)


def place(kind: InputKind, data: bytes, directory: Path) -> Path:
    """Write one input where its reader expects it (a stack file beside a Pulumi.yaml)."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    if kind.name == "stack-config":
        shutil.copy(REPO / "Pulumi.yaml", directory / "Pulumi.yaml")
    path = directory / kind.file_name
    path.write_bytes(data)
    return path
