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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Annotated, Any, Final, Self

from pydantic import AfterValidator, Field, TypeAdapter, ValidationError, model_validator

from supportops.errors import BadInput, dotted_path
from supportops.findings import Finding, Status, Waiver, WaiverRecord
from supportops.inventory.model import Inventory
from supportops.loading import bounded, load_document, validate
from supportops.models import InputModel, IsoDate, repeated

RULE_ID_PATTERN = re.compile(r"^([a-z][a-z0-9_]*|CKV2?_[A-Z0-9]+_\d+)$")
Text = Annotated[str, Field(min_length=1)]


def _rule_id(value: str) -> str:
    if not RULE_ID_PATTERN.match(value):
        raise ValueError("not a rule id (snake_case catalog id or checkov CKV_AWS_n)")
    return value


class Selector(InputModel):
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


class WaiverSpec(InputModel):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    rule: Annotated[str, AfterValidator(_rule_id)]
    selector: Selector
    owner: Text
    justification: Annotated[str, Field(min_length=10)]
    expires: IsoDate  # YYYY-MM-DD: 0 is not 1970-01-01


class WaiverFile(InputModel):
    waivers: list[WaiverSpec] = []

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        ids = [w.id for w in self.waivers]
        duplicates = repeated(ids)
        if duplicates:
            raise ValueError(f"duplicate waiver ids: {', '.join(duplicates)}")
        return self


def load_waivers(path: Path, known_rules: Iterable[str] | None = None) -> list[WaiverSpec]:
    """Validate a waivers file (strict YAML, every problem one line with its line and column); with
    ``known_rules``, a supportops rule id must be one of them."""
    source = str(path)
    if not path.is_file():
        raise BadInput.at(source, "", "no such file")
    document = load_document(path, source=source, fmt="yaml")
    if not isinstance(document.data, dict):
        raise document.problem([], "expected a mapping with a 'waivers' list")
    waivers = validate(document, WaiverFile).waivers
    if known_rules is not None:
        known = set(known_rules)
        problems = [
            document.problem(["waivers", i, "rule"], f"unknown rule id {bounded(w.rule)}").problems[0]
            for i, w in enumerate(waivers)
            if not w.rule.startswith("CKV") and w.rule not in known
        ]
        if problems:
            raise BadInput(problems)
    return waivers


_WAIVER_LIST: Final = TypeAdapter(list[WaiverSpec])


def waivers_from_config(policy_config: Mapping[str, Any]) -> list[WaiverSpec]:
    """The waivers in a CrossGuard policy's config (``{"waivers": [...]}``, entries as in a waivers
    file); ValueError naming the first problem when they do not validate."""
    try:
        return _WAIVER_LIST.validate_python(policy_config.get("waivers", []))
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        raise ValueError(f"{dotted_path(error['loc'], 'waivers')}: {error['msg']}") from None


def waivers_config(waivers: Sequence[WaiverSpec]) -> dict[str, Any]:
    """The pack's policy config that hands each rule's policy its waivers (`--policy-pack-config`)."""
    config: dict[str, Any] = {}
    for waiver in waivers:
        entry = waiver.model_dump(mode="json", exclude_none=True)
        config.setdefault(waiver.rule, {"waivers": []})["waivers"].append(entry)
    return config


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
        # The resource must carry each tag with exactly that text: a missing tag never matches
        # (not even a selector value "None"), nor does a non-string tag value.
        if not all(_tag_is(tags, key, value) for key, value in selector.tags.items()):
            return False
    return True


def _tag_is(tags: dict[str, Any], key: str, value: str) -> bool:
    found = tags.get(key)
    return isinstance(found, str) and found == value


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
