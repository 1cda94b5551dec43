"""A mock monitor that records what the engine would be told about every resource.

``Mocks.new_resource`` does not see parents, dependencies or providers; the monitor's
RegisterResource request does, so we record there and then let the mock monitor answer as usual.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.sync_await import _ensure_event_loop

from supportops.inventory.model import STACK_TYPE, provider_urn
from supportops.inventory.offline_plan.urns import normalize_urn
from supportops.inventory.offline_plan.values import to_inventory_value


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


class RecordingMonitor(MockMonitor):
    """MockMonitor that keeps an ordered record of registrations and the root stack's outputs."""

    def __init__(self, mocks: Any) -> None:
        super().__init__(mocks)
        self.registrations: dict[str, Registration] = {}
        self.stack_outputs: dict[str, Any] = {}
        self._lock = threading.Lock()

    def RegisterResource(self, request: Any) -> Any:
        _ensure_event_loop()  # type: ignore[no-untyped-call]
        urn = normalize_urn(self.make_urn(request.parent, request.type, request.name))
        inputs = rpc.deserialize_properties(request.object, keep_unknowns=True)
        registration = Registration(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=bool(request.custom),
            parent=normalize_urn(request.parent) or None,
            dependencies=sorted({normalize_urn(d) for d in request.dependencies}),
            provider=normalize_urn(provider_urn(request.provider) or "") or None,
            inputs=to_inventory_value(inputs),
        )
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if request.type != STACK_TYPE:
            state = self.resources.get(self.make_urn(request.parent, request.type, request.name))
            if state is not None:
                registration.id = state.id
                registration.outputs = to_inventory_value(state.state)
        with self._lock:
            self.registrations[urn] = registration
        return response

    def RegisterResourceOutputs(self, request: Any) -> Any:
        urn = normalize_urn(request.urn)
        if urn.split("::")[2:3] == [STACK_TYPE]:
            outputs = rpc.deserialize_properties(request.outputs, keep_unknowns=True)
            self.stack_outputs = to_inventory_value(outputs)
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]
