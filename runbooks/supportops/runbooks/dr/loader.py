"""Read DR runbooks: YAML -> :class:`Runbook`, every problem as one line "FILE: LOCATION: problem"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from supportops.errors import BadInput, InputProblem, dotted_path
from supportops.runbooks.dr.schema import STEP_TYPES, Runbook

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


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_runbook(path: Path) -> Runbook:
    source = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput.at(source, "", f"cannot read runbook ({exc})") from None
    try:
        node, document = _parse(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise BadInput.at(source, where, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(document, dict):
        raise BadInput.at(source, "", "expected a mapping with name, steps ...")
    try:
        return Runbook.model_validate(document)
    except ValidationError as exc:
        raise BadInput(_problems(exc, source, node, document)) from None


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers) and the document built from it."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def _problems(exc: ValidationError, source: str, node: yaml.Node | None, document: Any) -> list[InputProblem]:
    problems = []
    for error in exc.errors():
        path = _document_path(error["loc"], document)
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "missing":
            message = "required key is missing"
        elif error["type"] == "union_tag_invalid":
            message = f"unknown step type {error['input'].get('type')!r}; known: {', '.join(STEP_TYPES)}"
        elif error["type"] == "union_tag_not_found":
            message = f"step has no 'type'; known: {', '.join(STEP_TYPES)}"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        elif "input" in error and not isinstance(error["input"], dict | list):
            message = f"{message} (got {error['input']!r})"
        location = dotted_path(path)
        line = _line_of(node, path)
        if line is not None:
            location = f"line {line}: {location}" if location else f"line {line}"
        problems.append(InputProblem(source, location, message))
    return problems


def _document_path(loc: tuple[int | str, ...], document: Any) -> list[int | str]:
    """Drop pydantic's union tags from ``loc`` so it names keys of the YAML document."""
    path: list[int | str] = []
    current = document
    for part in loc:
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and isinstance(part, str) and part in STEP_TYPES:
            continue  # the discriminator value pydantic inserts
        else:
            path.append(part)
            current = None
    return path


def _line_of(node: yaml.Node | None, path: list[int | str]) -> int | None:
    current = node
    line = None
    for part in path:
        if isinstance(current, yaml.MappingNode):
            match = next((v for k, v in current.value if getattr(k, "value", None) == part), None)
            if match is None:
                break
            line = next(k for k, v in current.value if v is match).start_mark.line + 1
            current = match
        elif isinstance(current, yaml.SequenceNode) and isinstance(part, int) and part < len(current.value):
            current = current.value[part]
            line = current.start_mark.line + 1
        else:
            break
    if line is None and current is not None:
        line = current.start_mark.line + 1
    return line
