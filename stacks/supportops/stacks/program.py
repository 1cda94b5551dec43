"""The Pulumi program: read the typed config once, build the phase the stack is for, export."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pulumi

from supportops.stacks.config import Phase, StackConfig, config_from_mapping
from supportops.stacks.config.loader import CONFIG_NAMESPACE, SECRET_KEYS
from supportops.stacks.context import PlatformContext
from supportops.stacks.phases import analytics, automation, foundation, operations

PhaseBuilder = Callable[[PlatformContext], Mapping[str, Any]]

PHASES: dict[Phase, PhaseBuilder] = {
    Phase.FOUNDATION: foundation.build,
    Phase.AUTOMATION: automation.build,
    Phase.ANALYTICS: analytics.build,
    Phase.OPERATIONS: operations.build,
}


def read_engine_config() -> StackConfig:
    """The stack's config as the engine hands it over, validated by the same model as
    ``supportops config validate`` (so invalid config never reaches resource declaration)."""
    from pulumi.runtime.config import CONFIG, get_config_env, is_config_secret

    raw: dict[str, Any] = {}
    for key, value in {**get_config_env(), **CONFIG.get()}.items():
        namespace, _, name = key.partition(":")
        if key == "aws:region" or (namespace == CONFIG_NAMESPACE and name not in SECRET_KEYS):
            raw[key] = _decode(value)
        elif namespace == CONFIG_NAMESPACE and name in SECRET_KEYS:
            # Present as a secret (the engine only marks `--secret` values as such).
            raw[key] = {"secure": "..."} if is_config_secret(key) else value
    stack = pulumi.get_stack()
    return config_from_mapping(raw, source=f"Pulumi.{stack}.yaml", stack=stack)


def _decode(value: str) -> Any:
    import json

    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


def main() -> None:
    config = read_engine_config()
    context = PlatformContext.create(config)
    outputs = PHASES[config.phase](context)
    for name, value in outputs.items():
        pulumi.export(name, value)
