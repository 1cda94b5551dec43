"""The KPI formulas, run as generated SQL against hand-checked sample rows in SQLite.

Every expected value below is worked out by hand from the rows in the comment next to it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

import pytest

from supportops.stacks.components.analytics.datasets import LAKE_TABLES, Dataset, table_for
from supportops.stacks.components.analytics.kpi_formulas import Compare, Percentile
from supportops.stacks.components.analytics.kpis import KpiDefinition, platform_kpis, sla_compliance
from supportops.stacks.config import SlaTier, StackConfig

CONTACTS = [
    # contact_id, channel, talk_seconds, acw_seconds, queue_seconds
    ("c1", "VOICE", 300, 60, 20),
    ("c2", "CHAT", 420, None, 5),  # no after-contact work recorded: counts as 0
    ("c3", "VOICE", 240, 120, 40),
    ("c4", "VOICE", None, None, 90),  # abandoned in queue: not handled, not counted
]
TICKETS = [
    # ticket_id, tier, contact_count, reply, reply_business, resolution, resolution_business
    ("t1", "Critical", 1, 10, 10, 200, 200),  # within 15 / 240
    ("t2", "Critical", 2, 20, 20, 100, 100),  # reply too late
    ("t3", "Critical", 1, 5, 5, 300, 300),  # resolution too late
    ("t4", "Critical", 1, 14, 14, None, None),  # open: not in SLA nor resolution stats
    ("t5", "High", 1, 60, 60, 1440, 1440),  # exactly on both targets: compliant
    ("t6", "Medium", 3, 600, 200, 4000, 2000),  # business minutes within 240 / 2400
    ("t7", "Medium", 1, 300, 250, 3000, 1000),  # business reply 250 > 240
]
SURVEYS = [
    # response_id, csat_score, nps_score
    ("s1", 5, 10),
    ("s2", 4, 9),
    ("s3", 3, 7),
    ("s4", 1, 0),
    ("s5", None, 6),  # NPS only
    ("s6", 5, None),  # CSAT only
]
ROWS: dict[Dataset, Sequence[tuple[object, ...]]] = {
    Dataset.CONTACTS: CONTACTS,
    Dataset.TICKETS: TICKETS,
    Dataset.SURVEYS: SURVEYS,
}


@pytest.fixture()
def db() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    for table in LAKE_TABLES:
        columns = table.dataset_columns
        connection.execute(f"CREATE TABLE {table.dataset.value} ({', '.join(columns)})")
        placeholders = ", ".join("?" for _ in columns)
        connection.executemany(
            f"INSERT INTO {table.dataset.value} VALUES ({placeholders})", ROWS[table.dataset]
        )
    yield connection
    connection.close()


def _kpis() -> dict[str, KpiDefinition]:
    return {
        kpi.name: kpi for kpi in platform_kpis(StackConfig(environment="demo", phase="analytics").sla_tiers)
    }


def _value(db: sqlite3.Connection, kpi: KpiDefinition) -> float | None:
    (row,) = db.execute(kpi.core_sql()).fetchall()
    return None if row[0] is None else float(row[0])


def test_csat_counts_4_and_5_among_csat_answers(db: sqlite3.Connection) -> None:
    # answers 5, 4, 3, 1, 5 -> positive 3 of 5
    assert _value(db, _kpis()["csat"]) == pytest.approx(60.0)


def test_fcr_is_tickets_closed_in_one_contact_over_all_tickets(db: sqlite3.Connection) -> None:
    # closed with 1 contact: t1, t3, t5, t7 = 4 of 7 tickets (t4 is open)
    assert _value(db, _kpis()["fcr"]) == pytest.approx(400 / 7)


def test_aht_is_talk_plus_acw_over_handled_contacts_in_minutes(db: sqlite3.Connection) -> None:
    # (300+60) + (420+0) + (240+120) = 1140 s over 3 handled contacts = 380 s = 6.333 min
    assert _value(db, _kpis()["aht"]) == pytest.approx(380 / 60)


def test_nps_is_promoters_minus_detractors(db: sqlite3.Connection) -> None:
    # NPS answers 10, 9, 7, 0, 6: promoters 2, detractors 2 (0 and 6) of 5 -> 0
    assert _value(db, _kpis()["nps"]) == pytest.approx(0.0)
    db.execute("INSERT INTO surveys VALUES ('s7', NULL, 9)")
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
    db.execute("INSERT INTO tickets VALUES ('g1', 'Gold', 1, 20, 20, 250, 250)")
    db.execute("INSERT INTO tickets VALUES ('g2', 'Gold', 1, 21, 21, 10, 10)")
    assert _value(db, sla_compliance(tier)) == pytest.approx(50.0)


def test_no_rows_give_null_not_a_division_error(db: sqlite3.Connection) -> None:
    for dataset in Dataset:
        db.execute(f"DELETE FROM {dataset.value}")
    assert all(_value(db, kpi) is None for kpi in _kpis().values())


def test_string_literals_are_escaped(db: sqlite3.Connection) -> None:
    db.execute("INSERT INTO tickets VALUES ('q1', 'O''Brien', 1, 1, 1, 1, 1)")
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


def test_projection_reads_only_columns_the_glue_table_declares() -> None:
    for table in LAKE_TABLES:
        raw = {c.name for c in table.columns}
        for _, expression in table.projection:
            assert expression.split(".")[0] in raw, (table.table, expression)


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
