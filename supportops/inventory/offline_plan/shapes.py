"""What a provider's SDK says a resource or a data source returns, read from the SDK itself.

pulumi-aws ships no schema file; its Python SDK carries the same information: every resource class
and every ``Get*Result`` class declares its outputs as ``@pulumi.getter`` properties whose return
annotations are the output types (``Output[Sequence[CertificateDomainValidationOption]]``). We look
a class up by its type token only among modules the program already imported (or can import), and
cache what we learn: one look-up per class per process.
"""

from __future__ import annotations

import enum
import functools
import importlib
import inspect
import keyword
import sys
import types
import typing
from dataclasses import dataclass
from typing import Any

from pulumi import _types as pulumi_types
from pulumi.output import Output


@dataclass(frozen=True, slots=True)
class Field:
    """One output property: its Pulumi (camelCase) name, its type, and whether it may be absent."""

    name: str
    hint: Any
    optional: bool
    python_name: str = ""
    deprecated: bool = False


def python_package(package: str) -> str:
    """``aws-native`` → ``pulumi_aws_native``, as every Pulumi Python SDK is named."""
    return "pulumi_" + package.replace("-", "_")


def _module(fqn: str) -> types.ModuleType | None:
    module = sys.modules.get(fqn)
    if module is not None:
        return module
    try:
        return importlib.import_module(fqn)
    except Exception:  # an SDK that is not installed, or fails to import: nothing to learn
        return None


def _split(token: str) -> tuple[str, str, str]:
    """``aws:s3/bucket:Bucket`` → (``pulumi_aws.s3``, ``Bucket``, ``bucket``)."""
    package, _, rest = token.partition(":")
    module_path, _, member = rest.partition(":")
    module = module_path.split("/")[0]
    if keyword.iskeyword(module):  # `lambda` is the SDK's `lambda_`
        module += "_"
    fqn = python_package(package) if module in ("", "index") else f"{python_package(package)}.{module}"
    return fqn, member, module_path.split("/")[-1]


@functools.cache
def resource_class(token: str) -> type | None:
    fqn, member, _ = _split(token)
    module = _module(fqn)
    cls = getattr(module, member, None) if module is not None else None
    return cls if isinstance(cls, type) else None


@functools.cache
def invoke_result_class(token: str) -> type | None:
    """``aws:ec2/getAmi:getAmi`` → ``pulumi_aws.ec2.GetAmiResult``."""
    fqn, member, _ = _split(token)
    module = _module(fqn)
    if module is None or not member:
        return None
    cls = getattr(module, member[:1].upper() + member[1:] + "Result", None)
    return cls if isinstance(cls, type) else None


def _strip(hint: Any) -> tuple[Any, bool]:
    """The type inside ``Output[...]`` / ``Optional[...]``, and whether None was allowed."""
    optional = False
    while True:
        origin = typing.get_origin(hint)
        if origin is Output or hint is Output:
            args = typing.get_args(hint)
            hint = args[0] if args else Any
            continue
        if origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(hint) if a is not type(None)]
            optional = optional or len(members) < len(typing.get_args(hint))
            hint = members[0] if members else Any
            continue
        return hint, optional


@functools.cache
def fields(cls: type) -> tuple[Field, ...]:
    """The output properties of a resource or output-type class, in declaration order."""
    result = []
    for _python_name, pulumi_name, prop in pulumi_types._py_properties(cls):
        try:
            hint = typing.get_type_hints(prop.fget).get("return", Any)
        except Exception:  # an annotation the SDK cannot resolve: shape unknown, value not needed
            continue
        inner, optional = _strip(hint)
        # pulumi-aws tags deprecated getters (e.g. Bucket.website_endpoint, set only for a website).
        deprecated = "_pulumi_deprecated_callable" in getattr(prop.fget, "__dict__", {})
        result.append(Field(pulumi_name, inner, optional, _python_name, deprecated))
    return tuple(result)


@functools.cache
def input_names(resource_cls: type) -> frozenset[str]:
    """The resource's input properties (Python names, the keyword parameters of its generated
    ``_internal_init``): an output that is also an input and was not given is left to the
    provider's default, never invented."""
    init = getattr(resource_cls, "_internal_init", None)
    if init is None:
        return frozenset()
    try:
        parameters = inspect.signature(init).parameters
    except (TypeError, ValueError):
        return frozenset()
    return frozenset(parameters) - {"__self__", "self", "resource_name", "opts", "__props__"}


def is_output_type(hint: Any) -> bool:
    return isinstance(hint, type) and bool(pulumi_types.is_output_type(hint))


def is_enum(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, enum.Enum)


def sequence_item(hint: Any) -> Any | None:
    """The item type of ``Sequence[X]`` / ``list[X]``, else None."""
    origin = typing.get_origin(hint)
    if origin in (list, tuple, typing.Sequence) or (
        isinstance(origin, type) and origin.__name__ in ("Sequence", "list", "tuple")
    ):
        args = typing.get_args(hint)
        return _strip(args[0])[0] if args else Any
    return None


def mapping_value(hint: Any) -> Any | None:
    origin = typing.get_origin(hint)
    if origin in (dict, typing.Mapping) or (
        isinstance(origin, type) and origin.__name__ in ("Mapping", "dict")
    ):
        args = typing.get_args(hint)
        return _strip(args[1])[0] if len(args) == 2 else Any
    return None
