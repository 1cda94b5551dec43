"""Verdicts: what a check says about one resource, turned into findings by :func:`each`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from supportops.findings import Evidence, Finding, Status
from supportops.inventory.model import MISSING, UNKNOWN, Resource
from supportops.loading import bounded
from supportops.policies.relations.policy_documents import PolicyDocument, open_statements
from supportops.policies.relations.typed import Malformed, Unknown
from supportops.policies.rule import EvaluationContext, RuleMeta


@dataclass(frozen=True, slots=True)
class Verdict:
    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()


def passed(message: str, *evidence: Evidence) -> Verdict:
    return Verdict(Status.PASS, message, evidence)


def failed(message: str, *evidence: Evidence) -> Verdict:
    return Verdict(Status.FAIL, message, evidence)


def not_applicable(message: str, *evidence: Evidence) -> Verdict:
    return Verdict(Status.NOT_APPLICABLE, message, evidence)


def errored(message: str, *evidence: Evidence) -> Verdict:
    return Verdict(Status.ERROR, message, evidence)


def unknown(path: str) -> Verdict:
    """The value is unknown until apply (preview): neither a pass nor a fail."""
    return Verdict(Status.NOT_APPLICABLE, f"{path} is unknown until apply", (Evidence(path, "<unknown>"),))


def malformed(exc: Malformed) -> Verdict:
    """FAIL when the value is itself a violation (out of range), else ERROR; never a PASS."""
    evidence = Evidence(exc.path, exc.observed, exc.expected)
    if exc.violation:
        return failed(f"{exc.path} {exc.problem}: {exc.observed}", evidence)
    return errored(f"{exc.path} {exc.problem}, cannot evaluate: {exc.observed}", evidence)


def ev(path: str, observed: Any, expected: str | None = None) -> Evidence:
    return Evidence(path, _shown(observed), expected)


def _shown(value: Any) -> Any:
    if value is MISSING:
        return None
    if isinstance(value, str) and value == UNKNOWN:
        return "<unknown>"
    return value


def principals_verdict(document: PolicyDocument, path: str, open_message: str, named_message: str) -> Verdict:
    """FAIL (listing the Sids) when an Allow has a wildcard principal and no constraining condition."""
    statements = open_statements(document)
    if statements:
        sids = [s.sid or "(no Sid)" for s in statements]
        return failed(open_message, ev(path, sids, "named principals or a constraining condition"))
    return passed(named_message)


Check = Callable[[Resource], Verdict | None]


def each(
    context: EvaluationContext,
    meta: RuleMeta,
    check: Check,
    types: tuple[str, ...] | None = None,
) -> Iterator[Finding]:
    """Run ``check`` over the resources of the rule's types; a check returning None skips the
    resource (not in scope); a value the check cannot interpret becomes ERROR, never PASS/FAIL."""
    for resource in context.inventory.of_type(*(types or meta.resource_types)):
        try:
            verdict = check(resource)
        except Unknown as exc:
            verdict = unknown(exc.path)
        except Malformed as exc:
            verdict = malformed(exc)
        except (TypeError, ValueError, KeyError, AttributeError, IndexError) as exc:
            reason = bounded(str(exc), 200).strip("'\"")
            verdict = errored(f"cannot interpret the resource's properties: {type(exc).__name__}: {reason}")
        if verdict is not None:
            yield context.finding(meta, resource, verdict.status, verdict.message, verdict.evidence)
