"""The platform's KPIs as typed definitions (formulas from the seed targets), and the Athena SQL
generated from them. One definition per KPI; SLA compliance has one per configured tier."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from supportops.stacks.components.analytics.datasets import Dataset, table_for
from supportops.stacks.components.analytics.kpi_formulas import (
    Compare,
    Formula,
    MeanOfSum,
    NetScore,
    NotNull,
    Percentile,
    Share,
    all_of,
    unknown_columns,
)
from supportops.stacks.config import SlaTier


class Unit(StrEnum):
    PERCENT = "%"
    MINUTES = "min"
    SCORE = "score"


@dataclass(frozen=True)
class Target:
    minimum: float | None = None
    maximum: float | None = None

    def describe(self, unit: Unit) -> str:
        suffix = "" if unit is Unit.SCORE else f" {unit.value}"
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum:g}-{self.maximum:g}{suffix}"
        if self.minimum is not None:
            return f">= {self.minimum:g}{suffix}"
        return f"<= {self.maximum:g}{suffix}"


@dataclass(frozen=True)
class KpiDefinition:
    name: str  # snake_case, used in query and widget names
    title: str
    description: str
    dataset: Dataset
    formula: Formula
    unit: Unit
    target: Target | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z][a-z0-9_]{1,62}", self.name):
            raise ValueError(f"KPI name {self.name!r} must be snake_case")
        unknown = unknown_columns(self.formula, table_for(self.dataset).dataset_columns)
        if unknown:
            raise ValueError(f"KPI {self.name} reads columns {sorted(unknown)} not in {self.dataset}")

    def core_sql(self) -> str:
        """Dialect-neutral SQL over the flat dataset (a table or CTE named after it)."""
        return self.formula.sql(self.dataset.value)

    def athena_sql(self) -> str:
        """The named query: the dataset projected from the raw table over the window, then the core."""
        table = table_for(self.dataset)
        return f"WITH {self.dataset.value} AS ({table.projection_sql()}) {self.core_sql()}"


def _tier_slug(tier: SlaTier) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", tier.name).lower()


def sla_compliance(tier: SlaTier) -> KpiDefinition:
    """Resolved tickets of the tier answered and resolved within its targets; business-hours
    tiers are measured in business minutes."""
    reply, resolution = (
        ("first_reply_business_minutes", "resolution_business_minutes")
        if tier.business_hours_only
        else ("first_reply_minutes", "resolution_minutes")
    )
    return KpiDefinition(
        name=f"sla_compliance_{_tier_slug(tier)}",
        title=f"SLA compliance: {tier.name}",
        description=(
            f"Resolved {tier.name} tickets answered within {tier.respond_minutes} min and resolved "
            f"within {tier.resolve_minutes} min" + (" (business minutes)" if tier.business_hours_only else "")
        ),
        dataset=Dataset.TICKETS,
        formula=Share(
            condition=all_of(
                Compare(reply, "<=", tier.respond_minutes), Compare(resolution, "<=", tier.resolve_minutes)
            ),
            among=all_of(Compare("tier", "=", tier.name), NotNull(resolution)),
        ),
        unit=Unit.PERCENT,
        target=Target(minimum=95),
    )


def platform_kpis(tiers: Sequence[SlaTier]) -> list[KpiDefinition]:
    """CSAT, FCR, AHT, NPS, P50/P95 resolution time, and SLA compliance per tier."""
    return [
        KpiDefinition(
            name="csat",
            title="CSAT",
            description="Positive survey responses (4-5 of 5) / total responses x 100",
            dataset=Dataset.SURVEYS,
            formula=Share(condition=Compare("csat_score", ">=", 4), among=NotNull("csat_score")),
            unit=Unit.PERCENT,
            target=Target(minimum=80, maximum=90),
        ),
        KpiDefinition(
            name="fcr",
            title="First contact resolution",
            description="Tickets closed in 1 contact / total tickets x 100",
            dataset=Dataset.TICKETS,
            formula=Share(condition=all_of(NotNull("resolution_minutes"), Compare("contact_count", "=", 1))),
            unit=Unit.PERCENT,
            target=Target(minimum=70, maximum=85),
        ),
        KpiDefinition(
            name="aht",
            title="Average handle time",
            description="(Talk/chat time + after-contact work) / contacts handled by an agent, in minutes",
            dataset=Dataset.CONTACTS,
            formula=MeanOfSum(
                terms=("talk_seconds", "acw_seconds"), among=NotNull("talk_seconds"), divisor=60
            ),
            unit=Unit.MINUTES,
            target=Target(minimum=4, maximum=12),
        ),
        KpiDefinition(
            name="nps",
            title="Net Promoter Score",
            description="% promoters (9-10) - % detractors (0-6) among NPS responses",
            dataset=Dataset.SURVEYS,
            formula=NetScore(
                promoters=Compare("nps_score", ">=", 9),
                detractors=Compare("nps_score", "<=", 6),
                among=NotNull("nps_score"),
            ),
            unit=Unit.SCORE,
            target=Target(minimum=20, maximum=60),
        ),
        KpiDefinition(
            name="resolution_time_p50",
            title="Resolution time P50",
            description="Median calendar minutes from creation to resolution (nearest rank)",
            dataset=Dataset.TICKETS,
            formula=Percentile("resolution_minutes", 50, among=NotNull("resolution_minutes")),
            unit=Unit.MINUTES,
        ),
        KpiDefinition(
            name="resolution_time_p95",
            title="Resolution time P95",
            description="95th percentile of calendar minutes to resolution (nearest rank)",
            dataset=Dataset.TICKETS,
            formula=Percentile("resolution_minutes", 95, among=NotNull("resolution_minutes")),
            unit=Unit.MINUTES,
        ),
        *(sla_compliance(tier) for tier in tiers),
    ]
