"""The Pulumi program: read the typed config once, build the phase the stack is for, export."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pulumi

from supportops.stacks.config import Phase, StackConfig, config_from_mapping
from supportops.stacks.config.loader import CONFIG_NAMESPACE, SECRET_KEYS
from supportops.stacks.context import PlatformContext

PhaseBuilder = Callable[[PlatformContext], Mapping[str, Any]]


def phase_builder(phase: Phase) -> PhaseBuilder:
    """The ``build`` of the stack's phase. Only that phase is imported: each one pulls in its share
    of pulumi-aws's generated modules (~0.2-0.3 s apiece). Plain import statements, so that the
    plan cache's import closure still sees every phase module as a dependency."""
    match phase:
        case Phase.FOUNDATION:
            from supportops.stacks.phases import foundation as module
        case Phase.AUTOMATION:
            from supportops.stacks.phases import automation as module  # type: ignore[no-redef]
        case Phase.ANALYTICS:
            from supportops.stacks.phases import analytics as module  # type: ignore[no-redef]
        case Phase.OPERATIONS:
            from supportops.stacks.phases import operations as module  # type: ignore[no-redef]
        case _:
            raise AssertionError(f"no phase module for {phase}")
    build: PhaseBuilder = module.build
    return build


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
    outputs = phase_builder(config.phase)(context)
    for name, value in outputs.items():
        pulumi.export(name, value)
