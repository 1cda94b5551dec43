"""The framework file schema and its loader: the one place requirements meet checks.

Each requirement lists the checks that evidence it, from every source: ``rules`` (our catalog's rule
ids), ``checkov`` (checkov check ids or shell globs such as ``CKV_SECRET_*``) and ``runbookChecks``
(``<kind>:<check>`` ids of the findings a runbook reports: ``access-review:iam_role_unused``,
``dr-drill:rto``, ``privacy:erasure_verified``, ``vulnerability-scan:<check>``). Nothing else maps a
check to a requirement, so adding a framework is adding one file.

A requirement is ``automated`` (its checks decide it), ``partial`` (checks plus manual evidence) or
``manual`` (procedural: people collect the evidence, no check listed). A runbook check belongs under a
``partial`` requirement only when the runbook's evidence *is* the manual part (see coverage.py). Every
file also lists, under ``unmapped``, the catalog rules it deliberately leaves out and why, so a new rule
cannot go unmapped by accident.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import Field, ValidationInfo, field_validator, model_validator

from supportops.errors import BadInput
from supportops.findings import RUNBOOK_KINDS, Automation
from supportops.loading import load_document, validate
from supportops.models import CamelInputModel, repeated
from supportops.policies.frameworks.runbook_checks import produced_checks

FRAMEWORKS_DIR = Path(__file__).resolve().parent
RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
# An exact checkov id (CKV_AWS_18, CKV2_AWS_6, CKV_SECRET_2) or a shell glob over them (CKV_SECRET_*).
CheckovId = Annotated[str, Field(pattern=r"^CKV2?_[A-Z0-9_*?]+$")]
RunbookCheckId = Annotated[str, Field(pattern=r"^(" + "|".join(RUNBOOK_KINDS) + r"):[a-z][a-z0-9_]*$")]
# Validation context key: the runbook check ids that exist (load_framework passes them).
KNOWN_RUNBOOK_CHECKS = "knownRunbookChecks"


class Requirement(CamelInputModel):
    id: Annotated[str, Field(min_length=1)]
    title: Annotated[str, Field(min_length=1)]
    automation: Automation
    rules: list[RuleId] = []
    checkov: list[CheckovId] = []
    runbook_checks: list[RunbookCheckId] = []
    manual_evidence: str = ""

    @field_validator("runbook_checks")
    @classmethod
    def _produced(cls, values: list[str], info: ValidationInfo) -> list[str]:
        known = (info.context or {}).get(KNOWN_RUNBOOK_CHECKS) if isinstance(info.context, dict) else None
        if known is None:
            return values
        unknown = [v for v in values if v not in known]
        if unknown:
            kind = unknown[0].split(":", 1)[0]
            raise ValueError(f"{unknown[0]} is not a check the {kind} runbook reports")
        return values

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for key, values in (
            ("rule", self.rules),
            ("checkov check", self.checkov),
            ("runbook check", self.runbook_checks),
        ):
            duplicates = repeated(values)
            if duplicates:
                raise ValueError(f"{key} listed twice: {', '.join(duplicates)}")
        if self.automation is Automation.MANUAL and self.checks:
            raise ValueError("a manual requirement lists no checks (use 'partial')")
        if self.automation is not Automation.MANUAL and not self.checks:
            raise ValueError(f"an {self.automation.value} requirement needs at least one check")
        needs_evidence = self.automation is not Automation.AUTOMATED or not (self.rules or self.checkov)
        if needs_evidence and not self.manual_evidence.strip():
            # a runbook-only requirement is manual until its runbook's evidence is in the matrix
            article = "an" if self.automation is Automation.AUTOMATED else "a"
            raise ValueError(f"{article} {self.automation.value} requirement needs manualEvidence")
        return self

    @property
    def checks(self) -> list[str]:
        """Every check listed, in file order: rules, checkov ids or globs, runbook checks."""
        return [*self.rules, *self.checkov, *self.runbook_checks]


class Framework(CamelInputModel):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")]
    title: Annotated[str, Field(min_length=1)]
    version: Annotated[str, Field(min_length=1)]
    reference: str = ""
    requirements: Annotated[list[Requirement], Field(min_length=1)]
    # rule id -> why this framework does not use it
    unmapped: dict[RuleId, Annotated[str, Field(min_length=1)]] = {}

    @model_validator(mode="after")
    def _unique(self) -> Self:
        ids = [r.id for r in self.requirements]
        duplicates = repeated(ids)
        if duplicates:
            raise ValueError(f"duplicate requirement ids: {', '.join(duplicates)}")
        both = sorted(set(self.unmapped) & self.mapped_rules())
        if both:
            raise ValueError(f"rules both mapped and unmapped: {', '.join(both)}")
        return self

    def mapped_rules(self) -> set[str]:
        return {rule for requirement in self.requirements for rule in requirement.rules}

    def requirements_of(self, check_id: str) -> list[Requirement]:
        return [r for r in self.requirements if maps(r, check_id)]


def maps(requirement: Requirement, check_id: str) -> bool:
    """Whether ``check_id`` (a rule, a checkov id, a ``<kind>:<check>``) evidences ``requirement``."""
    if check_id in requirement.rules or check_id in requirement.runbook_checks:
        return True
    return any(fnmatchcase(check_id, pattern) for pattern in requirement.checkov)


def requirement_key(framework: Framework, requirement: Requirement) -> str:
    return f"{framework.id}:{requirement.id}"


class RequirementIndex:
    """Check id -> ``<framework>:<requirement>`` keys, over a set of frameworks (exact ids first,
    then checkov globs): how every finding, whatever its source, gets its requirements."""

    def __init__(self, frameworks: Iterable[Framework]) -> None:
        self._exact: dict[str, list[str]] = {}
        self._globs: list[tuple[str, str]] = []
        for framework in frameworks:
            for requirement in framework.requirements:
                key = requirement_key(framework, requirement)
                for check in requirement.checks:
                    if any(c in check for c in "*?"):
                        self._globs.append((check, key))
                    else:
                        self._exact.setdefault(check, []).append(key)

    def requirements(self, check_id: str) -> list[str]:
        found = set(self._exact.get(check_id, ()))
        found.update(key for pattern, key in self._globs if fnmatchcase(check_id, pattern))
        return sorted(found)


def load_framework(path: Path) -> Framework:
    """Read and validate a framework file (strict YAML; each problem one line with its location).
    ``runbookChecks`` must name checks their runbook really reports."""
    source = str(path)
    if not path.is_file():
        raise BadInput.at(source, "", "no such file")
    document = load_document(path, source=source, fmt="yaml")
    return validate(document, Framework, context={KNOWN_RUNBOOK_CHECKS: _runbook_checks_named(document.data)})


def _runbook_checks_named(data: Any) -> frozenset[str]:
    """The known checks of the runbook kinds the file names (only those runbooks' ids are imported)."""
    kinds: set[str] = set()
    requirements = data.get("requirements") if isinstance(data, dict) else None
    for requirement in requirements if isinstance(requirements, list) else ():
        listed = requirement.get("runbookChecks") if isinstance(requirement, dict) else None
        for check in listed if isinstance(listed, list) else ():
            if isinstance(check, str) and check.split(":", 1)[0] in RUNBOOK_KINDS:
                kinds.add(check.split(":", 1)[0])
    return frozenset().union(*(produced_checks(kind) for kind in sorted(kinds)))


def builtin_framework_paths() -> list[Path]:
    """Every ``*.yaml`` of the frameworks folder: a framework is one file dropped there."""
    return sorted(FRAMEWORKS_DIR.glob("*.yaml"))


def builtin_frameworks() -> list[Framework]:
    return list(_frameworks_in(FRAMEWORKS_DIR))


@lru_cache(maxsize=4)
def _frameworks_in(directory: Path) -> tuple[Framework, ...]:
    # read once per process (every report of a run asks); keyed by folder for tests that add one
    return tuple(load_framework(path) for path in sorted(directory.glob("*.yaml")))


def builtin_index() -> RequirementIndex:
    """The index of the shipped frameworks (checkov's bridge tags its findings with it)."""
    return _index_of(FRAMEWORKS_DIR)


@lru_cache(maxsize=4)
def _index_of(directory: Path) -> RequirementIndex:
    return RequirementIndex(_frameworks_in(directory))


def select(frameworks: Iterable[Framework], framework_id: str | None) -> list[Framework]:
    frameworks = list(frameworks)
    if framework_id is None:
        return frameworks
    chosen = [f for f in frameworks if f.id == framework_id]
    if not chosen:
        known = ", ".join(f.id for f in frameworks)
        raise BadInput.at("--framework", framework_id, f"unknown framework (known: {known})")
    return chosen
