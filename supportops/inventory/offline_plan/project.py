"""Read a Pulumi project (Pulumi.yaml) and a stack's config file the way the engine would.

Both files are read by :mod:`supportops.loading` (strict YAML: duplicate keys, alias bombs, deep
nesting, non-UTF-8 refused, every problem one line with its line and column). A ``secure:`` value must
be what Pulumi writes for a secret: anything else would be planned as a secret it is not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ConfigDict

from supportops.errors import BadInput
from supportops.inventory.model import REDACTED, is_ciphertext
from supportops.loading import Document, display_path, load_document, load_model
from supportops.models import InputModel


class _Runtime(InputModel):
    model_config = ConfigDict(extra="allow")  # Pulumi's own keys: not ours to refuse
    name: str
    options: dict[str, Any] = {}


class ProjectFile(InputModel):
    """The parts of Pulumi.yaml the offline plan needs (Pulumi's other keys are left to Pulumi)."""

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
    project = load_model(path, ProjectFile, source=display_path(path), fmt="yaml")
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
    document = load_document(path, source=display_path(path), fmt="yaml")
    for key, value in _config_of(document).items():
        full = key if ":" in key else f"{project.name}:{key}"
        if isinstance(value, dict) and "secure" in value:
            if set(value) != {"secure"} or not is_ciphertext(value["secure"]):
                raise document.problem(
                    ["config", key, "secure"],
                    "not a value Pulumi encrypted (value hidden); set it with `pulumi config set --secret`",
                )
            values[full] = REDACTED
            secret_keys.append(full)
            plain.pop(full, None)
        else:
            values[full] = _as_config_string(value)
            plain[full] = value
    return StackSettings(values=values, secret_keys=secret_keys, plain=plain)


def _as_config_string(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _config_of(document: Document) -> dict[str, Any]:
    data = {} if document.data is None else document.data
    if not isinstance(data, dict):
        raise document.problem([], "expected a mapping with a 'config' key")
    raw = data.get("config") or {}
    if not isinstance(raw, dict):
        raise document.problem(["config"], "expected a mapping of config keys")
    for key in raw:
        if not isinstance(key, str):
            raise document.problem(["config"], f"config keys are text, not {type(key).__name__}")
    return raw
