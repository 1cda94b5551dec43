"""Waivers: an accepted, owned and expiring exception to a rule for selected resources.

File format (YAML)::

    waivers:
      - id: W-001
        rule: s3_bucket_access_logging        # a catalog rule id or a checkov id (CKV_AWS_18)
        selector:                             # every key given must match (at least one)
          urn: "urn:pulumi:*::*::*::demo-access-logs"   # glob on the URN
          type: aws:s3/bucket:Bucket          # exact type token
          name: "demo-*-logs"                 # glob on the resource name
          tags: {data-classification: audit-logs}
        owner: security@example.com
        justification: The access-log target bucket cannot log to itself.
        expires: 2026-12-31                   # last day the waiver applies

Only FAIL findings are waived (they keep their status and carry the waiver). A waiver past its
expiry no longer waives and is reported; a waiver matching no failing finding is reported as
unmatched (the exception may be obsolete).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from supportops.errors import BadInput, InputProblem, dotted_path
from supportops.findings import Finding, Status, Waiver, WaiverRecord
from supportops.inventory.model import Inventory

RULE_ID_PATTERN = r"^([a-z][a-z0-9_]*|CKV2?_[A-Z0-9]+_\d+)$"
Text = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selector(_Model):
    urn: Text | None = None
    type: Text | None = None
    name: Text | None = None
    tags: dict[str, str] | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not (self.urn or self.type or self.name or self.tags):
            raise ValueError("a selector needs at least one of urn, type, name, tags")
        return self

    def describe(self) -> str:
        parts = [
            f"{key}={value}"
            for key, value in (("urn", self.urn), ("type", self.type), ("name", self.name))
            if value
        ]
        if self.tags:
            parts.append("tags=" + ",".join(f"{k}:{v}" for k, v in sorted(self.tags.items())))
        return " ".join(parts)


class WaiverSpec(_Model):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    rule: Annotated[str, Field(pattern=RULE_ID_PATTERN)]
    selector: Selector
    owner: Text
    justification: Annotated[str, Field(min_length=10)]
    expires: dt.date


class WaiverFile(_Model):
    waivers: list[WaiverSpec] = []

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        ids = [w.id for w in self.waivers]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate waiver ids: {', '.join(duplicates)}")
        return self


def load_waivers(path: Path, known_rules: Iterable[str] | None = None) -> list[WaiverSpec]:
    """Validate a waivers file; with ``known_rules``, a supportops rule id must be one of them."""
    source = str(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput.at(source, "", "no such file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise BadInput.at(source, where, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(document, dict):
        raise BadInput.at(source, "", "expected a mapping with a 'waivers' list")
    try:
        waivers = WaiverFile.model_validate(document).waivers
    except ValidationError as exc:
        raise BadInput([_problem(error, source) for error in exc.errors()]) from None
    if known_rules is not None:
        known = set(known_rules)
        problems = [
            InputProblem(source, f"waivers[{i}].rule", f"unknown rule id {w.rule!r}")
            for i, w in enumerate(waivers)
            if not w.rule.startswith("CKV") and w.rule not in known
        ]
        if problems:
            raise BadInput(problems)
    return waivers


def _problem(error: ErrorDetails, source: str) -> InputProblem:
    where = dotted_path(error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    elif error["type"] == "missing":
        message = "required key is missing"
    elif error["type"].startswith("date"):
        message = f"expected a date YYYY-MM-DD (got {error.get('input')!r})"
    elif error["type"] == "string_pattern_mismatch" and error["loc"][-1] == "rule":
        message = f"not a rule id (snake_case catalog id or checkov CKV_AWS_n): {error.get('input')!r}"
    return InputProblem(source, where, message)


@dataclass
class WaiverOutcome:
    records: list[WaiverRecord] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _name_of(urn: str) -> str:
    return urn.split("::", 3)[-1]


def matches(spec: WaiverSpec, finding: Finding, inventory: Inventory | None) -> bool:
    if spec.rule != finding.check_id:
        return False
    selector = spec.selector
    resource = inventory.by_urn(finding.subject) if inventory is not None else None
    if selector.urn and not fnmatchcase(finding.subject, selector.urn):
        return False
    resource_type = resource.type if resource is not None else finding.subject_type
    if selector.type and selector.type != resource_type:
        return False
    name = resource.name if resource is not None else _name_of(finding.subject)
    if selector.name and not fnmatchcase(name, selector.name):
        return False
    if selector.tags:
        if resource is None:
            return False
        tags = resource.tags
        if any(str(tags.get(key)) != value for key, value in selector.tags.items()):
            return False
    return True


def apply_waivers(
    findings: Sequence[Finding],
    waivers: Sequence[WaiverSpec],
    inventory: Inventory | None,
    today: dt.date | None = None,
) -> WaiverOutcome:
    """Attach the first active matching waiver to each FAIL finding; build the waiver register."""
    today = today or dt.datetime.now(dt.UTC).date()
    failing = [f for f in findings if f.status is Status.FAIL]
    outcome = WaiverOutcome()
    for spec in waivers:
        hits = [f for f in failing if matches(spec, f, inventory)]
        expired = spec.expires < today
        if expired:
            state = "expired"
            outcome.problems.append(
                f"waiver {spec.id} ({spec.rule}, owner {spec.owner}) expired on {spec.expires.isoformat()}; "
                f"it no longer waives {len(hits)} failing finding(s)"
            )
        elif not hits:
            state = "unmatched"
            outcome.problems.append(
                f"waiver {spec.id} ({spec.rule}, {spec.selector.describe()}) matches no failing finding"
            )
        else:
            state = "active"
            waiver = Waiver(spec.owner, spec.justification, spec.expires.isoformat(), spec.id)
            for finding in hits:
                if finding.waiver is None:
                    finding.waiver = waiver
        outcome.records.append(
            WaiverRecord(
                spec.id,
                spec.rule,
                spec.selector.describe(),
                spec.owner,
                spec.justification,
                spec.expires.isoformat(),
                state,
                matched=len(hits),
            )
        )
    return outcome
