"""A drill against a local moto server, started, seeded and stopped by ``supportops dr demo``.

The step types say whether moto serves them and how to seed their sources. The drills run with the
runbook's targets unchanged; only waits are shortened, because moto answers at once and its latest
restorable time never advances (a drill would otherwise wait ``restorableWaitSeconds`` for nothing).
"""

from __future__ import annotations

from typing import Any

from supportops.runbooks.dr.aws import ClientFactory
from supportops.runbooks.dr.schema import Runbook
from supportops.runbooks.dr.steps.registry import REGISTRY, StepRegistry

LOCAL_PROFILE_NOTE = (
    "local demo profile: moto server started and seeded by `supportops dr demo`; pollSeconds <= 0.2, "
    "canary intervalSeconds <= 0.2, restorableWaitSeconds 0 (moto's latest restorable time never advances), "
    "timeoutSeconds <= 60 (s3-replication: 5, so the never-replicated canary ends as 'not measured' instead "
    "of a 15-minute wait); targets unchanged"
)
DEMO_RUNBOOKS = ("crm-idempotency", "customer-context")
LOCAL_TIMEOUT = 60  # an int, as before: the report shows "timeoutSeconds": 60


def seed_for(
    runbook: Runbook, clients: ClientFactory, region: str, registry: StepRegistry = REGISTRY
) -> list[str]:
    """Create the sources a runbook's steps read; return what was created."""
    return [made for step in runbook.steps for made in registry.of(step).seed_local(step, clients, region)]


def local_profile(runbook: Runbook, registry: StepRegistry = REGISTRY) -> Runbook:
    """The runbook with short waits for a local endpoint; targets and checks unchanged."""
    steps = []
    for step in runbook.steps:
        update: dict[str, Any] = {
            "poll_seconds": min(step.poll_seconds, 0.2),
            "timeout_seconds": min(step.timeout_seconds, LOCAL_TIMEOUT),
        }
        update.update(registry.of(step).local_overrides(step))
        steps.append(step.model_copy(update=update))
    return runbook.model_copy(update={"steps": steps})


def not_served_locally(runbook: Runbook, registry: StepRegistry = REGISTRY) -> list[str]:
    """Step types of the runbook that moto cannot serve (empty: the demo can run it)."""
    return sorted({step.type for step in runbook.steps if not registry.of(step).moto_serves})


def refusal(registry: StepRegistry = REGISTRY) -> str:
    """Why the demo refuses a runbook: the step types moto cannot serve, and those it runs."""
    served = [t.name for t in registry.types if t.moto_serves]
    others = [t.name for t in registry.types if not t.moto_serves]
    runs = f"{', '.join(served[:-1])} and {served[-1]}" if len(served) > 1 else ", ".join(served)
    return f"uses step types moto cannot serve ({', '.join(others)}); the demo runs {runs} steps"
