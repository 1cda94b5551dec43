"""The review campaign: every principal with its findings, evidence and an empty decision for the
reviewer, written as CSV and YAML (same rows), read back from either, and hashed for sign-off."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import Field, ValidationError

from supportops.atomic import atomic_text
from supportops.errors import BadInput, InputProblem
from supportops.findings import Severity, Status
from supportops.loading import Document, Limits, display_path, parse_yaml, problems_from, read_text
from supportops.models import InputModel
from supportops.runbooks.access_review.evaluate import Principal

CAMPAIGN_SCHEMA = "supportops.access-review-campaign/v1"
CSV_NAME = "campaign.csv"
YAML_NAME = "campaign.yaml"
Decision = Literal["", "keep", "revoke", "modify"]
# Bounds on a campaign (the bench's 7,000 principals are far below them). A cell stays under the csv
# module's own field limit (131,072), so an oversize cell is our located error, not csv's exception.
MAX_ROWS = 100_000
MAX_CELL = 100_000
CAMPAIGN_LIMITS = Limits(max_bytes=256 * 1024 * 1024, max_depth=8, max_nodes=3_000_000)


class CampaignRow(InputModel):
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


class CampaignDocument(InputModel):
    schema_: Literal["supportops.access-review-campaign/v1"] = Field(alias="schema")
    campaign_id: str
    generated_at: str = ""
    runbook: str = ""
    principals: list[CampaignRow] = Field(max_length=MAX_ROWS)


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
    """Streams rows into campaign.csv and campaign.yaml (one row at a time; nothing kept). Both are
    written to temporary siblings and renamed into place by :meth:`close`; :meth:`abort` leaves any
    previous campaign as it was."""

    def __init__(self, out_dir: Path, campaign_id: str, generated_at: str, runbook: str) -> None:
        self.csv_path = out_dir / CSV_NAME
        self.yaml_path = out_dir / YAML_NAME
        self._files = contextlib.ExitStack()
        self._csv_handle = self._files.enter_context(atomic_text(self.csv_path, newline=""))
        self._csv = csv.DictWriter(self._csv_handle, fieldnames=COLUMNS)
        self._csv.writeheader()
        self._yaml = self._files.enter_context(atomic_text(self.yaml_path))
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
        self._files.close()
        return self._hash.hexdigest()

    def abort(self) -> None:
        """Drop both temporary files (the review failed)."""
        failure = RuntimeError("campaign not completed")
        self._files.__exit__(type(failure), failure, None)


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
    source = display_path(path)
    text = read_text(path, source=source, limits=CAMPAIGN_LIMITS)  # size and UTF-8 checked, BOM removed
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows: list[CampaignRow] = []
    problems: list[InputProblem] = []

    def bad(line: int, problem: str) -> None:
        problems.append(InputProblem(source, f"line {line}", problem))

    try:
        header = list(reader.fieldnames or [])
        unknown = [c for c in header if c not in COLUMNS]
        missing = [c for c in COLUMNS if c not in header]
        if unknown or missing:
            names = unknown or missing
            shown = ", ".join(bounded_name(c) for c in names[:5]) + (", …" if len(names) > 5 else "")
            raise BadInput.at(source, "line 1", f"{'unknown' if unknown else 'missing'} column(s) {shown}")
        for row in reader:
            line = reader.line_num
            if len(rows) + len(problems) >= MAX_ROWS:
                raise BadInput.at(source, f"line {line}", f"more than {MAX_ROWS:,} rows")
            if None in row:
                bad(line, "more fields than columns")
                continue
            long = next((k for k, v in row.items() if v is not None and len(v) > MAX_CELL), None)
            if long is not None:
                bad(line, f"{long}: cell longer than {MAX_CELL:,} characters")
                continue
            cells = {k: (v or "").strip() for k, v in row.items()}
            try:
                rows.append(CampaignRow.model_validate(cells))
            except ValidationError as exc:
                problems.extend(
                    InputProblem(source, f"line {line}: {p.location}", p.problem)
                    for p in _row_problems(exc, source, cells)
                )
            if len(problems) >= 50:  # enough to act on; never a wall of text
                break
    except csv.Error as exc:  # e.g. a cell over csv's field limit, a NUL byte
        raise BadInput.at(source, f"line {reader.line_num + 1}", f"not a valid CSV row ({exc})") from None
    if problems:
        raise BadInput(problems)
    return rows


def bounded_name(name: str) -> str:
    return json.dumps(name[:40] + ("…" if len(name) > 40 else ""), ensure_ascii=False)


def _row_problems(exc: ValidationError, source: str, row: dict[str, str]) -> list[InputProblem]:
    """The row's validation errors by column name, values bounded."""
    return problems_from(exc, Document(source, row), row)


def _read_yaml(path: Path) -> list[CampaignRow]:
    source = display_path(path)
    document = parse_yaml(read_text(path, source=source, limits=CAMPAIGN_LIMITS), source, CAMPAIGN_LIMITS)
    data: Any = document.data
    if not isinstance(data, dict):
        raise document.problem([], "a campaign YAML is a mapping with schema, campaign_id and principals")
    principals = data.get("principals")
    if isinstance(principals, list):
        if len(principals) > MAX_ROWS:
            raise document.problem(["principals"], f"more than {MAX_ROWS:,} rows")
        # a reviewer's empty cell (``comment:``) is an empty string; cells are compared stripped
        data = {
            **data,
            "principals": [
                {k: "" if v is None else (v.strip() if isinstance(v, str) else v) for k, v in item.items()}
                if isinstance(item, dict)
                else item
                for item in principals
            ],
        }
    try:
        return CampaignDocument.model_validate(data).principals
    except ValidationError as exc:
        raise BadInput(problems_from(exc, document, data)) from None
