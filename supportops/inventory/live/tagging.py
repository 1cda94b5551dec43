"""Tags of every resource of a region in pages (the Resource Groups Tagging API), so collectors whose
list call already returns everything else need no call per resource for tags."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import UNREAD, Unread, tag_dict
from supportops.inventory.live.reader import CallFailed, Reader, Scope
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "resourcegroupstaggingapi"
CALLS: Final = (("resourcegroupstaggingapi", "GetResources"),)
TYPES: Final = ()
GLOBAL: Final = False
_CACHE_KEY: Final = ("__tags__", "")


def _normal(arn: str) -> str:
    return arn.removesuffix(":*")


class TagIndex:
    """ARN -> tags of one account and region; UNREAD for every ARN when the API could not be read."""

    def __init__(self, tags: dict[str, dict[str, str]] | Unread) -> None:
        self._tags = tags

    def of(self, arn: str | None) -> dict[str, str] | Any:
        if isinstance(self._tags, Unread):
            return UNKNOWN
        if not arn:
            return {}
        return self._tags.get(_normal(arn), {})


def tag_index(scope: Scope, faults: list[Any]) -> TagIndex:
    """The scope's tag index, read on first use (one GetResources pass per account and region; the
    scope's lock keeps collectors running side by side from reading it twice)."""
    with scope.lock:
        return _tag_index(scope, faults)


def _tag_index(scope: Scope, faults: list[Any]) -> TagIndex:
    cached = scope.clients.get(_CACHE_KEY)
    if isinstance(cached, TagIndex):
        return cached
    read = Reader(scope, SERVICE, frozenset(op for _s, op in CALLS))
    found: dict[str, dict[str, str]] | Unread
    try:
        found = {
            _normal(item["ResourceARN"]): tag_dict(item.get("Tags"))
            for item in read.pages("GetResources", "ResourceTagMappingList", ResourcesPerPage=100)
        }
    except CallFailed as failed:
        faults.append(failed.fault)
        found = UNREAD
    index = TagIndex(found)
    scope.clients[_CACHE_KEY] = index
    return index
