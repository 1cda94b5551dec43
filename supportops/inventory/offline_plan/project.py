"""Read a Pulumi project (Pulumi.yaml) and a stack's config file the way the engine would."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from supportops.errors import BadInput
from supportops.inventory.model import REDACTED


class _Runtime(BaseModel):
    model_config = ConfigDict(extra="allow")
    name: str
    options: dict[str, Any] = {}


class ProjectFile(BaseModel):
    """The parts of Pulumi.yaml the offline plan needs."""

    model_config = ConfigDict(extra="allow")
    name: str
    runtime: str | _Runtime
    main: str | None = None
    config: dict[str, Any] = {}

    @property
    def runtime_name(self) -> str:
        return self.runtime if isinstance(self.runtime, str) else self.runtime.name


@dataclass(frozen=True)
class StackSettings:
    """Config of one stack, as the engine hands it to the program (values are strings)."""

    values: dict[str, str]
    secret_keys: list[str]
    plain: dict[str, Any]  # non-secret values as written, for the inventory


def read_project(project_dir: Path) -> ProjectFile:
    path = project_dir / "Pulumi.yaml"
    if not path.is_file():
        raise BadInput.at(path, "", "no Pulumi.yaml: --project must name a Pulumi project directory")
    document = _load_yaml(path)
    try:
        project = ProjectFile.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise BadInput.at(path, ".".join(str(p) for p in error["loc"]), error["msg"]) from None
    if project.runtime_name != "python":
        raise BadInput.at(
            path,
            "runtime",
            f"'{project.runtime_name}' projects cannot be planned offline; only Python programs can",
        )
    return project


def program_path(project_dir: Path, project: ProjectFile) -> Path:
    main = project_dir / (project.main or ".")
    if main.is_dir():
        main = main / "__main__.py"
    if not main.is_file():
        raise BadInput.at(project_dir / "Pulumi.yaml", "main", f"program {main} does not exist")
    return main


def read_stack_settings(project_dir: Path, project: ProjectFile, stack: str) -> StackSettings:
    """Merge project config defaults and Pulumi.<stack>.yaml. Secret values are not decryptable
    offline: the program sees a placeholder and knows the key is secret."""
    values: dict[str, str] = {}
    plain: dict[str, Any] = {}
    secret_keys: list[str] = []
    for key, spec in project.config.items():
        full = key if ":" in key else f"{project.name}:{key}"
        default = spec.get("default") if isinstance(spec, dict) else spec
        if default is not None:
            values[full] = _as_config_string(default)
            plain[full] = default
    path = project_dir / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        raise BadInput.at(path, "", f"no such stack file (is '{stack}' a stack of {project_dir}?)")
    document = _load_yaml(path) or {}
    raw = document.get("config") if isinstance(document, dict) else None
    for key, value in (raw or {}).items():
        full = key if ":" in key else f"{project.name}:{key}"
        if isinstance(value, dict) and set(value) == {"secure"}:
            values[full] = REDACTED
            secret_keys.append(full)
            plain.pop(full, None)
        else:
            values[full] = _as_config_string(value)
            plain[full] = value
    return StackSettings(values=values, secret_keys=secret_keys, plain=plain)


def _as_config_string(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise BadInput.at(path, where, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
