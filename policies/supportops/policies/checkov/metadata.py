"""What checkov offline does not say about a check: its severity (``severities.yaml``, validated with
pydantic). The framework requirements a check evidences are listed in the framework files
(``checkov:`` per requirement, see policies/frameworks/model.py)."""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Final, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from supportops.errors import BadInput
from supportops.findings import Severity

SEVERITIES_PATH: Final = Path(__file__).with_name("severities.yaml")

CheckId = Annotated[str, StringConstraints(pattern=r"^CKV2?_[A-Z0-9_]+$")]
CheckPattern = Annotated[str, StringConstraints(pattern=r"^CKV2?_[A-Z0-9_*?]+$")]


class SeverityTable(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal[1]
    default: Severity
    checks: dict[CheckId, Severity] = Field(default_factory=dict)
    patterns: dict[CheckPattern, Severity] = Field(default_factory=dict)

    def severity(self, check_id: str) -> Severity:
        found = self.checks.get(check_id)
        if found is not None:
            return found
        return next((s for p, s in self.patterns.items() if fnmatchcase(check_id, p)), self.default)


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BadInput.at(path, "", f"cannot read: {error}") from error


def load_severities(path: Path = SEVERITIES_PATH) -> SeverityTable:
    try:
        return SeverityTable.model_validate(_load_yaml(path))
    except ValidationError as error:
        raise BadInput.at(path, "", f"invalid checkov severity table: {error}") from error


@lru_cache(maxsize=1)
def default_severities() -> SeverityTable:
    return load_severities()
