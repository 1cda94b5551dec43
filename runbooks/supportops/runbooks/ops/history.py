"""`supportops history`: trends over the kept runs, read from their ``ops-run.json`` summaries (in the
evidence bucket or a local folder with the same layout, ``<job>/<account>/<run id>/``).

Three views: failing findings per run over time (by severity), achieved RTO/RPO per drill step
against its target, and principals the access review flagged per quarter (the last review of each
account in the quarter, summed over accounts)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field

from supportops.errors import BadInput, InputProblem
from supportops.loading import Document, load_document, parse_json, validate
from supportops.models import CamelInputModel
from supportops.runbooks.ops.runner import SUMMARY_FILE, SUMMARY_SCHEMA


class DrillRecord(CamelInputModel):
    runbook: str
    step: str
    rto_seconds: float | None
    rto_target_seconds: float | None
    rpo_seconds: float | None
    rpo_target_seconds: float | None
    rto_status: str
    rpo_status: str


class RunRecord(CamelInputModel):
    """The part of ``ops-run.json`` history reads (other keys are ignored: the file may grow)."""

    model_config = ConfigDict(extra="ignore")
    schema_id: str = Field(alias="schema")
    job: str
    account: str
    run_id: str
    started_at: dt.datetime
    status: str
    failing_by_severity: dict[str, int]
    errors: int
    drills: list[DrillRecord] = []
    principals_flagged: int | None = None
    location: str | None = None

    @property
    def failing(self) -> int:
        return sum(self.failing_by_severity.values())


def _record(document: Document) -> RunRecord:
    record = validate(document, RunRecord)
    if record.schema_id != SUMMARY_SCHEMA:
        raise document.problem(["schema"], f"not an ops-run summary (expected {SUMMARY_SCHEMA})")
    return record


def read_local(folder: Path) -> list[RunRecord]:
    if not folder.is_dir():
        raise BadInput.at(str(folder), "", "no such folder")
    return sorted(
        (_record(load_document(path, fmt="json")) for path in folder.rglob(SUMMARY_FILE)),
        key=lambda r: (r.started_at, r.job, r.account),
    )


def read_bucket(s3: Any, bucket: str, prefix: str = "") -> list[RunRecord]:
    records = []
    for key in _summary_keys(s3, bucket, prefix):
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        source = f"s3://{bucket}/{key}"
        records.append(_record(parse_json(body.decode("utf-8", errors="replace"), source)))
    return sorted(records, key=lambda r: (r.started_at, r.job, r.account))


def _summary_keys(s3: Any, bucket: str, prefix: str) -> Iterator[str]:
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if item["Key"].endswith("/" + SUMMARY_FILE):
                yield item["Key"]


@dataclass(frozen=True)
class DrillPoint:
    at: dt.datetime
    account: str
    achieved: float | None
    target: float | None
    status: str


@dataclass(frozen=True)
class Trends:
    runs: list[RunRecord]
    # (runbook/step, "RTO" | "RPO") -> points in time order
    drills: dict[tuple[str, str], list[DrillPoint]]
    flags_per_quarter: dict[str, int]  # "2026-Q3" -> principals flagged

    def to_json(self) -> dict[str, Any]:
        return {
            "runs": [
                {
                    "startedAt": r.started_at.isoformat(),
                    "job": r.job,
                    "account": r.account,
                    "runId": r.run_id,
                    "status": r.status,
                    "failingBySeverity": r.failing_by_severity,
                    "errors": r.errors,
                    "location": r.location,
                }
                for r in self.runs
            ],
            "drills": [
                {
                    "drill": name,
                    "measure": measure,
                    "points": [
                        {
                            "at": p.at.isoformat(),
                            "account": p.account,
                            "achievedSeconds": p.achieved,
                            "targetSeconds": p.target,
                            "status": p.status,
                        }
                        for p in points
                    ],
                }
                for (name, measure), points in self.drills.items()
            ],
            "accessReviewFlagsPerQuarter": self.flags_per_quarter,
        }


def quarter(moment: dt.datetime) -> str:
    return f"{moment.year}-Q{(moment.month - 1) // 3 + 1}"


def trends(runs: Iterable[RunRecord]) -> Trends:
    ordered = sorted(runs, key=lambda r: (r.started_at, r.job, r.account))
    drills: dict[tuple[str, str], list[DrillPoint]] = {}
    last_review: dict[tuple[str, str], int] = {}
    for run in ordered:
        for drill in run.drills:
            name = f"{drill.runbook}/{drill.step}"
            drills.setdefault((name, "RTO"), []).append(
                DrillPoint(
                    run.started_at, run.account, drill.rto_seconds, drill.rto_target_seconds, drill.rto_status
                )
            )
            drills.setdefault((name, "RPO"), []).append(
                DrillPoint(
                    run.started_at, run.account, drill.rpo_seconds, drill.rpo_target_seconds, drill.rpo_status
                )
            )
        if run.job == "access-review" and run.principals_flagged is not None:
            last_review[(quarter(run.started_at), run.account)] = run.principals_flagged  # later runs win
    flags: dict[str, int] = {}
    for (period, _account), count in sorted(last_review.items()):
        flags[period] = flags.get(period, 0) + count
    return Trends(ordered, dict(sorted(drills.items())), flags)


def bad_folder_or_bucket(folder: Path | None, bucket: str | None) -> None:
    if (folder is None) == (bucket is None):
        raise BadInput(
            [InputProblem("--bucket/--from", "", "give exactly one: the bucket or a local folder")]
        )


def dumps(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True)
