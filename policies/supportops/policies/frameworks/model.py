"""The framework file schema and its loader.

A requirement is ``automated`` (rules decide it), ``partial`` (rules plus manual evidence) or
``manual`` (procedural: people collect the evidence). Every file also lists, under ``unmapped``, the
catalog rules it deliberately leaves out and why, so a new rule cannot go unmapped by accident.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Self

from pydantic import Field, model_validator

from supportops.errors import BadInput
from supportops.findings import Automation
from supportops.loading import load_model
from supportops.models import CamelInputModel

FRAMEWORKS_DIR = Path(__file__).resolve().parent
RuleId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Requirement(CamelInputModel):
    id: Annotated[str, Field(min_length=1)]
    title: Annotated[str, Field(min_length=1)]
    automation: Automation
    rules: list[RuleId] = []
    manual_evidence: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        duplicates = sorted({r for r in self.rules if self.rules.count(r) > 1})
        if duplicates:
            raise ValueError(f"rule listed twice: {', '.join(duplicates)}")
        if self.automation is Automation.MANUAL and self.rules:
            raise ValueError("a manual requirement lists no rules (use 'partial')")
        if self.automation is not Automation.MANUAL and not self.rules:
            raise ValueError(f"an {self.automation.value} requirement needs at least one rule")
        if self.automation is not Automation.AUTOMATED and not self.manual_evidence.strip():
            raise ValueError(f"a {self.automation.value} requirement needs manualEvidence")
        return self


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
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate requirement ids: {', '.join(duplicates)}")
        both = sorted(set(self.unmapped) & self.mapped_rules())
        if both:
            raise ValueError(f"rules both mapped and unmapped: {', '.join(both)}")
        return self

    def mapped_rules(self) -> set[str]:
        return {rule for requirement in self.requirements for rule in requirement.rules}

    def requirements_of(self, rule_id: str) -> list[Requirement]:
        return [r for r in self.requirements if rule_id in r.rules]


def load_framework(path: Path) -> Framework:
    """Read and validate a framework file (strict YAML; each problem one line with its location)."""
    source = str(path)
    if not path.is_file():
        raise BadInput.at(source, "", "no such file")
    return load_model(path, Framework, source=source, fmt="yaml")


def builtin_framework_paths() -> list[Path]:
    return sorted(FRAMEWORKS_DIR.glob("*.yaml"))


def builtin_frameworks() -> list[Framework]:
    return [load_framework(path) for path in builtin_framework_paths()]


def select(frameworks: Iterable[Framework], framework_id: str | None) -> list[Framework]:
    frameworks = list(frameworks)
    if framework_id is None:
        return frameworks
    chosen = [f for f in frameworks if f.id == framework_id]
    if not chosen:
        known = ", ".join(f.id for f in frameworks)
        raise BadInput.at("--framework", framework_id, f"unknown framework (known: {known})")
    return chosen
