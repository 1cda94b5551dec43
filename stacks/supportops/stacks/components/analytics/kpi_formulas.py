"""Typed KPI formulas rendered to SQL that SQLite and Athena (Trino) both run unchanged.

The formula core reads a flat dataset (see :mod:`datasets`); Athena gets it wrapped in a ``WITH``
that projects the dataset from the raw tables over the rolling window. Only portable SQL is used:
CASE, COALESCE, NULLIF, CAST(... AS DOUBLE) and window functions (for exact nearest-rank
percentiles, which both engines compute identically, unlike Athena's approx_percentile).

Every formula renders either one row (``value``) over the whole dataset, or, with ``period`` (a
dataset column such as ``day`` or ``month``), one row per period (``period``, ``value``) in period
order: the trend. A period without matching rows has no row (readers fill the gap)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Operator = Literal["=", "<", "<=", ">", ">="]


@dataclass(frozen=True)
class Compare:
    column: str
    operator: Operator
    value: int | str

    def sql(self) -> str:
        if isinstance(self.value, str):
            literal = "'" + self.value.replace("'", "''") + "'"
        else:
            literal = str(int(self.value))
        return f"{self.column} {self.operator} {literal}"

    def columns(self) -> set[str]:
        return {self.column}


@dataclass(frozen=True)
class NotNull:
    column: str

    def sql(self) -> str:
        return f"{self.column} IS NOT NULL"

    def columns(self) -> set[str]:
        return {self.column}


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Predicate, ...]

    def sql(self) -> str:
        return " AND ".join(f"({p.sql()})" for p in self.parts)

    def columns(self) -> set[str]:
        return set().union(*(p.columns() for p in self.parts))


@dataclass(frozen=True)
class IsNull:
    column: str

    def sql(self) -> str:
        return f"{self.column} IS NULL"

    def columns(self) -> set[str]:
        return {self.column}


Predicate = Compare | NotNull | IsNull | AllOf


def _where(among: Predicate | None) -> str:
    return f" WHERE {among.sql()}" if among is not None else ""


def _select(period: str | None) -> str:
    return f"SELECT {period} AS period, " if period else "SELECT "


def _grouped(period: str | None) -> str:
    return f" GROUP BY {period} ORDER BY {period}" if period else ""


def _count_if(predicate: Predicate) -> str:
    return f"SUM(CASE WHEN {predicate.sql()} THEN 1 ELSE 0 END)"


def _columns(*predicates: Predicate | None) -> set[str]:
    return set().union(*(p.columns() for p in predicates if p is not None))


@dataclass(frozen=True)
class Share:
    """Percentage of the rows matching ``among`` that also match ``condition``."""

    condition: Predicate
    among: Predicate | None = None

    def sql(self, dataset: str, period: str | None = None) -> str:
        return (
            f"{_select(period)}100 * CAST({_count_if(self.condition)} AS DOUBLE) / NULLIF(COUNT(*), 0) "
            f"AS value FROM {dataset}{_where(self.among)}{_grouped(period)}"
        )

    def columns(self) -> set[str]:
        return _columns(self.condition, self.among)


@dataclass(frozen=True)
class NetScore:
    """Percentage of promoters minus percentage of detractors among ``among`` (-100..+100)."""

    promoters: Predicate
    detractors: Predicate
    among: Predicate | None = None

    def sql(self, dataset: str, period: str | None = None) -> str:
        return (
            f"{_select(period)}100 * CAST({_count_if(self.promoters)} - {_count_if(self.detractors)} "
            f"AS DOUBLE) / NULLIF(COUNT(*), 0) AS value FROM {dataset}{_where(self.among)}{_grouped(period)}"
        )

    def columns(self) -> set[str]:
        return _columns(self.promoters, self.detractors, self.among)


@dataclass(frozen=True)
class MeanOfSum:
    """Average over the rows matching ``among`` of the sum of ``terms`` (missing terms count 0),
    divided by ``divisor`` (e.g. 60 for seconds to minutes)."""

    terms: tuple[str, ...]
    among: Predicate | None = None
    divisor: int = 1

    def sql(self, dataset: str, period: str | None = None) -> str:
        total = " + ".join(f"COALESCE({term}, 0)" for term in self.terms)
        return (
            f"{_select(period)}CAST(SUM({total}) AS DOUBLE) / NULLIF(COUNT(*), 0) / {self.divisor} "
            f"AS value FROM {dataset}{_where(self.among)}{_grouped(period)}"
        )

    def columns(self) -> set[str]:
        return set(self.terms) | _columns(self.among)


@dataclass(frozen=True)
class Percentile:
    """Nearest-rank percentile: the smallest value with at least ``percent`` % of values at or
    below it (exact, so it can be checked by hand)."""

    column: str
    percent: int
    among: Predicate | None = None

    def __post_init__(self) -> None:
        if not 0 < self.percent <= 100:
            raise ValueError("percent must be in 1..100")

    def sql(self, dataset: str, period: str | None = None) -> str:
        if period is None:
            return (
                "SELECT MIN(ranked_value) AS value FROM ("
                f"SELECT {self.column} AS ranked_value, "
                f"ROW_NUMBER() OVER (ORDER BY {self.column}) AS rank_no, COUNT(*) OVER () AS row_total "
                f"FROM {dataset}{_where(self.among)}"
                f") ranked WHERE rank_no * 100 >= {self.percent} * row_total"
            )
        return (
            "SELECT period, MIN(ranked_value) AS value FROM ("
            f"SELECT {period} AS period, {self.column} AS ranked_value, "
            f"ROW_NUMBER() OVER (PARTITION BY {period} ORDER BY {self.column}) AS rank_no, "
            f"COUNT(*) OVER (PARTITION BY {period}) AS row_total "
            f"FROM {dataset}{_where(self.among)}"
            f") ranked WHERE rank_no * 100 >= {self.percent} * row_total GROUP BY period ORDER BY period"
        )

    def columns(self) -> set[str]:
        return {self.column} | _columns(self.among)


Formula = Share | NetScore | MeanOfSum | Percentile


@dataclass(frozen=True)
class TopGroups:
    """The ``limit`` largest groups of ``group`` by row count: rows (``group_value``, ``row_count``,
    ``share`` of all rows in %, ``p50``, ``p95`` of ``measure`` among rows where it is set, nearest
    rank), largest first; ties in count are broken by the group's name, ascending, so the cut at
    ``limit`` is deterministic. With ``period``, the top groups of each period, period first."""

    group: str
    measure: str
    limit: int = 10

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError("limit must be at least 1")

    def sql(self, dataset: str, period: str | None = None) -> str:
        by = f"PARTITION BY {period} " if period else ""
        keys = f"{period}, {self.group}" if period else self.group
        on_period = "p.period = v.period AND " if period else ""
        period_out = "v.period AS period, " if period else ""
        period_in = f"{period} AS period, " if period else ""
        volume = (
            f"SELECT {period_in}{self.group} AS group_value, COUNT(*) AS row_count, "
            f"100 * CAST(COUNT(*) AS DOUBLE) / SUM(COUNT(*)) OVER ({by.strip()}) AS share, "
            f"ROW_NUMBER() OVER ({by}ORDER BY COUNT(*) DESC, {self.group}) AS place "
            f"FROM {dataset} GROUP BY {keys}"
        )
        ranked = (
            f"SELECT {period_in}{self.group} AS group_value, {self.measure} AS ranked_value, "
            f"ROW_NUMBER() OVER (PARTITION BY {keys} ORDER BY {self.measure}) AS rank_no, "
            f"COUNT(*) OVER (PARTITION BY {keys}) AS row_total "
            f"FROM {dataset} WHERE {self.measure} IS NOT NULL"
        )
        percentiles = (
            f"SELECT {'period, ' if period else ''}group_value, "
            "MIN(CASE WHEN rank_no * 100 >= 50 * row_total THEN ranked_value END) AS p50, "
            "MIN(CASE WHEN rank_no * 100 >= 95 * row_total THEN ranked_value END) AS p95 "
            f"FROM ({ranked}) ranked GROUP BY {'period, ' if period else ''}group_value"
        )
        order = "v.period, v.place" if period else "v.place"
        return (
            f"SELECT {period_out}v.group_value AS group_value, v.row_count AS row_count, v.share AS share, "
            f"p.p50 AS p50, p.p95 AS p95 FROM ({volume}) v LEFT JOIN ({percentiles}) p "
            f"ON {on_period}p.group_value = v.group_value WHERE v.place <= {self.limit} ORDER BY {order}"
        )

    def columns(self) -> set[str]:
        return {self.group, self.measure}


def all_of(*parts: Predicate) -> Predicate:
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def unknown_columns(formula: Formula | TopGroups, known: Iterable[str]) -> set[str]:
    return formula.columns() - set(known)
