"""Read DR runbooks through the core loader: every problem one line "FILE: line L, column C: path: problem".

The runbook model is the registry's (its ``steps`` are exactly the registered step types); an unknown
or missing step ``type`` names the known ones.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from supportops.errors import BadInput, InputProblem
from supportops.loading import Document, bounded, load_document, problems_from
from supportops.runbooks.dr.schema import Runbook
from supportops.runbooks.dr.steps.registry import REGISTRY, StepRegistry

RUNBOOK_DIR = Path(__file__).resolve().parent


def bundled_runbooks() -> list[Path]:
    """The runbooks shipped with the toolkit, one per protected data store."""
    return sorted(RUNBOOK_DIR.glob("*.yaml"))


def resolve_runbook_path(name_or_path: str) -> Path:
    """A path, or the name of a bundled runbook (``crm-idempotency`` -> runbooks/dr/crm-idempotency.yaml)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    bundled = RUNBOOK_DIR / f"{name_or_path}.yaml"
    if "/" not in name_or_path and bundled.is_file():
        return bundled
    known = ", ".join(p.stem for p in bundled_runbooks())
    raise BadInput.at(name_or_path, "", f"no such runbook file or bundled runbook (bundled: {known})")


def load_runbook(path: Path, registry: StepRegistry = REGISTRY) -> Runbook:
    document = load_document(path, fmt="yaml")  # JSON is YAML: a .json runbook reads the same
    if not isinstance(document.data, dict):
        raise document.problem([], "expected a mapping with name, steps ...")
    try:
        return registry.runbook_model.model_validate(document.data)
    except ValidationError as exc:
        raise BadInput(_problems(exc, document, registry)) from None
    except RecursionError:
        raise document.problem([], "nested too deeply to validate") from None


def _problems(exc: ValidationError, document: Document, registry: StepRegistry) -> list[InputProblem]:
    """The core loader's located problems, with the step-type errors spelled for a runbook author."""
    known = ", ".join(registry.names)
    problems = problems_from(exc, document)
    for index, error in enumerate(exc.errors(include_url=False)):
        loc = list(error["loc"])
        if len(loc) >= 3 and loc[0] == "steps" and loc[2] in registry.names:
            # pydantic names the union member (``steps[0].rds-pitr``) after the step: not a key of
            # the file. Locate the step's own problem (e.g. a model validator's) at the step.
            where = document.where([*loc[:2], *loc[3:]])
            problems[index] = InputProblem(document.source, where, problems[index].problem)
        if error["type"] not in ("union_tag_invalid", "union_tag_not_found"):
            continue
        path = list(error["loc"])  # ("steps", n): the step whose type is wrong
        if error["type"] == "union_tag_invalid":
            tag = error["input"].get("type") if isinstance(error["input"], dict) else None
            where = document.where([*path, "type"])
            message = f"unknown step type {bounded(tag)}; known: {known}"
            problems[index] = InputProblem(document.source, where, message)
        else:
            where = document.where(path)
            problems[index] = InputProblem(document.source, where, f"step has no 'type'; known: {known}")
    return problems
