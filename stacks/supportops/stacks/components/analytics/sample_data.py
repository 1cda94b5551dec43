"""Deterministic sample exports for the demo: a year of synthetic contacts, tickets, surveys and
answer feedback (seeded, so every run gives the same bytes), run through the *same* KPI SQL the
named queries use (SQLite runs the dialect-neutral core), written as Athena writes query results
(CSV, header row, every field quoted, NULL empty): ``<query key>.csv`` per monthly query.

Regenerate the bundled files with ``python -m supportops.stacks.components.analytics.sample_data``;
a test checks they are current."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path

from supportops.atomic import write_text_atomic
from supportops.stacks.components.analytics.datasets import LAKE_TABLES, Dataset
from supportops.stacks.components.analytics.kpis import TOP_ISSUE_TYPES, Granularity, platform_kpis
from supportops.stacks.components.self_service.pilot import Arm, Outcome
from supportops.stacks.config import SlaTier, StackConfig

SAMPLE_DIR = Path(__file__).resolve().parent / "sample_exports"
SEED = 2026
FIRST_DAY = dt.date(2025, 12, 1)
LAST_DAY = dt.date(2026, 11, 30)
PILOT_START = dt.date(2026, 10, 5)  # 8 weeks before the end of the sample year
PILOT_PERCENT = 10
ISSUE_TYPES = (  # (type, weight): 13 types, so the top 10 leaves some out
    ("login", 18), ("billing", 15), ("password-reset", 12), ("outage", 9), ("integration", 8),
    ("performance", 7), ("data-export", 6), ("permissions", 6), ("mobile-app", 5), ("notifications", 4),
    ("invoice-copy", 4), ("sso", 3), ("feature-request", 3),
)  # fmt: skip
OUTCOME_DRAW = ((0.3, Outcome.RESOLVED), (0.42, Outcome.HANDED_BACK), (0.88, Outcome.ESCALATED))
Row = dict[str, object]


def _days() -> Iterator[dt.date]:
    day = FIRST_DAY
    while day <= LAST_DAY:
        yield day
        day += dt.timedelta(days=1)


def _progress(day: dt.date) -> float:
    """0 at the start of the year, 1 at the end: the sample improves over the year."""
    return (day - FIRST_DAY).days / (LAST_DAY - FIRST_DAY).days


def _ticket_type(rng: random.Random, tier: SlaTier, tiers: Sequence[SlaTier]) -> str:
    """Most urgent tickets are incidents; the least urgent mostly questions and requests."""
    urgency = sorted(tiers, key=lambda t: t.resolve_minutes).index(tier)
    incident = (85, 35, 5)[min(urgency, 2)]
    return rng.choices(["incident", "request", "question"], weights=[incident, 60, 40])[0]


def _tickets(rng: random.Random, day: dt.date, tiers: Sequence[SlaTier]) -> list[Row]:
    rows = []
    better = 1 - 0.3 * _progress(day)
    for n in range(12):
        tier = rng.choices(tiers, weights=[1, 3, 6][: len(tiers)] or None)[0]
        reply = max(1, round(rng.expovariate(1 / (tier.respond_minutes * 0.45 * better))))
        resolution = max(reply, round(rng.lognormvariate(0, 0.55) * tier.resolve_minutes * 0.42 * better))
        is_open = (LAST_DAY - day).days < 3 and rng.random() < 0.3
        rows.append(
            {
                "ticket_id": f"t-{day.isoformat()}-{n}",
                "tier": tier.name,
                "ticket_type": _ticket_type(rng, tier, tiers),
                "issue_type": rng.choices([t for t, _ in ISSUE_TYPES], weights=[w for _, w in ISSUE_TYPES])[
                    0
                ],
                "contact_count": 1 if rng.random() < 0.68 + 0.1 * _progress(day) else rng.randint(2, 4),
                "first_reply_minutes": reply,
                "first_reply_business_minutes": reply,
                "resolution_minutes": None if is_open else resolution,
                "resolution_business_minutes": None if is_open else resolution,
                "day": day.isoformat(),
            }
        )
    return rows


def _contacts(rng: random.Random, day: dt.date) -> list[Row]:
    rows = []
    for n in range(20):
        row: Row = {"contact_id": f"c-{day.isoformat()}-{n}", "channel": rng.choice(["VOICE", "CHAT"])}
        talk = round(rng.uniform(180, 540))
        acw = round(rng.uniform(30, 150))
        handled = rng.random() < 0.93
        if day >= PILOT_START:
            arm = Arm.BOT if rng.random() < PILOT_PERCENT / 100 else Arm.AGENT
            row["pilot_arm"] = arm.value
            if arm is Arm.BOT:
                # resolved 30 %, handed back 12 %, escalated 46 %, hung up on the bot 12 %
                draw = rng.random()
                outcome = next((o for limit, o in OUTCOME_DRAW if draw < limit), None)
                row["self_service_outcome"] = outcome.value if outcome else None
                handled = outcome in {Outcome.HANDED_BACK, Outcome.ESCALATED}
        if handled:
            row |= {"talk_seconds": talk, "acw_seconds": acw}
        row |= {"queue_seconds": round(rng.uniform(5, 300)), "day": day.isoformat()}
        rows.append(row)
    return rows


def _surveys(rng: random.Random, day: dt.date) -> list[Row]:
    rows = []
    for n in range(8):
        lift = _progress(day)
        csat = rng.choices([1, 2, 3, 4, 5], weights=[5, 6, 12 - 4 * lift, 40, 37 + 8 * lift])[0]
        nps = rng.choices(range(11), weights=[2, 1, 1, 2, 2, 3, 5, 10, 16, 24 + 6 * lift, 22 + 6 * lift])[0]
        rows.append({"response_id": f"s-{day.isoformat()}-{n}", "csat_score": csat, "nps_score": nps,
                     "day": day.isoformat()})  # fmt: skip
    return rows


def _feedback(rng: random.Random, day: dt.date) -> list[Row]:
    if day < PILOT_START:
        return []
    rows: list[Row] = []
    for n in range(6):
        arm = Arm.BOT if rng.random() < 0.4 else Arm.AGENT
        answerable = rng.random() < 0.85
        answered = rng.random() < (0.8 if answerable else 0.3)
        right = answered and answerable and rng.random() < (0.86 if arm is Arm.BOT else 0.9)
        rated = answered and rng.random() < 0.8
        rows.append(
            {
                "feedback_id": f"f-{day.isoformat()}-{n}",
                "pilot_arm": arm.value,
                "answered": int(answered),
                "helpful": int(right) if rated else None,
                "answerable": int(answerable),
                "day": day.isoformat(),
            }
        )
    return rows


def sample_database(tiers: Sequence[SlaTier]) -> sqlite3.Connection:
    """The flat datasets (what the named queries' projections produce) filled with the sample year."""
    rng = random.Random(SEED)
    rows: dict[Dataset, list[Row]] = {dataset: [] for dataset in Dataset}
    for day in _days():
        rows[Dataset.TICKETS] += _tickets(rng, day, tiers)
        rows[Dataset.CONTACTS] += _contacts(rng, day)
        rows[Dataset.SURVEYS] += _surveys(rng, day)
        rows[Dataset.ANSWER_FEEDBACK] += _feedback(rng, day)
    connection = sqlite3.connect(":memory:")
    for table in LAKE_TABLES:
        columns = table.dataset_columns
        connection.execute(f"CREATE TABLE {table.dataset.value} ({', '.join(columns)})")
        values = [
            tuple(str(row["day"])[:7] if c == "month" else row.get(c) for c in columns)
            for row in rows[table.dataset]
        ]
        connection.executemany(
            f"INSERT INTO {table.dataset.value} VALUES ({', '.join('?' for _ in columns)})", values
        )
    return connection


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row])
    return buffer.getvalue()


def sample_exports(tiers: Sequence[SlaTier]) -> dict[str, str]:
    """File name -> CSV text of every monthly named query over the sample year."""
    connection = sample_database(tiers)
    try:
        files = {}
        for kpi in platform_kpis(tiers):
            rows = connection.execute(kpi.core_sql(Granularity.MONTH)).fetchall()
            files[f"{kpi.query_name(Granularity.MONTH)}.csv"] = _csv(["period", "value"], rows)
        top = connection.execute(TOP_ISSUE_TYPES.core_sql(Granularity.MONTH)).fetchall()
        header = ["period", "group_value", "row_count", "share", "p50", "p95"]
        files[f"{TOP_ISSUE_TYPES.query_name(Granularity.MONTH)}.csv"] = _csv(header, top)
        return files
    finally:
        connection.close()


def write_sample_exports(directory: Path = SAMPLE_DIR) -> list[Path]:
    tiers = StackConfig(environment="demo", phase="analytics").sla_tiers
    written = []
    for name, text in sorted(sample_exports(tiers).items()):
        write_text_atomic(directory / name, text)
        written.append(directory / name)
    return written


if __name__ == "__main__":
    for path in write_sample_exports():
        print(path)
