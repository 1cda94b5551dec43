"""The drill's cleanup stack: every side effect registers how to undo it *before* it happens; the
stack runs last-in first-out in the executor's ``finally`` (also after SIGTERM/SIGINT), each action
on its own, so one failure never skips the rest. Actions are idempotent: "already gone" is success."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from supportops.polling import Deadline
from supportops.runbooks.dr.aws import describe_error

CleanupAction = Callable[[Deadline], object]


@dataclass
class _Entry:
    step: str
    resource: str
    action: str
    run: CleanupAction


@dataclass
class CleanupStack:
    entries: list[_Entry] = field(default_factory=list)
    results: list[dict[str, Any]] = field(default_factory=list)

    def register(self, step: str, resource: str, action: str, run: CleanupAction) -> None:
        self.entries.append(_Entry(step, resource, action, run))

    def run_all(self, seconds: float, on_event: Callable[[str, str, dict[str, Any]], object]) -> bool:
        """Run every action (newest first) within ``seconds`` overall; True when all succeeded."""
        deadline = Deadline(seconds)
        ok = True
        while self.entries:
            entry = self.entries.pop()
            result: dict[str, Any] = {"step": entry.step, "resource": entry.resource, "action": entry.action}
            try:
                entry.run(deadline)
            except Exception as exc:  # every action runs, whatever the one before did
                ok = False
                result.update(status="failed", error=describe_error(exc))
            else:
                result["status"] = "done"
            self.results.append(result)
            on_event(entry.step, f"cleanup {result['status']}: {entry.action} {entry.resource}", result)
        return ok

    @property
    def failures(self) -> list[dict[str, Any]]:
        return [r for r in self.results if r["status"] != "done"]
