"""Typed stack configuration: one pydantic model, read from Pulumi stack config files or the engine."""

from supportops.stacks.config.loader import (
    CONFIG_NAMESPACE,
    SECRET_KEYS,
    config_from_mapping,
    load_stack_config,
    stack_file,
)
from supportops.stacks.config.model import (
    CrmConfig,
    CrmProvider,
    DataClass,
    DataClassName,
    IdentityMode,
    Phase,
    ResilienceTargets,
    SlaTier,
    StackConfig,
)

__all__ = [
    "CONFIG_NAMESPACE",
    "SECRET_KEYS",
    "CrmConfig",
    "CrmProvider",
    "DataClass",
    "DataClassName",
    "IdentityMode",
    "Phase",
    "ResilienceTargets",
    "SlaTier",
    "StackConfig",
    "config_from_mapping",
    "load_stack_config",
    "stack_file",
]
