"""Live collectors: read the running account with boto3 and produce the same inventory model (type
tokens, camelCase input names) as the offline plan, so every rule runs unchanged on live resources."""

from supportops.inventory.live.collect import collect_live
from supportops.inventory.live.model import (
    CollectionFault,
    LiveCollection,
    LiveResource,
    LiveTarget,
    index_by_identity,
    live_urn,
    match,
)
from supportops.inventory.live.permissions import read_only_policy, required_actions

__all__ = [
    "CollectionFault",
    "LiveCollection",
    "LiveResource",
    "LiveTarget",
    "collect_live",
    "index_by_identity",
    "live_urn",
    "match",
    "read_only_policy",
    "required_actions",
]
