"""The KPI formulas, run as generated SQL against hand-checked sample rows in SQLite.

Every expected value below is worked out by hand from the rows in the comment next to it."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence

import pytest

from supportops.stacks.components.analytics.datasets import LAKE_TABLES, Dataset, Window, table_for
from supportops.stacks.components.analytics.kpi_formulas import Compare, Percentile, TopGroups
from supportops.stacks.components.analytics.kpis import (
    TOP_ISSUE_TYPES,
    Granularity,
    KpiDefinition,
    named_queries,
    platform_kpis,
    sla_compliance,
)
from supportops.stacks.config import SlaTier, StackConfig

Row = Mapping[str, object]

CONTACTS: list[Row] = [
    # talk_seconds null = no agent handled the contact; pilot_arm null = before the pilot
    {
        "contact_id": "c1",
        "channel": "VOICE",
        "talk_seconds": 300,
        "acw_seconds": 60,
        "queue_seconds": 20,
        "pilot_arm": "agent",
        "day": "2026-11-01",
    },
    # no after-contact work recorded: counts as 0; the caller asked the bot for a person
    {
        "contact_id": "c2",
        "channel": "CHAT",
        "talk_seconds": 420,
        "queue_seconds": 5,
        "pilot_arm": "bot",
        "self_service_outcome": "escalated",
        "day": "2026-11-01",
    },
    {
        "contact_id": "c3",
        "channel": "VOICE",
        "talk_seconds": 240,
        "acw_seconds": 120,
        "queue_seconds": 40,
        "day": "2026-11-02",
    },
    # abandoned in queue: not handled, not counted in AHT
    {"contact_id": "c4", "channel": "VOICE", "queue_seconds": 90, "pilot_arm": "agent", "day": "2026-11-02"},
    {
        "contact_id": "c5",
        "channel": "VOICE",
        "pilot_arm": "bot",
        "self_service_outcome": "resolved",
        "day": "2026-11-02",
    },
    # the bot's answer was below the confidence floor: handed back to an agent
    {
        "contact_id": "c6",
        "channel": "VOICE",
        "talk_seconds": 200,
        "pilot_arm": "bot",
        "self_service_outcome": "handed_back",
        "day": "2026-11-03",
    },
    {
        "contact_id": "c7",
        "channel": "CHAT",
        "pilot_arm": "bot",
        "self_service_outcome": "resolved",
        "day": "2026-10-31",
    },
    # hung up while talking to the bot: entered self-service, not resolved
    {"contact_id": "c8", "channel": "VOICE", "pilot_arm": "bot", "day": "2026-11-03"},
]
TICKETS: list[Row] = [
    # reply / resolution in calendar minutes, *_business in business minutes
    {
        "ticket_id": "t1",
        "tier": "Critical",
        "ticket_type": "incident",
        "issue_type": "login",
        "contact_count": 1,
        "first_reply_minutes": 10,
        "first_reply_business_minutes": 10,
        "resolution_minutes": 200,
        "resolution_business_minutes": 200,
        "day": "2026-11-01",
    },  # within 15 / 240
    {
        "ticket_id": "t2",
        "tier": "Critical",
        "ticket_type": "incident",
        "issue_type": "login",
        "contact_count": 2,
        "first_reply_minutes": 20,
        "first_reply_business_minutes": 20,
        "resolution_minutes": 100,
        "resolution_business_minutes": 100,
        "day": "2026-11-01",
    },  # reply too late
    {
        "ticket_id": "t3",
        "tier": "Critical",
        "ticket_type": "incident",
        "issue_type": "outage",
        "contact_count": 1,
        "first_reply_minutes": 5,
        "first_reply_business_minutes": 5,
        "resolution_minutes": 300,
        "resolution_business_minutes": 300,
        "day": "2026-11-02",
    },  # resolved late
    {
        "ticket_id": "t4",
        "tier": "Critical",
        "ticket_type": "incident",
        "issue_type": "outage",
        "contact_count": 1,
        "first_reply_minutes": 14,
        "first_reply_business_minutes": 14,
        "day": "2026-11-02",
    },  # open: not in SLA nor resolution stats
    {
        "ticket_id": "t5",
        "tier": "High",
        "ticket_type": "request",
        "issue_type": "billing",
        "contact_count": 1,
        "first_reply_minutes": 60,
        "first_reply_business_minutes": 60,
        "resolution_minutes": 1440,
        "resolution_business_minutes": 1440,
        "day": "2026-11-02",
    },  # on target
    {
        "ticket_id": "t6",
        "tier": "Medium",
        "ticket_type": "question",
        "issue_type": "billing",
        "contact_count": 3,
        "first_reply_minutes": 600,
        "first_reply_business_minutes": 200,
        "resolution_minutes": 4000,
        "resolution_business_minutes": 2000,
        "day": "2026-10-15",
    },
    {
        "ticket_id": "t7",
        "tier": "Medium",
        "ticket_type": "question",
        "issue_type": "billing",
        "contact_count": 1,
        "first_reply_minutes": 300,
        "first_reply_business_minutes": 250,
        "resolution_minutes": 3000,
        "resolution_business_minutes": 1000,
        "day": "2026-11-03",
    },  # reply 250>240
]
SURVEYS: list[Row] = [
    {"response_id": "s1", "csat_score": 5, "nps_score": 10, "day": "2026-11-01"},
    {"response_id": "s2", "csat_score": 4, "nps_score": 9, "day": "2026-11-01"},
    {"response_id": "s3", "csat_score": 3, "nps_score": 7, "day": "2026-11-01"},
    {"response_id": "s4", "csat_score": 1, "nps_score": 0, "day": "2026-11-02"},
    {"response_id": "s5", "nps_score": 6, "day": "2026-11-01"},  # NPS only
    {"response_id": "s6", "csat_score": 5, "day": "2026-11-01"},  # CSAT only
]
FEEDBACK: list[Row] = [
    # answered: an answer was given; helpful: rated right (null: unrated); answerable: the KB had one
    {"feedback_id": "f1", "pilot_arm": "bot", "answered": 1, "helpful": 1, "answerable": 1},
    {"feedback_id": "f2", "pilot_arm": "bot", "answered": 1, "helpful": 0, "answerable": 1},
    {"feedback_id": "f3", "pilot_arm": "bot", "answered": 1, "answerable": 1},  # unrated
    {"feedback_id": "f4", "pilot_arm": "bot", "answered": 0, "answerable": 1},  # below the floor: a miss
    {"feedback_id": "f5", "pilot_arm": "agent", "answered": 1, "helpful": 1, "answerable": 1},
    {"feedback_id": "f6", "pilot_arm": "agent", "answered": 1, "helpful": 1, "answerable": 1},
    {"feedback_id": "f7", "pilot_arm": "agent", "answered": 0, "answerable": 0},
    {"feedback_id": "f8", "pilot_arm": "agent", "answered": 1, "helpful": 0, "answerable": 0},
]
ROWS: dict[Dataset, Sequence[Row]] = {
    Dataset.CONTACTS: CONTACTS,
    Dataset.TICKETS: TICKETS,
    Dataset.SURVEYS: SURVEYS,
    Dataset.ANSWER_FEEDBACK: [{**row, "day": "2026-11-01"} for row in FEEDBACK],
}


def _insert(connection: sqlite3.Connection, dataset: Dataset, rows: Sequence[Row]) -> None:
    columns = table_for(dataset).dataset_columns
    unknown = {key for row in rows for key in row} - set(columns) - {"month"}
    assert not unknown, unknown
    placeholders = ", ".join("?" for _ in columns)
    connection.executemany(
        f"INSERT INTO {dataset.value} VALUES ({placeholders})",
        [
            tuple(str(row.get("day", ""))[:7] or None if c == "month" else row.get(c) for c in columns)
            for row in rows
        ],
    )


@pytest.fixture()
def db() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    for table in LAKE_TABLES:
        connection.execute(f"CREATE TABLE {table.dataset.value} ({', '.join(table.dataset_columns)})")
        _insert(connection, table.dataset, ROWS[table.dataset])
    yield connection
    connection.close()


def _kpis() -> dict[str, KpiDefinition]:
    return {
        kpi.name: kpi for kpi in platform_kpis(StackConfig(environment="demo", phase="analytics").sla_tiers)
    }


def _value(db: sqlite3.Connection, kpi: KpiDefinition) -> float | None:
    (row,) = db.execute(kpi.core_sql()).fetchall()
    return None if row[0] is None else float(row[0])


def _trend(db: sqlite3.Connection, kpi: KpiDefinition, granularity: Granularity) -> list[tuple[str, float]]:
    return [(str(p), float(v)) for p, v in db.execute(kpi.core_sql(granularity)).fetchall()]


def test_csat_counts_4_and_5_among_csat_answers(db: sqlite3.Connection) -> None:
    # answers 5, 4, 3, 1, 5 -> positive 3 of 5
    assert _value(db, _kpis()["csat"]) == pytest.approx(60.0)


def test_fcr_is_tickets_closed_in_one_contact_over_all_tickets(db: sqlite3.Connection) -> None:
    # closed with 1 contact: t1, t3, t5, t7 = 4 of 7 tickets (t4 is open)
    assert _value(db, _kpis()["fcr"]) == pytest.approx(400 / 7)


def test_aht_is_talk_plus_acw_over_handled_contacts_in_minutes(db: sqlite3.Connection) -> None:
    # (300+60) + (420+0) + (240+120) + (200+0) = 1340 s over 4 handled contacts = 335 s
    assert _value(db, _kpis()["aht"]) == pytest.approx(335 / 60)


def test_nps_is_promoters_minus_detractors(db: sqlite3.Connection) -> None:
    # NPS answers 10, 9, 7, 0, 6: promoters 2, detractors 2 (0 and 6) of 5 -> 0
    assert _value(db, _kpis()["nps"]) == pytest.approx(0.0)
    db.execute("INSERT INTO surveys (response_id, nps_score) VALUES ('s7', 9)")
    # 3 promoters, 2 detractors of 6 -> 16.67
    assert _value(db, _kpis()["nps"]) == pytest.approx(100 / 6)


def test_resolution_percentiles_use_nearest_rank_over_resolved_tickets(db: sqlite3.Connection) -> None:
    # resolved minutes sorted: 100, 200, 300, 1440, 3000, 4000 (n=6)
    # P50: rank ceil(3) = 3 -> 300; P95: rank ceil(5.7) = 6 -> 4000
    assert _value(db, _kpis()["resolution_time_p50"]) == 300
    assert _value(db, _kpis()["resolution_time_p95"]) == 4000


def test_sla_compliance_per_tier_uses_the_tier_targets(db: sqlite3.Connection) -> None:
    kpis = _kpis()
    # Critical resolved: t1 ok, t2 late reply, t3 late resolution -> 1 of 3
    assert _value(db, kpis["sla_compliance_critical"]) == pytest.approx(100 / 3)
    # High: t5 exactly on target -> 1 of 1
    assert _value(db, kpis["sla_compliance_high"]) == pytest.approx(100.0)
    # Medium counts business minutes: t6 ok (200/2000), t7 reply 250 > 240 -> 1 of 2
    assert _value(db, kpis["sla_compliance_medium"]) == pytest.approx(50.0)


def test_a_custom_tier_gets_its_own_query_and_targets(db: sqlite3.Connection) -> None:
    tier = SlaTier(name="Gold", respond_minutes=20, resolve_minutes=250)
    _insert(
        db,
        Dataset.TICKETS,
        [
            {"ticket_id": "g1", "tier": "Gold", "first_reply_minutes": 20, "resolution_minutes": 250},
            {"ticket_id": "g2", "tier": "Gold", "first_reply_minutes": 21, "resolution_minutes": 10},
        ],
    )
    assert _value(db, sla_compliance(tier)) == pytest.approx(50.0)


def test_mttr_averages_resolved_incidents_only(db: sqlite3.Connection) -> None:
    kpi = _kpis()["mttr_incidents"]
    # incidents t1 200, t2 100, t3 300 resolved (t4 open; t5-t7 are not incidents) -> 200 min
    assert _value(db, kpi) == pytest.approx(200.0)
    # target: the most urgent tier's resolve target (Critical: 4 h)
    assert kpi.target is not None and kpi.target.maximum == 240
    # per day: 11-01 t1, t2 -> 150; 11-02 t3 -> 300 (t4 open)
    assert _trend(db, kpi, Granularity.DAY) == [("2026-11-01", 150.0), ("2026-11-02", 300.0)]


def test_deflection_is_resolved_without_agent_among_contacts_that_entered_self_service(
    db: sqlite3.Connection,
) -> None:
    kpis = _kpis()
    # bot arm: c2 escalated, c5 resolved, c6 handed back, c7 resolved, c8 hung up -> 2 of 5
    assert _value(db, kpis["deflection_rate"]) == pytest.approx(40.0)
    assert kpis["deflection_rate"].target is not None
    assert (kpis["deflection_rate"].target.minimum, kpis["deflection_rate"].target.maximum) == (15, 40)
    # agent load per arm: bot arm c2, c6 of 5 -> 40; agent arm c1 of c1, c4 -> 50 (c3 before the pilot)
    assert _value(db, kpis["agent_contact_rate_bot_arm"]) == pytest.approx(40.0)
    assert _value(db, kpis["agent_contact_rate_agent_arm"]) == pytest.approx(50.0)
    # per month: 2026-10 c7 resolved -> 100; 2026-11 c2, c5, c6, c8 -> 1 of 4
    assert _trend(db, kpis["deflection_rate"], Granularity.MONTH) == [("2026-10", 100.0), ("2026-11", 25.0)]


def test_answer_precision_and_recall_overall_and_per_arm(db: sqlite3.Connection) -> None:
    kpis = _kpis()
    # precision: answered and rated f1 1, f2 0, f5 1, f6 1, f8 0 -> 3 of 5 (f3 unrated)
    assert _value(db, kpis["answer_precision"]) == pytest.approx(60.0)
    assert _value(db, kpis["answer_precision_bot_arm"]) == pytest.approx(50.0)  # f1, f2
    assert _value(db, kpis["answer_precision_agent_arm"]) == pytest.approx(200 / 3)  # f5, f6, f8
    # recall: answerable f1-f6, answered right f1, f5, f6 -> 3 of 6
    assert _value(db, kpis["answer_recall"]) == pytest.approx(50.0)
    assert _value(db, kpis["answer_recall_bot_arm"]) == pytest.approx(25.0)  # f1 of f1-f4
    assert _value(db, kpis["answer_recall_agent_arm"]) == pytest.approx(100.0)  # f5, f6 of f5, f6


def test_trends_give_one_row_per_period_in_order_and_skip_empty_periods(db: sqlite3.Connection) -> None:
    kpis = _kpis()
    # CSAT 11-01: 5, 4, 3, 5 -> 3 of 4; 11-02: 1 -> 0
    assert _trend(db, kpis["csat"], Granularity.DAY) == [("2026-11-01", 75.0), ("2026-11-02", 0.0)]
    # P50 of resolved minutes per month: 2026-10 [4000] -> 4000; 2026-11 [100, 200, 300, 1440, 3000]
    # rank ceil(2.5) = 3 -> 300
    assert _trend(db, kpis["resolution_time_p50"], Granularity.MONTH) == [
        ("2026-10", 4000.0),
        ("2026-11", 300.0),
    ]
    # AHT per day: 11-01 (360 + 420) / 2 = 390 s; 11-02 360 s; 11-03 200 s
    assert _trend(db, kpis["aht"], Granularity.DAY) == [
        ("2026-11-01", 6.5),
        ("2026-11-02", 6.0),
        ("2026-11-03", pytest.approx(200 / 60)),
    ]


def test_top_issue_types_with_share_and_percentiles(db: sqlite3.Connection) -> None:
    rows = db.execute(TOP_ISSUE_TYPES.core_sql()).fetchall()
    # billing t5, t6, t7 (3 of 7), login t1, t2 and outage t3, t4 (2 of 7 each, tie broken by name)
    # billing resolved 1440, 3000, 4000: P50 rank 2 -> 3000, P95 rank 3 -> 4000
    # login 100, 200: P50 100, P95 200; outage only t3 resolved: 300, 300
    assert rows == [
        ("billing", 3, pytest.approx(300 / 7), 3000, 4000),
        ("login", 2, pytest.approx(200 / 7), 100, 200),
        ("outage", 2, pytest.approx(200 / 7), 300, 300),
    ]
    monthly = db.execute(TOP_ISSUE_TYPES.core_sql(Granularity.MONTH)).fetchall()
    # 2026-10: t6 only; 2026-11: billing 2 (t5, t7) of 6, login 2, outage 2 -> tie order by name
    assert [(p, g, n) for p, g, n, *_ in monthly] == [
        ("2026-10", "billing", 1),
        ("2026-11", "billing", 2),
        ("2026-11", "login", 2),
        ("2026-11", "outage", 2),
    ]
    assert monthly[1][3:] == (pytest.approx(100 / 3), 1440, 3000)  # billing 2026-11: 2 of 6; 1440, 3000


def test_top_10_cuts_ties_at_the_tenth_place_by_name() -> None:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (kind, minutes)")
    # eight kinds with 10..3 rows, then four kinds tied at 2 rows: only alpha and bravo fit in the top 10
    counts = {f"k{n:02d}": n for n in range(10, 2, -1)} | {"delta": 2, "alpha": 2, "charlie": 2, "bravo": 2}
    connection.executemany(
        "INSERT INTO t VALUES (?, ?)", [(kind, i) for kind, n in counts.items() for i in range(1, n + 1)]
    )
    total = sum(counts.values())  # 52 + 8 = 60
    rows = connection.execute(TopGroups("kind", "minutes", limit=10).sql("t")).fetchall()
    assert [(kind, n) for kind, n, *_ in rows] == [
        *((f"k{n:02d}", n) for n in range(10, 2, -1)),
        ("alpha", 2),
        ("bravo", 2),
    ]
    assert rows[0][2] == pytest.approx(100 * 10 / total)
    # k10 has minutes 1..10: P50 rank 5 -> 5, P95 rank ceil(9.5) = 10 -> 10
    assert rows[0][3:] == (5, 10)
    connection.close()


def test_no_rows_give_null_values_and_empty_trends_not_errors(db: sqlite3.Connection) -> None:
    for dataset in Dataset:
        db.execute(f"DELETE FROM {dataset.value}")
    assert all(_value(db, kpi) is None for kpi in _kpis().values())
    for kpi in _kpis().values():
        for granularity in Granularity:
            assert db.execute(kpi.core_sql(granularity)).fetchall() == []
    assert db.execute(TOP_ISSUE_TYPES.core_sql()).fetchall() == []
    assert db.execute(TOP_ISSUE_TYPES.core_sql(Granularity.MONTH)).fetchall() == []


def test_string_literals_are_escaped(db: sqlite3.Connection) -> None:
    _insert(db, Dataset.TICKETS, [{"ticket_id": "q1", "tier": "O'Brien", "resolution_minutes": 1}])
    kpi = KpiDefinition(
        name="quoted_tier",
        title="t",
        description="d",
        dataset=Dataset.TICKETS,
        formula=Percentile("resolution_minutes", 50, among=Compare("tier", "=", "O'Brien")),
        unit=_kpis()["fcr"].unit,
    )
    assert _value(db, kpi) == 1


def test_athena_query_wraps_the_same_core_in_a_windowed_projection() -> None:
    for kpi in _kpis().values():
        sql = kpi.athena_sql()
        table = table_for(kpi.dataset)
        assert sql.startswith(f"WITH {kpi.dataset.value} AS (SELECT ")
        assert sql.endswith(kpi.core_sql())
        assert f"FROM {table.table} WHERE dt >= " in sql
        assert "interval '28' day" in sql
        daily = kpi.athena_trend_sql(Granularity.DAY)
        assert daily.endswith(kpi.core_sql(Granularity.DAY)) and "interval '28' day" in daily
        monthly = kpi.athena_trend_sql(Granularity.MONTH)
        assert monthly.endswith(kpi.core_sql(Granularity.MONTH))
        assert "date_trunc('month', current_date) - interval '12' month" in monthly


def test_named_queries_cover_every_kpi_three_ways_and_the_top_issue_types() -> None:
    kpis = list(_kpis().values())
    keys = [spec.key for spec in named_queries(kpis)]
    assert len(keys) == len(set(keys)) == 3 * len(kpis) + 2
    for kpi in kpis:
        assert {kpi.name, f"{kpi.name}_daily", f"{kpi.name}_monthly"} <= set(keys)
    assert {"top_issue_types", "top_issue_types_monthly"} <= set(keys)
    assert Window.LAST_12_MONTHS.partition_filter() in next(
        s.sql for s in named_queries(kpis) if s.key == "top_issue_types_monthly"
    )


_FUNCTIONS = {"substr", "coalesce"}


def test_projection_reads_only_columns_the_glue_table_declares() -> None:
    for table in LAKE_TABLES:
        raw = {c.name for c in table.columns}
        for _, expression in table.projection:
            code = re.sub(r"'[^']*'", "", expression)
            names = [n for n in re.findall(r"[a-z_][a-z0-9_.]*", code) if n not in _FUNCTIONS]
            assert names, (table.table, expression)
            for name in names:
                assert name.split(".")[0] in raw, (table.table, expression)


def test_contact_attributes_match_the_flow_attribute_names() -> None:
    from supportops.stacks.components.self_service.pilot import ARM_ATTRIBUTE, OUTCOME_ATTRIBUTE

    contacts = table_for(Dataset.CONTACTS)
    attributes = next(c for c in contacts.columns if c.name == "attributes")
    # the JSON SerDe matches keys case-insensitively: the struct fields are the attribute names
    assert f"{ARM_ATTRIBUTE.lower()}:string" in attributes.type
    assert f"{OUTCOME_ATTRIBUTE.lower()}:string" in attributes.type


def test_a_formula_reading_an_unknown_column_is_refused() -> None:
    with pytest.raises(ValueError, match="not in surveys"):
        KpiDefinition(
            name="broken",
            title="t",
            description="d",
            dataset=Dataset.SURVEYS,
            formula=Percentile("resolution_minutes", 50),
            unit=_kpis()["fcr"].unit,
        )
