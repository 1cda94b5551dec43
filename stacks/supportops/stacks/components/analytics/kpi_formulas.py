"""Typed KPI formulas rendered to SQL that SQLite and Athena (Trino) both run unchanged.

The formula core reads a flat dataset (see :mod:`datasets`); Athena gets it wrapped in a ``WITH``
that projects the dataset from the raw tables over the rolling window. Only portable SQL is used:
CASE, COALESCE, NULLIF, CAST(... AS DOUBLE) and window functions (for exact nearest-rank
percentiles, which both engines compute identically, unlike Athena's approx_percentile)."""

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


Predicate = Compare | NotNull | AllOf


def _where(among: Predicate | None) -> str:
    return f" WHERE {among.sql()}" if among is not None else ""


def _count_if(predicate: Predicate) -> str:
    return f"SUM(CASE WHEN {predicate.sql()} THEN 1 ELSE 0 END)"


def _columns(*predicates: Predicate | None) -> set[str]:
    return set().union(*(p.columns() for p in predicates if p is not None))


@dataclass(frozen=True)
class Share:
    """Percentage of the rows matching ``among`` that also match ``condition``."""

    condition: Predicate
    among: Predicate | None = None

    def sql(self, dataset: str) -> str:
        return (
            f"SELECT 100 * CAST({_count_if(self.condition)} AS DOUBLE) / NULLIF(COUNT(*), 0) AS value "
            f"FROM {dataset}{_where(self.among)}"
        )

    def columns(self) -> set[str]:
        return _columns(self.condition, self.among)


@dataclass(frozen=True)
class NetScore:
    """Percentage of promoters minus percentage of detractors among ``among`` (-100..+100)."""

    promoters: Predicate
    detractors: Predicate
    among: Predicate | None = None

    def sql(self, dataset: str) -> str:
        return (
            f"SELECT 100 * CAST({_count_if(self.promoters)} - {_count_if(self.detractors)} AS DOUBLE) "
            f"/ NULLIF(COUNT(*), 0) AS value FROM {dataset}{_where(self.among)}"
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

    def sql(self, dataset: str) -> str:
        total = " + ".join(f"COALESCE({term}, 0)" for term in self.terms)
        return (
            f"SELECT CAST(SUM({total}) AS DOUBLE) / NULLIF(COUNT(*), 0) / {self.divisor} AS value "
            f"FROM {dataset}{_where(self.among)}"
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

    def sql(self, dataset: str) -> str:
        return (
            "SELECT MIN(ranked_value) AS value FROM ("
            f"SELECT {self.column} AS ranked_value, "
            f"ROW_NUMBER() OVER (ORDER BY {self.column}) AS rank_no, COUNT(*) OVER () AS row_total "
            f"FROM {dataset}{_where(self.among)}"
            f") ranked WHERE rank_no * 100 >= {self.percent} * row_total"
        )

    def columns(self) -> set[str]:
        return {self.column} | _columns(self.among)


Formula = Share | NetScore | MeanOfSum | Percentile


def all_of(*parts: Predicate) -> Predicate:
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def unknown_columns(formula: Formula, known: Iterable[str]) -> set[str]:
    return formula.columns() - set(known)
