"""From findings to a per-requirement view of a framework.

A manual requirement is MANUAL; a partial one is FAIL/ERROR when its rules say so and otherwise
MANUAL (the procedural part still needs evidence): neither ever shows as PASS. An automated
requirement is FAIL if any finding fails unwaived, else ERROR if any could not be evaluated, else
PASS if anything passed, else NOT_APPLICABLE (nothing in the stack it applies to).
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
from supportops.policies.frameworks.model import Framework, Requirement


def requirement_key(framework: Framework, requirement: Requirement) -> str:
    return f"{framework.id}:{requirement.id}"


def tag_requirements(findings: Iterable[Finding], frameworks: Sequence[Framework]) -> None:
    """Add to each finding's ``requirements`` the framework requirements its rule maps to (findings
    from other sources, such as checkov, arrive with requirements of their own and keep them)."""
    index: dict[str, list[str]] = {}
    for framework in frameworks:
        for requirement in framework.requirements:
            for rule in requirement.rules:
                index.setdefault(rule, []).append(requirement_key(framework, requirement))
    for finding in findings:
        mapped = index.get(finding.check_id, ())
        if mapped:
            finding.requirements = sorted({*finding.requirements, *mapped})


def _counts(findings: Iterable[Finding]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for finding in findings:
        counts["WAIVED" if finding.waived else finding.status.value] += 1
    return dict(sorted(counts.items()))


def _status(requirement: Requirement, counts: dict[str, int]) -> RequirementStatus:
    if requirement.automation is Automation.MANUAL:
        return RequirementStatus.MANUAL
    if counts.get(Status.FAIL.value):
        return RequirementStatus.FAIL
    if counts.get(Status.ERROR.value):
        return RequirementStatus.ERROR
    if requirement.automation is Automation.PARTIAL:
        return RequirementStatus.MANUAL
    if counts.get(Status.PASS.value) or counts.get("WAIVED"):
        return RequirementStatus.PASS
    return RequirementStatus.NOT_APPLICABLE


def coverage(framework: Framework, findings: Sequence[Finding]) -> FrameworkResult:
    """Each requirement counts the findings tagged with it (our rules and checkov's checks alike)."""
    by_requirement: dict[str, list[Finding]] = {}
    for finding in findings:
        for key in finding.requirements:
            by_requirement.setdefault(key, []).append(finding)
    results = []
    for requirement in framework.requirements:
        tagged = by_requirement.get(requirement_key(framework, requirement), [])
        counts = _counts(tagged)
        other_checks = sorted({f.check_id for f in tagged} - set(requirement.rules))
        results.append(
            RequirementResult(
                requirement_id=requirement.id,
                title=requirement.title,
                automation=requirement.automation,
                status=_status(requirement, counts),
                check_ids=[*requirement.rules, *other_checks],
                counts=counts,
                manual_evidence=requirement.manual_evidence,
            )
        )
    return FrameworkResult(framework.id, framework.title, framework.version, results)


def automation_summary(framework: Framework) -> dict[str, int]:
    """How many requirements are automated, partially automated and manual."""
    counts = Counter(r.automation.value for r in framework.requirements)
    return {a.value: counts.get(a.value, 0) for a in Automation}
