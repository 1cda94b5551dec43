"""Pulumi type tokens -> Terraform resource types, validated with pydantic when loaded.

Two files beside this module:

- ``terraform-types.json``: generated from the installed pulumi-aws SDK by
  ``scripts/gen_checkov_types.py`` (see :mod:`.sdk_types`): every pulumi-aws resource type, its
  Terraform type, the list blocks Pulumi pluralized, the free-form maps, whether it takes tags.
- ``terraform-types.yaml``: what the SDK cannot say: ``links`` (which types an attribute names, for
  values unknown at preview time), pulumi-aws-native types that have a Terraform equivalent, and
  the types deliberately not converted (``no_terraform_equivalent``). An entry for a pulumi-aws
  type adds to the generated one; it never replaces its Terraform type.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Final, Literal

from pydantic import Field, StringConstraints

from supportops.loading import STATE_LIMITS, Document, load_document, load_model, validate
from supportops.models import InputModel

TYPE_TABLE_PATH: Final = Path(__file__).with_name("terraform-types.yaml")
GENERATED_TABLE_PATH: Final = Path(__file__).with_name("terraform-types.json")

TerraformType = Annotated[str, StringConstraints(pattern=r"^aws_[a-z0-9_]+$")]
CamelPath = Annotated[str, StringConstraints(pattern=r"^[a-z][A-Za-z0-9_]*(\.[a-z][A-Za-z0-9_]*)*$")]
SnakeName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
PulumiToken = Annotated[
    str, StringConstraints(pattern=r"^[a-z-]+:[A-Za-z0-9_]+(/[A-Za-z0-9_]+)?:[A-Za-z0-9_]+$")
]


class TypeMapping(InputModel):
    """How one Pulumi type is written as a Terraform resource."""

    terraform: TerraformType
    renames: dict[CamelPath, SnakeName] = Field(default_factory=dict)
    maps: tuple[CamelPath, ...] = ()
    links: dict[CamelPath, tuple[TerraformType, ...]] = Field(default_factory=dict)
    tags: bool = True


class OverlayEntry(InputModel):
    """A hand-kept addition: a Terraform type only for types the generated table lacks."""

    terraform: TerraformType | None = None
    renames: dict[CamelPath, SnakeName] = Field(default_factory=dict)
    maps: tuple[CamelPath, ...] = ()
    links: dict[CamelPath, tuple[TerraformType, ...]] = Field(default_factory=dict)
    tags: bool | None = None


class GeneratedTable(InputModel):
    version: Literal[1]
    pulumi_aws: str
    types: dict[PulumiToken, TypeMapping]


class Overlay(InputModel):
    version: Literal[1]
    types: dict[PulumiToken, OverlayEntry] = Field(default_factory=dict)
    no_terraform_equivalent: dict[PulumiToken, str] = Field(default_factory=dict)


class TypeTable(InputModel):
    types: dict[str, TypeMapping]
    no_terraform_equivalent: dict[str, str] = Field(default_factory=dict)
    pulumi_aws: str = ""

    def mapping(self, pulumi_type: str) -> TypeMapping | None:
        return self.types.get(pulumi_type)


def merge(generated: GeneratedTable, overlay: Overlay, document: Document) -> TypeTable:
    """The generated table with the overlay's additions; a contradiction is located in the overlay."""
    types = dict(generated.types)
    for token, extra in overlay.types.items():
        base = types.get(token)
        if base is None:
            if extra.terraform is None:
                raise document.problem(["types", token], "no Terraform type, and the SDK has no such type")
            types[token] = TypeMapping(
                terraform=extra.terraform,
                renames=extra.renames,
                maps=extra.maps,
                links=extra.links,
                tags=True if extra.tags is None else extra.tags,
            )
            continue
        if extra.terraform is not None and extra.terraform != base.terraform:
            raise document.problem(
                ["types", token, "terraform"], f"{extra.terraform} contradicts the generated {base.terraform}"
            )
        types[token] = TypeMapping(
            terraform=base.terraform,
            renames={**base.renames, **extra.renames},
            maps=tuple(dict.fromkeys((*base.maps, *extra.maps))),
            links=extra.links,
            tags=base.tags if extra.tags is None else extra.tags,
        )
    overlap = sorted(set(types) & set(overlay.no_terraform_equivalent))
    if overlap:
        raise document.problem(["no_terraform_equivalent", overlap[0]], "also mapped to a Terraform type")
    return TypeTable(
        types=types, no_terraform_equivalent=overlay.no_terraform_equivalent, pulumi_aws=generated.pulumi_aws
    )


def load_type_table(path: Path = TYPE_TABLE_PATH, generated: Path = GENERATED_TABLE_PATH) -> TypeTable:
    """Both files through the core loader (bad input: one ``FILE: line, column: path: problem``)."""
    table = load_model(generated, GeneratedTable, limits=STATE_LIMITS)
    document = load_document(path)
    return merge(table, validate(document, Overlay), document)


@lru_cache(maxsize=1)
def default_type_table() -> TypeTable:
    return load_type_table()
