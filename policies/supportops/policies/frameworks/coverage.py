"""From findings to a per-requirement view of a framework: the control matrix.

Every finding is mapped by its ``check_id`` through the framework files (rules, checkov ids or globs,
``<kind>:<check>`` runbook ids), whatever produced it, so a compliance run, an access review, a DR
drill and a privacy request feed the same matrix (:func:`control_matrix`).

- ``manual``: MANUAL, always (no check is listed).
- Any unwaived FAIL: FAIL; else any ERROR: ERROR.
- A requirement listing runbook checks is *evidence-backed* when, for each runbook kind it names, at
  least one of its checks of that kind PASSed in the matrix. Without that evidence it is MANUAL when
  ``partial`` or when only runbook checks are listed (the run has not been done: its
  ``manualEvidence`` says which); with it, a ``partial`` requirement is PASS, since its runbook checks
  are listed there only when the runbook's evidence is the manual part.
- Otherwise ``partial``: MANUAL (rules passing never prove the procedural part); ``automated``: PASS if
  anything passed or was waived, else NOT_APPLICABLE (nothing in the stack it applies to).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from supportops.findings import (
    Automation,
    Finding,
    FrameworkResult,
    RequirementResult,
    RequirementStatus,
    Status,
)
from supportops.policies.frameworks.model import (
    Framework,
    Requirement,
    RequirementIndex,
    builtin_frameworks,
    requirement_key,
)

__all__ = ["automation_summary", "control_matrix", "coverage", "requirement_key", "tag_requirements"]


def tag_requirements(findings: Iterable[Finding], frameworks: Sequence[Framework]) -> None:
    """Add to each finding's ``requirements`` the framework requirements its check maps to (those it
    already carries are kept)."""
    index = RequirementIndex(frameworks)
    for finding in findings:
        mapped = index.requirements(finding.check_id)
        if mapped:
            finding.requirements = sorted({*finding.requirements, *mapped})


def _counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for finding in findings:
        counts["WAIVED" if finding.waived else finding.status.value] += 1
    return dict(sorted(counts.items()))


def _evidenced(requirement: Requirement, tagged: Sequence[Finding]) -> bool:
    """Each runbook kind the requirement names has a passing finding among its checks."""
    kinds = {check.split(":", 1)[0] for check in requirement.runbook_checks}
    passed = {f.check_id.split(":", 1)[0] for f in tagged
              if f.check_id in requirement.runbook_checks and f.status is Status.PASS and not f.waived}
    return kinds <= passed


def _status(requirement: Requirement, counts: dict[str, int], evidenced: bool) -> RequirementStatus:
    if requirement.automation is Automation.MANUAL:
        return RequirementStatus.MANUAL
    if counts.get(Status.FAIL.value):
        return RequirementStatus.FAIL
    if counts.get(Status.ERROR.value):
        return RequirementStatus.ERROR
    if requirement.runbook_checks:
        if not evidenced and (requirement.automation is Automation.PARTIAL
                              or not (requirement.rules or requirement.checkov)):
            return RequirementStatus.MANUAL
        if evidenced and requirement.automation is Automation.PARTIAL:
            return RequirementStatus.PASS
    if requirement.automation is Automation.PARTIAL:
        return RequirementStatus.MANUAL
    if counts.get(Status.PASS.value) or counts.get("WAIVED"):
        return RequirementStatus.PASS
    return RequirementStatus.NOT_APPLICABLE


def coverage(framework: Framework, findings: Sequence[Finding]) -> FrameworkResult:
    """Each requirement counts the findings tagged with it (every source alike)."""
    by_requirement: dict[str, list[Finding]] = {}
    for finding in findings:
        for key in finding.requirements:
            by_requirement.setdefault(key, []).append(finding)
    results = []
    for requirement in framework.requirements:
        tagged = by_requirement.get(requirement_key(framework, requirement), [])
        counts = _counts(tagged)
        listed = [c for c in requirement.checks if not any(ch in c for ch in "*?")]
        other_checks = sorted({f.check_id for f in tagged} - set(listed))
        results.append(
            RequirementResult(
                requirement_id=requirement.id,
                title=requirement.title,
                automation=requirement.automation,
                status=_status(requirement, counts, _evidenced(requirement, tagged)),
                check_ids=[*listed, *other_checks],
                counts=counts,
                manual_evidence=requirement.manual_evidence,
            )
        )
    return FrameworkResult(framework.id, framework.title, framework.version, results)


def control_matrix(
    findings: Sequence[Finding],
    frameworks: Sequence[Framework] | None = None,
    *,
    evidenced_only: bool = False,
) -> list[FrameworkResult]:
    """Tag ``findings`` and compute each framework's requirements (the shipped frameworks unless
    given). ``evidenced_only`` keeps the requirements some finding maps to and drops frameworks left
    empty: a runbook's own report shows what it evidences, not every control of every framework."""
    chosen = list(builtin_frameworks() if frameworks is None else frameworks)
    tag_requirements(findings, chosen)
    results = [coverage(framework, findings) for framework in chosen]
    if not evidenced_only:
        return results
    kept = []
    for result in results:
        result.requirements = [r for r in result.requirements if r.counts]
        if result.requirements:
            kept.append(result)
    return kept


def automation_summary(framework: Framework) -> dict[str, int]:
    """How many requirements are automated, partially automated and manual."""
    counts = Counter(r.automation.value for r in framework.requirements)
    return {a.value: counts.get(a.value, 0) for a in Automation}
