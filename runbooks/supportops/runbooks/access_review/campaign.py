"""The review campaign: every principal with its findings, evidence and an empty decision for the
reviewer, written as CSV and YAML (same rows), read back from either, and hashed for sign-off."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from supportops.errors import BadInput, InputProblem
from supportops.findings import Severity, Status
from supportops.runbooks.access_review.evaluate import Principal
from supportops.runbooks.access_review.schema import validation_problems

CAMPAIGN_SCHEMA = "supportops.access-review-campaign/v1"
CSV_NAME = "campaign.csv"
YAML_NAME = "campaign.yaml"
Decision = Literal["", "keep", "revoke", "modify"]


class CampaignRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    campaign_id: str = Field(min_length=1)
    account: str
    kind: Literal["iam-user", "iam-role", "iam-root", "connect-user"]
    name: str
    arn: str = Field(min_length=1)
    instance_id: str = ""
    region: str = ""
    protection: Literal["", "allow-listed", "break-glass", "root"] = ""
    findings: str = ""  # check ids, ";"-separated
    severity: str = ""
    evidence: str = ""
    suggested_decision: str = ""
    suggested_changes: str = ""
    decision: Decision = ""
    changes: str = ""
    comment: str = ""

    def key(self) -> tuple[str, str]:
        return (self.arn, self.instance_id)


COLUMNS = tuple(CampaignRow.model_fields)


class CampaignDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_: Literal["supportops.access-review-campaign/v1"] = Field(alias="schema")
    campaign_id: str
    generated_at: str = ""
    runbook: str = ""
    principals: list[CampaignRow]


def row_for(principal: Principal, campaign_id: str) -> CampaignRow:
    failing = [f for f in principal.findings if f.status in (Status.FAIL, Status.ERROR)]
    severity = max((f.severity for f in failing), key=lambda s: s.rank, default=None)
    evidence = "; ".join(f"{f.check_id}: {f.message}" for f in failing)
    suggested = [s for s in principal.suggested if s != "revoke"]
    decision = "revoke" if "revoke" in principal.suggested else ("modify" if suggested else "")
    if principal.protection:
        decision, suggested = "keep", []
    return CampaignRow(
        campaign_id=campaign_id,
        account=principal.account_id,
        kind=principal.kind,  # type: ignore[arg-type]
        name=principal.name,
        arn=principal.arn,
        instance_id=principal.instance_id,
        region=principal.region,
        protection=principal.protection,  # type: ignore[arg-type]
        findings=";".join(dict.fromkeys(f.check_id for f in failing)),
        severity=severity.value if isinstance(severity, Severity) else "",
        evidence=evidence,
        suggested_decision=decision,
        suggested_changes=";".join(suggested),
    )


class CampaignWriter:
    """Streams rows into campaign.csv and campaign.yaml (one row at a time; nothing kept)."""

    def __init__(self, out_dir: Path, campaign_id: str, generated_at: str, runbook: str) -> None:
        self.csv_path = out_dir / CSV_NAME
        self.yaml_path = out_dir / YAML_NAME
        self._csv_handle = self.csv_path.open("w", encoding="utf-8", newline="")
        self._csv = csv.DictWriter(self._csv_handle, fieldnames=COLUMNS)
        self._csv.writeheader()
        self._yaml = self.yaml_path.open("w", encoding="utf-8")
        header = {
            "schema": CAMPAIGN_SCHEMA,
            "campaign_id": campaign_id,
            "generated_at": generated_at,
            "runbook": runbook,
        }
        self._yaml.write(
            "# Fill in decision (keep | revoke | modify), changes (for modify) and comment,\n"
            "# then: supportops access-review sign campaign.yaml --reviewer NAME\n"
        )
        self._yaml.write(yaml.safe_dump(header, sort_keys=False))
        self._yaml.write("principals:\n")
        self._hash = hashlib.sha256()
        self.count = 0

    def add(self, row: CampaignRow) -> None:
        data = row.model_dump()
        self._csv.writerow(data)
        self._yaml.write(_yaml_item(data))
        self._hash.update(json.dumps(list(row.key())).encode() + b"\n")
        self.count += 1

    def close(self) -> str:
        """Close both files; return the hash of the principal list (what sign checks rows against)."""
        if self.count == 0:
            self._yaml.write("[]\n")
        self._csv_handle.close()
        self._yaml.close()
        return self._hash.hexdigest()


def _yaml_item(data: dict[str, str]) -> str:
    """One block-style list item; values as double-quoted scalars (JSON string escapes are valid YAML).
    PyYAML's pure-Python emitter costs ~4 ms a row; this keeps 7,000 rows well under a second."""
    lines = [
        f"{'- ' if index == 0 else '  '}{key}: {json.dumps(value, ensure_ascii=False)}"
        for index, (key, value) in enumerate(data.items())
    ]
    return "\n".join(lines) + "\n"


def principals_hash(rows: Iterable[CampaignRow]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(list(row.key())).encode() + b"\n")
    return digest.hexdigest()


def decisions_hash(campaign_id: str, rows: Iterable[CampaignRow]) -> str:
    """What the reviewer signs: the campaign id and every row's key, decision, changes and comment."""
    digest = hashlib.sha256(json.dumps({"campaignId": campaign_id}).encode() + b"\n")
    for row in sorted(rows, key=CampaignRow.key):
        digest.update(
            json.dumps(
                [row.arn, row.instance_id, row.decision, row.changes.strip(), row.comment.strip()]
            ).encode()
            + b"\n"
        )
    return digest.hexdigest()


def read_campaign(path: Path) -> list[CampaignRow]:
    """Rows of a campaign CSV or YAML; :class:`BadInput` with file, row and problem otherwise."""
    if not path.is_file():
        raise BadInput.at(path, "", "campaign file not found")
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(path)
    raise BadInput.at(path, "", "a campaign is a .csv or .yaml file written by access-review run")


def _read_csv(path: Path) -> list[CampaignRow]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        unknown = [c for c in header if c not in COLUMNS]
        missing = [c for c in COLUMNS if c not in header]
        if unknown or missing:
            detail = (
                f"unknown column(s) {', '.join(unknown)}"
                if unknown
                else f"missing column(s) {', '.join(missing)}"
            )
            raise BadInput.at(path, "line 1", detail)
        rows: list[CampaignRow] = []
        problems: list[InputProblem] = []
        for row in reader:
            line = reader.line_num
            if None in row:
                problems.append(InputProblem(str(path), f"line {line}", "more fields than columns"))
                continue
            try:
                rows.append(CampaignRow.model_validate({k: (v or "").strip() for k, v in row.items()}))
            except ValidationError as exc:
                problems.extend(
                    InputProblem(str(path), f"line {line}: {p.location}", p.problem)
                    for p in validation_problems(path, exc)
                )
    if problems:
        raise BadInput(problems)
    return rows


def _read_yaml(path: Path) -> list[CampaignRow]:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BadInput.at(path, f"line {mark.line + 1}" if mark else "", "invalid YAML") from None
    if not isinstance(data, dict):
        raise BadInput.at(path, "", "a campaign YAML is a mapping with schema, campaign_id and principals")
    if isinstance(data.get("principals"), list):
        for item in data["principals"]:
            if isinstance(item, dict):
                for key, value in list(item.items()):
                    item[key] = "" if value is None else (value.strip() if isinstance(value, str) else value)
    try:
        return CampaignDocument.model_validate(data).principals
    except ValidationError as exc:
        raise BadInput(validation_problems(path, exc)) from None
