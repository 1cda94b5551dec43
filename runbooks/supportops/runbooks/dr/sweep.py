"""``dr cleanup``: find what crashed or killed drills left behind, and remove it.

What to look for is declared by the step types (``steps/registry.py``); this module only walks it:

- Drill resources, by tag: the Resource Groups Tagging API lists every resource tagged
  ``supportops:dr-drill``; the resource kind that claims the ARN removes it (or puts it back).
- Drill resources by their reserved name shape (``dr-<stamp>-<hex>-<step>``): a kill between creating
  a resource and tagging it leaves an untagged one.
- Canaries, at the sites the runbooks' steps write (and the sources leftover drill resources point at).
  Deletes are conditional on the canary marker: nothing else is ever removed from a source.

``older_than`` spares drills younger than that (one may be running right now).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from supportops.polling import Deadline
from supportops.runbooks.dr.aws import AWS_ERRORS, ClientFactory, describe_error
from supportops.runbooks.dr.leftovers import CanarySite, ResourceKind, SweepResult, SweepScope
from supportops.runbooks.dr.naming import TAG_CREATED, TAG_DRILL, created_at_of, is_drill_resource_name
from supportops.runbooks.dr.schema import StepSpec
from supportops.runbooks.dr.steps.registry import REGISTRY, StepRegistry

MAX_PAGES = 100

__all__ = ["SweepResult", "SweepTarget", "sweep", "targets_from_steps"]


@dataclass(frozen=True)
class SweepTarget:
    """Where to look: a region, and the canary sites of the runbooks' sources in it."""

    region: str
    sites: tuple[CanarySite, ...] = ()


def targets_from_steps(
    region: str,
    steps: Iterable[StepSpec],
    replica_region: str | None,
    registry: StepRegistry = REGISTRY,
) -> list[SweepTarget]:
    """The runbook's region (its drill resources) and every canary site its steps write."""
    sites = [site for step in steps for site in registry.of(step).canary_sites(step, region, replica_region)]
    regions = sorted({region, *(site.region for site in sites)})
    return [SweepTarget(r, tuple(site for site in sites if site.region == r)) for r in regions]


def sweep(
    clients: ClientFactory,
    targets: list[SweepTarget],
    *,
    older_than: timedelta | None = None,
    dry_run: bool = False,
    seconds: float = 1800.0,
    registry: StepRegistry = REGISTRY,
) -> SweepResult:
    result = SweepResult()
    cutoff = datetime.now(UTC) - (older_than or timedelta(0))
    deadline = Deadline(seconds)
    by_region: dict[str, list[CanarySite]] = {}
    for target in targets:
        by_region.setdefault(target.region, []).extend(target.sites)
    for region, sites in sorted(by_region.items()):
        scope = SweepScope(clients, region, cutoff, dry_run, deadline, result)
        found_sites = _drill_resources(scope, registry.resource_kinds())
        for site in sorted(set(sites) | set(found_sites), key=lambda s: s.sort_key):
            site.sweep(scope)
    return result


@dataclass(frozen=True)
class _Found:
    kind: ResourceKind
    name: str
    arn: str | None
    tags: dict[str, str]


def _drill_resources(scope: SweepScope, kinds: tuple[ResourceKind, ...]) -> list[CanarySite]:
    """Remove (or revert) the drill resources of every kind; return the canary sites they point at."""
    found: dict[tuple[int, str], _Found] = {}
    try:
        for arn, tags in _tagged(scope.clients("resourcegroupstaggingapi", scope.region)):
            kind = next((k for k in kinds if k.claims(arn, tags)), None)
            if kind is None:
                scope.result.failed.append(
                    f"{scope.region}: {arn} is tagged {TAG_DRILL} ({tags.get(TAG_DRILL)}); "
                    "not a type dr cleanup removes: remove it by hand"
                )
                continue
            name = arn.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
            found[(kinds.index(kind), name)] = _Found(kind, name, arn, tags)
    except AWS_ERRORS as exc:
        scope.result.failed.append(
            f"{scope.region}: listing resources tagged {TAG_DRILL} failed: {describe_error(exc)}"
        )
    for index, kind in enumerate(kinds):
        for name in kind.names(scope):
            if is_drill_resource_name(name):
                found.setdefault((index, name), _Found(kind, name, None, {}))

    ordered = sorted(found.items(), key=lambda item: (not item[1].kind.sweep_first, item[0]))
    sites = [site for _, entry in ordered for site in entry.kind.canary_sites(scope, entry.name, entry.tags)]
    for _, entry in ordered:
        _remove(scope, entry)
    return sites


def _remove(scope: SweepScope, entry: _Found) -> None:
    result = scope.result
    label = f"{scope.region}: {entry.kind.label(entry.name, entry.arn, entry.tags)}"
    if entry.kind.needs_drill_name and not is_drill_resource_name(entry.name):
        result.failed.append(f"{label}: tagged {TAG_DRILL} but not named like a drill resource; not removed")
        return
    born = created_at_of(entry.name)
    if entry.tags.get(TAG_CREATED):
        with contextlib.suppress(ValueError):
            born = datetime.fromisoformat(entry.tags[TAG_CREATED])
    if born is not None and born > scope.cutoff:
        result.skipped.append(label)
        return
    if scope.dry_run:
        result.found.append(label)
        return
    try:
        entry.kind.remove(scope, entry.name, entry.arn, entry.tags)
    except Exception as exc:  # every leftover gets its own attempt
        result.failed.append(f"{label}: {describe_error(exc)}")
    else:
        result.removed.append(label)


def _tagged(client: Any) -> Iterator[tuple[str, dict[str, str]]]:
    kwargs: dict[str, Any] = {"TagFilters": [{"Key": TAG_DRILL}], "ResourcesPerPage": 100}
    for _ in range(MAX_PAGES):
        page = client.get_resources(**kwargs)
        for entry in page.get("ResourceTagMappingList", []):
            yield entry["ResourceARN"], {t["Key"]: t["Value"] for t in entry.get("Tags", [])}
        token = page.get("PaginationToken")
        if not token:
            return
        kwargs["PaginationToken"] = token
