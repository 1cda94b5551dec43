"""Which stack config the rules read (retention bounds, allowed regions ...), and why.

In order: an explicit ``--config Pulumi.<stack>.yaml``; the config the inventory carries (offline
plan, preview file) when it holds supportops keys; else the defaults, which every report states.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from supportops.errors import BadInput
from supportops.inventory.model import Inventory
from supportops.stacks.config import (
    CONFIG_NAMESPACE,
    Phase,
    StackConfig,
    config_from_mapping,
    load_stack_config,
)

DEFAULT_CONFIG = StackConfig(environment="unknown", phase=Phase.FOUNDATION)
_STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>.+)\.ya?ml$")


class ConfigOrigin(StrEnum):
    FILE = "file"
    INVENTORY = "inventory"
    DEFAULTS = "defaults"


@dataclass(frozen=True)
class ConfigChoice:
    config: StackConfig
    origin: ConfigOrigin
    location: str = ""

    def describe(self) -> str:
        if self.origin is ConfigOrigin.DEFAULTS:
            return ("defaults (environment 'unknown', phase 'foundation'): the source has no stack "
                    "config; pass --config Pulumi.<stack>.yaml")
        return f"{self.origin.value} {self.location}".strip()

    def to_json(self) -> dict[str, Any]:
        return {"origin": self.origin.value, "location": self.location,
                "environment": self.config.environment, "phase": self.config.phase.value}


def choose_config(inventory: Inventory, config_file: Path | None = None) -> ConfigChoice:
    if config_file is not None:
        match = _STACK_FILE.match(config_file.name)
        if match is None:
            raise BadInput.at(config_file, "", "expected a Pulumi stack file named Pulumi.<stack>.yaml")
        config = load_stack_config(config_file.parent, match.group("stack"))
        return ConfigChoice(config, ConfigOrigin.FILE, str(config_file))
    if any(str(key).startswith(f"{CONFIG_NAMESPACE}:") for key in inventory.config):
        where = inventory.source.location or inventory.stack
        config = config_from_mapping(inventory.config, source=f"{where} (config)")
        return ConfigChoice(config, ConfigOrigin.INVENTORY, where)
    return ConfigChoice(DEFAULT_CONFIG, ConfigOrigin.DEFAULTS)
