"""What a drill can leave behind, as `dr cleanup` sees it: declared by the step types, swept generically.

- A :class:`ResourceKind` is a kind of drill resource (a restored table, a DB instance, a failed-over
  traffic distribution group): which tagged ARNs it claims, how to list its names (a kill between
  "create" and "tag" leaves an untagged one with a reserved ``dr-<stamp>-<hex>-<step>`` name), how to
  remove it, and which canary sites it points at.
- A :class:`CanarySite` is where canaries sit in a source (DynamoDB canary slots, an S3 canary prefix)
  and how to clear them without touching anything else.

Step types list the kinds they create and the sites they write; ``sweep.py`` holds no per-type code.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from supportops.polling import Deadline
from supportops.runbooks.dr.aws import ClientFactory


@dataclass
class SweepResult:
    removed: list[str] = field(default_factory=list)
    found: list[str] = field(default_factory=list)  # with dry_run: what would be removed
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # younger than --older-than


@dataclass(frozen=True)
class SweepScope:
    """One region's sweep: where, what counts as old enough, whether to remove, and the tally."""

    clients: ClientFactory
    region: str
    cutoff: datetime
    dry_run: bool
    deadline: Deadline
    result: SweepResult


class CanarySite(ABC):
    """Canaries in one source. Implementations are frozen dataclasses (hashable: deduplicated)."""

    #: IAM actions the sweep of such a site calls (the `dr cleanup` policy).
    api_calls: ClassVar[tuple[str, ...]]
    region: str

    @property
    @abstractmethod
    def sort_key(self) -> tuple[str, ...]:
        """Sites are swept in this order (service first, then the source)."""

    @abstractmethod
    def sweep(self, scope: SweepScope) -> None:
        """Record what would go (dry run) or remove canaries written before ``scope.cutoff``."""


class ResourceKind(ABC):
    """A kind of drill resource. Instances are shared by the step types that create that kind."""

    #: IAM actions listing and removing this kind calls (the `dr cleanup` policy).
    api_calls: ClassVar[tuple[str, ...]]
    #: Changes to live sources (e.g. telephony left failed over) are put back before deletions wait.
    sweep_first: ClassVar[bool] = False
    #: Removed only when named like a drill resource; a tagged resource of another name is reported.
    needs_drill_name: ClassVar[bool] = True

    @abstractmethod
    def claims(self, arn: str, tags: dict[str, str]) -> bool:
        """True for a resource tagged ``supportops:dr-drill`` that is of this kind."""

    def names(self, scope: SweepScope) -> list[str]:
        """Names of every resource of this kind in the region (the sweep keeps drill-shaped ones)."""
        return []

    @abstractmethod
    def label(self, name: str, arn: str | None, tags: dict[str, str]) -> str:
        """How the report names this leftover, e.g. ``dynamodb table <name>``."""

    def canary_sites(self, scope: SweepScope, name: str, tags: dict[str, str]) -> tuple[CanarySite, ...]:
        """Sources this leftover was made from, whose canaries must be cleared too."""
        return ()

    @abstractmethod
    def remove(self, scope: SweepScope, name: str, arn: str | None, tags: dict[str, str]) -> None:
        """Remove (or put back) the leftover; idempotent; raise on failure."""
