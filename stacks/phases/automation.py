"""Phase: automation (placeholder until its components land)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from supportops.stacks.context import PlatformContext


def build(context: PlatformContext) -> Mapping[str, Any]:
    return {}
