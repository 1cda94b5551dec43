"""One drift run: read the state export, read the live account, compare, report."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from supportops.drift.compare import CollectorCatalog, compare
from supportops.drift.report import drift_report
from supportops.finding_locations import attach_locations
from supportops.findings import InputRecord, Report
from supportops.inventory.live.model import LiveCollection, LiveTarget
from supportops.inventory.live_access import LiveAccess, open_targets
from supportops.inventory.model import Inventory, SourceKind
from supportops.progress import milestone

Collector = Callable[[Sequence[LiveTarget], "Sequence[str] | None"], LiveCollection]


def _collect(targets: Sequence[LiveTarget], services: Sequence[str] | None) -> LiveCollection:
    from supportops.inventory.live import collect_live

    return collect_live(targets, services=services, on_progress=milestone)


def load_state(path: Path) -> Inventory:
    """The stack export, read (and its secrets remembered) before any AWS call: bad input first."""
    from supportops.inventory.sources.load import load_inventory

    return load_inventory(path, SourceKind.STACK_EXPORT)


@dataclass
class DriftRequest:
    state: Inventory  # see load_state
    access: LiveAccess
    services: tuple[str, ...] | None = None  # boto3 service names; None: every collector
    on_stage: Callable[[str], None] = lambda _stage: None
    collect: Collector = _collect  # tests may hand in a collection with stubbed clients


def run_drift(request: DriftRequest) -> Report:
    state = request.state
    request.on_stage("reading the live account")
    targets = open_targets(request.access)
    collection = request.collect(targets.targets, request.services)
    # A role that could not be assumed is a fault of this run like any other.
    collection = replace(collection, faults=targets.faults + collection.faults)
    request.on_stage(f"comparing {len(state)} resources with {len(collection.inventory)} live ones")
    catalog = CollectorCatalog.of_collectors(request.services)
    result = compare(state, collection, catalog, targets.regions)
    source = state.source
    inputs = [InputRecord(source.location, source.sha256, source.kind.value)] if source.sha256 else []
    report = drift_report(state, collection, result, targets.regions, inputs)
    report.details["principal"] = targets.principal
    # Each finding points at its resource's line in the export (SARIF needs a file and a line).
    attach_locations(report, state)
    return report
