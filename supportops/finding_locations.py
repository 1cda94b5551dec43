"""Give a report's findings the location of the resource they are about: the program line an offline
plan recorded, or the line of the resource's URN in the input file (see :mod:`supportops.locations`).
Kept apart from ``locations`` because it joins the report model and the inventory, which both use
``SourceLocation``."""

from __future__ import annotations

from pathlib import Path

from supportops.findings import Report
from supportops.inventory.model import Inventory, SourceKind
from supportops.locations import (
    SourceLocation,
    input_location,
    relative_path,
    repository_root,
    urn_lines,
)


def attach_locations(report: Report, inventory: Inventory) -> None:
    """Give every finding about a resource of ``inventory`` its location (in place).

    Offline plans: the program line recorded for the resource (its parent's when the resource has
    none: a component's child declared by the component library). Files: the line of the resource's
    URN in the input file, else the file's first line. Findings already located (checkov's secrets
    scan names its own file and line) are left as they are."""
    source = inventory.source
    # A file read (stack export, preview JSON); an offline plan made with --preview is a PREVIEW
    # source too, but its location is the project folder and its resources have program lines.
    is_file = source.kind in (SourceKind.STACK_EXPORT, SourceKind.PREVIEW) and Path(source.location).is_file()
    input_path = Path(source.location) if is_file else None
    root = repository_root(input_path.parent if input_path is not None else Path(source.location or "."))
    lines = urn_lines(input_path) if input_path is not None else {}
    fallback = input_location(input_path, root) if input_path is not None else None
    for finding in report.findings:
        if finding.location is not None:
            continue
        resource = inventory.by_urn(finding.subject)
        if resource is None:
            if finding.subject_type == "file":  # checkov's secrets scan: relative to the project
                finding.location = _file_subject(finding.subject, Path(source.location or "."), root)
            else:
                finding.location = fallback
            continue
        if input_path is not None:
            at = lines.get(resource.urn)
            finding.location = input_location(input_path, root, *at) if at else fallback
            continue
        finding.location = _declared(inventory, resource.urn)


def _declared(inventory: Inventory, urn: str) -> SourceLocation | None:
    seen = 0
    current = inventory.by_urn(urn)
    while current is not None and seen < 64:  # a parent cycle in a hand-edited file ends here
        if current.source_location is not None:
            return current.source_location
        current = inventory.by_urn(current.parent) if current.parent else None
        seen += 1
    return None


def _file_subject(subject: str, base: Path, root: Path) -> SourceLocation | None:
    """``path:line`` subjects (checkov's secrets scan, relative to ``base``) as a location relative
    to the repository."""
    path, _, line = subject.rpartition(":")
    if not path or not line.isdigit() or int(line) < 1:
        return None
    return SourceLocation(file=relative_path(base / path, root), line=int(line))
