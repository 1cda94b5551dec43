"""The explicit table of Pulumi type tokens -> Terraform resource types (``terraform-types.yaml``),
validated with pydantic when loaded."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from supportops.errors import BadInput

TYPE_TABLE_PATH: Final = Path(__file__).with_name("terraform-types.yaml")

TerraformType = Annotated[str, StringConstraints(pattern=r"^aws_[a-z0-9_]+$")]
CamelPath = Annotated[str, StringConstraints(pattern=r"^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$")]
SnakeName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class TypeMapping(BaseModel):
    """How one Pulumi type is written as a Terraform resource."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    terraform: TerraformType
    renames: dict[CamelPath, SnakeName] = Field(default_factory=dict)
    maps: tuple[CamelPath, ...] = ()
    links: dict[CamelPath, tuple[TerraformType, ...]] = Field(default_factory=dict)
    tags: bool = True


class TypeTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    types: dict[str, TypeMapping]
    no_terraform_equivalent: dict[str, str] = Field(default_factory=dict)

    def mapping(self, pulumi_type: str) -> TypeMapping | None:
        return self.types.get(pulumi_type)


def load_type_table(path: Path = TYPE_TABLE_PATH) -> TypeTable:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BadInput.at(path, "", f"cannot read the Terraform type table: {error}") from error
    try:
        table = TypeTable.model_validate(raw)
    except ValidationError as error:
        raise BadInput.at(path, "", f"invalid Terraform type table: {error}") from error
    overlap = set(table.types) & set(table.no_terraform_equivalent)
    if overlap:
        raise BadInput.at(path, "", f"types both mapped and without equivalent: {sorted(overlap)}")
    return table


@lru_cache(maxsize=1)
def default_type_table() -> TypeTable:
    return load_type_table()
