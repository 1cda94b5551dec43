"""Declared permissions: every step type, drill-resource kind and canary site lists the IAM actions it
calls; together they are the least-privilege policies of the drill role and of the `dr cleanup` role
(``supportops dr permissions``). Canary sites are known per runbook step, so the cleanup policy is
built from the sites the given runbooks' steps declare."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from supportops.runbooks.dr.schema import Runbook
from supportops.runbooks.dr.steps.registry import REGISTRY, StepRegistry

# `dr cleanup` lists drill resources by tag in every region it sweeps.
SWEEP_CALLS = ("tag:GetResources",)


def drill_actions(runbooks: Iterable[Runbook], registry: StepRegistry = REGISTRY) -> list[str]:
    return sorted({a for rb in runbooks for step in rb.steps for a in registry.of(step).api_calls})


def cleanup_actions(runbooks: Iterable[Runbook], registry: StepRegistry = REGISTRY) -> list[str]:
    actions = set(SWEEP_CALLS)
    for kind in registry.resource_kinds():
        actions.update(kind.api_calls)
    for runbook in runbooks:
        for step in runbook.steps:
            for site in registry.of(step).canary_sites(step, "-", None):
                actions.update(site.api_calls)
    return sorted(actions)


def policy_document(actions: list[str], sid: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": "*"}],
    }


def policies(runbooks: list[Runbook], registry: StepRegistry = REGISTRY) -> dict[str, dict[str, Any]]:
    return {
        "drill": policy_document(drill_actions(runbooks, registry), "SupportopsDrDrill"),
        "cleanup": policy_document(cleanup_actions(runbooks, registry), "SupportopsDrCleanup"),
    }
