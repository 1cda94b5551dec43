"""Read and validate stack configuration, from a ``Pulumi.<stack>.yaml`` file or the running engine.

Errors come back as one line per problem naming the file, the line and column (for a file) and the
Pulumi config key (``supportops:resilience.rpoMinutes``), and why. The file is read by
:mod:`supportops.loading` (strict YAML 1.2: duplicate keys, alias bombs and over-deep nesting refused).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from supportops.errors import BadInput, InputProblem, dotted_path
from supportops.inventory.model import is_ciphertext
from supportops.loading import Document, display_path, load_document, problems_from
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
    source = display_path(path)
    if not path.is_file():
        raise BadInput.at(source, "", f"no such stack file (is '{stack}' a stack of {project_dir}?)")
    document = load_document(path, source=source, fmt="yaml")
    data = {} if document.data is None else document.data
    if not isinstance(data, dict):
        raise document.problem([], "expected a mapping with a 'config' key")
    raw = data.get("config") or {}
    if not isinstance(raw, dict):
        raise document.problem(["config"], "expected a mapping of config keys")
    located = Document(source, raw, _value_node(document.node, "config"))
    return config_from_mapping(raw, source=source, stack=stack, document=located)


def _value_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value if getattr(k, "value", None) == key), None)


def config_from_mapping(
    raw: Mapping[str, Any],
    *,
    source: str,
    stack: str | None = None,
    document: Document | None = None,
) -> StackConfig:
    """Validate namespaced Pulumi config (``supportops:phase``, ``aws:region`` ...) into a StackConfig.

    With ``document`` (the ``config`` mapping of a stack file) problems carry their line and column,
    and secret keys must hold Pulumi ciphertext; without it (config handed over by the engine or read
    from a preview, secrets already decrypted or blinded) a ``secure`` marker is enough."""

    def where(path: Sequence[int | str]) -> str:
        return document.where(path) if document is not None else dotted_path(path)

    problems: list[InputProblem] = []
    fields: dict[str, Any] = {}
    for key, value in raw.items():
        namespace, _, name = str(key).partition(":")
        if key in _FOREIGN_KEYS:
            fields[_FOREIGN_KEYS[key]] = value
        elif namespace != CONFIG_NAMESPACE or not name:
            continue  # other providers' keys are theirs to check
        elif name in SECRET_KEYS:
            problem = _secret_problem(name, value, ciphertext=document is not None)
            if problem:
                problems.append(InputProblem(source, where([key]), problem))
        else:
            fields[name] = value
    if stack is not None and "environment" in fields and "phase" in fields:
        expected = f"{fields['environment']}-{fields['phase']}"
        if stack.split("/")[-1] != expected:
            problems.append(
                InputProblem(
                    source,
                    where([f"{CONFIG_NAMESPACE}:phase"]),
                    f"stack '{stack}' should be named '{expected}' (<environment>-<phase>)",
                )
            )
    try:
        config = StackConfig.model_validate(fields)
    except ValidationError as exc:
        located = document or Document(source, raw)
        problems.extend(problems_from(exc, located, fields, rename=lambda path: _key_path(path, where)))
        config = None
    if problems:
        raise BadInput(problems)
    assert config is not None
    return config


def _secret_problem(name: str, value: Any, *, ciphertext: bool) -> str | None:
    hint = f"set it with `pulumi config set --secret {name}`"
    if not (isinstance(value, dict) and set(value) == {"secure"}):
        return f"holds a credential in plain text; {hint}"
    secure = value["secure"]
    if not isinstance(secure, str) or (ciphertext and not is_ciphertext(secure)):
        return f"secure: is not a value Pulumi encrypted (value hidden); {hint}"
    return None


def _key_path(path: Sequence[int | str], where: Any) -> str:
    """A model field path as the config key the user wrote (``rpoMinutes`` under ``supportops:resilience``),
    with its line and column when the file is known."""
    if not path:
        return f"{CONFIG_NAMESPACE}:<stack config>"
    head, *rest = path
    key = _FIELD_TO_KEY.get(str(head), f"{CONFIG_NAMESPACE}:{head}")
    return str(where([key, *rest]))
