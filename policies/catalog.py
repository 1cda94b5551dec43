"""The rule catalog: every rule module, listed explicitly (no registration by import side effect)."""

from __future__ import annotations

from supportops.policies.rule import RuleModule

RULES: tuple[RuleModule, ...] = ()


def all_rules() -> tuple[RuleModule, ...]:
    return RULES
