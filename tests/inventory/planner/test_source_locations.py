"""The offline planner records where the program declared each resource (docs/inventory.md), and the
location survives every way an inventory travels: plan JSON, the project-virtualenv child, the cache,
`comply --inventory`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supportops.finding_locations import attach_locations
from supportops.inventory.inventory_file import load_inventory_file
from supportops.inventory.model import Inventory, Resource, Source, SourceKind
from supportops.locations import INPUT, SourceLocation, urn_lines

REPO = Path(__file__).resolve().parents[3]


def test_every_demo_resource_points_at_the_program_statement_and_its_component_line(
    foundation_plan: Inventory,
) -> None:
    resources = [r for r in foundation_plan if r.type != "pulumi:pulumi:Stack"]
    assert all(r.source_location is not None for r in resources)
    lines: dict[str, list[str]] = {}
    for resource in resources:
        location = resource.source_location
        assert location is not None
        # Never inside Pulumi's SDK or our component library: the program's own files.
        assert location.file.startswith("stacks/supportops/stacks/")
        assert "/components/" not in location.file
        text = lines.setdefault(location.file, (REPO / location.file).read_text().splitlines())
        assert location.end_line is not None and location.line <= location.end_line <= len(text)
        statement = "\n".join(text[location.line - 1 : location.end_line])
        assert "(" in statement  # a constructor call
        if location.component_file is not None:
            assert location.component_file.startswith("stacks/supportops/stacks/components/")
            component_text = (REPO / location.component_file).read_text().splitlines()
            assert location.component_line is not None and location.component_line <= len(component_text)
    # Children of a component point at the component's instantiation, and name the component's line.
    children = [r for r in resources if r.source_location and r.source_location.component_file]
    assert children


def test_the_location_round_trips_through_every_inventory_reader(
    foundation_plan: Inventory, tmp_path: Path
) -> None:
    document = json.loads(json.dumps(foundation_plan.to_json()))
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(document))
    expected = {r.urn: r.source_location for r in foundation_plan}
    # the planner's child process and the cache read with Inventory.from_json; a user's file is validated
    for read in (Inventory.from_json(document), load_inventory_file(path)):
        assert {r.urn: r.source_location for r in read} == expected


def test_a_malformed_location_reads_as_none() -> None:
    assert SourceLocation.from_json(None) is None
    assert SourceLocation.from_json({"file": "a.py", "line": 0}) is None
    assert SourceLocation.from_json({"file": "", "line": 3}) is None
    assert SourceLocation.from_json({"file": "a.py", "line": True}) is None
    full = SourceLocation("a.py", 3, 5, 2, 9, component_file="c.py", component_line=7)
    assert SourceLocation.from_json(full.to_json()) == full


def test_state_findings_point_at_the_resource_urn_line_of_the_input_file(tmp_path: Path) -> None:
    from supportops.findings import Finding, Report, Severity, Status

    urn = "urn:pulumi:prod::shop::aws:s3/bucket:Bucket::logs"
    state = tmp_path / "state.json"
    state.write_text(
        '{\n  "deployment": {\n    "resources": [\n      {\n        "urn": "'
        + urn
        + '"\n      }\n    ]\n  }\n}\n'
    )
    assert urn_lines(state)[urn][0] == 5
    inventory = Inventory(
        "shop",
        "prod",
        Source(SourceKind.STACK_EXPORT, str(state)),
        [Resource(urn, "aws:s3/bucket:Bucket", "logs")],
    )
    finding = Finding("x", "x", Status.FAIL, Severity.HIGH, urn, "aws:s3/bucket:Bucket")
    other = Finding("y", "y", Status.FAIL, Severity.HIGH, "not-a-resource")
    report = Report("compliance", "t", "prod", "", "0", findings=[finding, other])
    attach_locations(report, inventory)
    assert finding.location is not None and (finding.location.file, finding.location.line) == (
        "state.json",
        5,
    )
    assert finding.location.kind == INPUT
    assert other.location is not None and (other.location.file, other.location.line) == ("state.json", 1)


@pytest.mark.parametrize("value", [[], "x", {"file": 1, "line": 2}])
def test_location_from_json_tolerates_old_caches(value: object) -> None:
    assert SourceLocation.from_json(value) is None  # type: ignore[arg-type]


def test_a_plan_made_as_a_preview_keeps_its_program_lines(tmp_path: Path) -> None:
    """`plan --preview` is a PREVIEW source located at the project folder, not a file."""
    from supportops.findings import Finding, Report, Severity, Status

    urn = "urn:pulumi:dev::shop::aws:s3/bucket:Bucket::logs"
    declared = SourceLocation("app.py", 7)
    inventory = Inventory(
        "shop",
        "dev",
        Source(SourceKind.PREVIEW, str(tmp_path)),
        [Resource(urn, "aws:s3/bucket:Bucket", "logs", source_location=declared)],
    )
    finding = Finding("x", "x", Status.FAIL, Severity.HIGH, urn, "aws:s3/bucket:Bucket")
    attach_locations(Report("compliance", "t", "dev", "", "0", findings=[finding]), inventory)
    assert finding.location == declared
