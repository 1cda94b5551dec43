"""Read and validate stack configuration, from a ``Pulumi.<stack>.yaml`` file or the running engine.

Errors come back as one line per problem naming the file, the Pulumi config key and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from supportops.errors import BadInput, InputProblem, dotted_path
from supportops.stacks.config.model import StackConfig

CONFIG_NAMESPACE = "supportops"
# Keys that hold credentials: accepted only as Pulumi secrets (`pulumi config set --secret`).
SECRET_KEYS = frozenset({"crmApiToken", "crmWebhookSigningKey"})
# Keys read from other namespaces, mapped to model fields.
_FOREIGN_KEYS = {"aws:region": "region"}
_FIELD_TO_KEY = {field: key for key, field in _FOREIGN_KEYS.items()}


def stack_file(project_dir: Path, stack: str) -> Path:
    return project_dir / f"Pulumi.{stack}.yaml"


def load_stack_config(project_dir: Path, stack: str) -> StackConfig:
    """Validate ``Pulumi.<stack>.yaml`` in ``project_dir``; raise BadInput listing every problem."""
    path = stack_file(project_dir, stack)
    source = _display(path)
    if not path.is_file():
        raise BadInput.at(source, "", f"no such stack file (is '{stack}' a stack of {project_dir}?)")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise BadInput.at(source, where, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(document, dict):
        raise BadInput.at(source, "", "expected a mapping with a 'config' key")
    raw = document.get("config") or {}
    if not isinstance(raw, dict):
        raise BadInput.at(source, "config", "expected a mapping of config keys")
    return config_from_mapping(raw, source=source, stack=stack)


def config_from_mapping(raw: Mapping[str, Any], *, source: str, stack: str | None = None) -> StackConfig:
    """Validate namespaced Pulumi config (``supportops:phase``, ``aws:region`` ...) into a StackConfig."""
    problems: list[InputProblem] = []
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        namespace, _, name = str(key).partition(":")
        if key in _FOREIGN_KEYS:
            fields[_FOREIGN_KEYS[key]] = value
        elif namespace != CONFIG_NAMESPACE or not name:
            continue  # other providers' keys are theirs to check
        elif name in SECRET_KEYS:
            if not (isinstance(value, dict) and set(value) == {"secure"}):
                problems.append(
                    InputProblem(
                        source,
                        key,
                        f"holds a credential in plain text; set it with `pulumi config set --secret {name}`",
                    )
                )
        else:
            fields[name] = value
    if stack is not None and "environment" in fields and "phase" in fields:
        expected = f"{fields['environment']}-{fields['phase']}"
        if stack.split("/")[-1] != expected:
            problems.append(
                InputProblem(
                    source,
                    f"{CONFIG_NAMESPACE}:phase",
                    f"stack '{stack}' should be named '{expected}' (<environment>-<phase>)",
                )
            )
    try:
        config = StackConfig.model_validate(fields)
    except ValidationError as exc:
        problems.extend(_problems_from(exc, source))
        config = None
    if problems:
        raise BadInput(problems)
    assert config is not None
    return config


def _problems_from(exc: ValidationError, source: str) -> list[InputProblem]:
    problems = []
    for error in exc.errors():
        loc = [part for part in error["loc"] if part not in ("function-after",)]
        key = _key_for(loc)
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key"
        elif error["type"] == "missing":
            message = "required key is missing"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        elif (
            error["type"] not in ("value_error",)
            and "input" in error
            and not isinstance(error["input"], dict | list)
        ):
            message = f"{message} (got {error['input']!r})"
        problems.append(InputProblem(source, key, message))
    return problems


def _key_for(loc: list[int | str]) -> str:
    if not loc:
        return f"{CONFIG_NAMESPACE}:<stack config>"
    head, *rest = loc
    return dotted_path(rest, prefix=_FIELD_TO_KEY.get(str(head), f"{CONFIG_NAMESPACE}:{head}"))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
