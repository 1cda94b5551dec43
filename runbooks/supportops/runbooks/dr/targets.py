"""The targets a drill is measured against: the stack config's ``resilience`` block (the same values
the stacks size backups and replication from), the defaults (RTO 240 min, RPO 15 min), or the
runbook's own ``targets``, in that order of precedence (runbook wins)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supportops.errors import BadInput
from supportops.runbooks.dr.schema import Runbook
from supportops.stacks.config import ResilienceTargets, load_stack_config, stack_file

DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class DrillTargets:
    rto_seconds: float
    rpo_seconds: float
    source: str  # where the values came from, for the report
    region: str
    replica_region: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "rtoSeconds": self.rto_seconds,
            "rpoSeconds": self.rpo_seconds,
            "rtoMinutes": self.rto_seconds / 60,
            "rpoMinutes": self.rpo_seconds / 60,
            "source": self.source,
            "region": self.region,
            "replicaRegion": self.replica_region,
        }


def resolve_targets(runbook: Runbook, runbook_source: str, project_dir: Path) -> DrillTargets:
    resilience = ResilienceTargets()
    source = "defaults (supportops.stacks.config.ResilienceTargets)"
    region = DEFAULT_REGION
    if runbook.stack is not None:
        path = stack_file(project_dir, runbook.stack)
        if not path.is_file():
            raise BadInput.at(runbook_source, "stack", f"no stack file {path} (is --project right?)")
        config = load_stack_config(project_dir, runbook.stack)
        resilience = config.resilience
        region = config.region
        source = f"{path.name} (resilience)"
    rto = resilience.rto_minutes * 60.0
    rpo = resilience.rpo_minutes * 60.0
    overridden = []
    if runbook.targets.rto_minutes is not None:
        rto = runbook.targets.rto_minutes * 60.0
        overridden.append("rtoMinutes")
    if runbook.targets.rpo_minutes is not None:
        rpo = runbook.targets.rpo_minutes * 60.0
        overridden.append("rpoMinutes")
    if overridden:
        source += f"; runbook overrides {', '.join(overridden)}"
    if rpo > rto:
        raise BadInput.at(
            runbook_source, "targets", f"RPO ({rpo / 60:g} min) is above RTO ({rto / 60:g} min)"
        )
    return DrillTargets(
        rto_seconds=rto,
        rpo_seconds=rpo,
        source=source,
        region=runbook.region or region,
        replica_region=resilience.replica_region,
    )
