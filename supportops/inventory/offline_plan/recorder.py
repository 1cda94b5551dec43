"""A mock monitor that records what the engine would be told about every resource.

``Mocks.new_resource`` does not see parents, dependencies or providers; the monitor's
RegisterResource request does, so we record there and then let the mock monitor answer as usual.
It also tells the watchdog what is happening: when the last request arrived, and which requests are
being answered right now (a request that never returns names the resource that is stuck).
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.sync_await import _ensure_event_loop

from supportops.inventory.model import STACK_TYPE, provider_urn
from supportops.inventory.offline_plan.mocks import PlanMocks
from supportops.inventory.offline_plan.references import downgrade_references
from supportops.inventory.offline_plan.urns import normalize_urn
from supportops.inventory.offline_plan.values import to_inventory_value

# Packages whose resources the planner models; any other provider's resources are recorded with
# their inputs but "not evaluated" (their outputs are placeholders, a remote component's children
# are missing).
EVALUATED_PACKAGES = frozenset({"aws", "aws-native", "pulumi"})


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    custom: bool
    parent: str | None
    dependencies: list[str]
    provider: str | None
    inputs: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)
    id: str | None = None
    invented: list[str] = field(default_factory=list)
    evaluated: bool = True


class RecordingMonitor(MockMonitor):
    """MockMonitor that keeps an ordered record of registrations and the root stack's outputs."""

    def __init__(self, mocks: PlanMocks) -> None:
        super().__init__(mocks)
        self.plan_mocks = mocks
        self.registrations: dict[str, Registration] = {}
        self.stack_outputs: dict[str, Any] = {}
        self.notes: list[str] = []
        self.last_progress = time.monotonic()
        # thread id -> what that thread is answering, for the watchdog's message
        self.in_flight: dict[int, str] = {}
        # event loops the SDK creates in executor threads; closed after the run
        self.thread_loops: set[asyncio.AbstractEventLoop] = set()
        self._lock = threading.Lock()

    def _begin(self, what: str) -> None:
        loop = _ensure_event_loop()  # type: ignore[no-untyped-call]
        with self._lock:
            self.last_progress = time.monotonic()
            self.in_flight[threading.get_ident()] = what
            if threading.current_thread() is not threading.main_thread():
                self.thread_loops.add(loop)

    def _end(self) -> None:
        with self._lock:
            self.last_progress = time.monotonic()
            self.in_flight.pop(threading.get_ident(), None)

    def RegisterResource(self, request: Any) -> Any:
        urn = normalize_urn(self.make_urn(request.parent, request.type, request.name))
        self._begin(f"{request.name} ({request.type})")
        try:
            for downgrade in downgrade_references(request.object):
                self.notes.append(downgrade.explain(f"{request.name} ({request.type})"))
            return self._register(request, urn)
        finally:
            self._end()

    def _register(self, request: Any, urn: str) -> Any:
        inputs = rpc.deserialize_properties(request.object, keep_unknowns=True)
        package = request.type.split(":", 1)[0]
        registration = Registration(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=normalize_urn(request.parent) or None,
            dependencies=sorted({normalize_urn(d) for d in request.dependencies}),
            provider=normalize_urn(provider_urn(request.provider) or "") or None,
            inputs=to_inventory_value(inputs),
            evaluated=(package in EVALUATED_PACKAGES) if request.custom else not request.remote,
        )
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != STACK_TYPE:
            state = self.resources.get(self.make_urn(request.parent, request.type, request.name))
            if state is not None:
                registration.id = state.id
                registration.outputs = to_inventory_value(state.state)
            filled = self.plan_mocks.filled.get((request.type, request.name), [])
            registration.invented = self._invented(registration, filled)
        with self._lock:
            self.registrations[urn] = registration
        return response

    def _invented(self, registration: Registration, filled: list[str]) -> list[str]:
        inventor = self.plan_mocks.inventor
        paths = {f"outputs.{name}" for name in filled}
        paths.update(inventor.invented_paths("inputs", registration.inputs))
        for path in inventor.invented_paths("outputs", registration.outputs):
            if not any(path.startswith(p + ".") for p in paths):
                paths.add(path)
        return sorted(paths)

    def Invoke(self, request: Any) -> Any:
        self._begin(f"data source {request.tok}")
        try:
            downgrade_references(request.args)
            return super().Invoke(request)  # type: ignore[no-untyped-call]
        finally:
            self._end()

    def RegisterResourceOutputs(self, request: Any) -> Any:
        with self._lock:
            self.last_progress = time.monotonic()
        urn = normalize_urn(request.urn)
        if urn.split("::")[2:3] == [STACK_TYPE]:
            outputs = rpc.deserialize_properties(request.outputs, keep_unknowns=True)
            self.stack_outputs = to_inventory_value(outputs)
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]
