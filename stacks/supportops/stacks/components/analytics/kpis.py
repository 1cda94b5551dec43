"""The platform's KPIs as typed definitions (formulas from the seed targets), and the Athena SQL
generated from them. One definition per KPI; SLA compliance has one per configured tier.

Each KPI becomes three named queries: its value over the rolling 28-day window, its trend per day
over that window (``<name>_daily``) and its trend per month over the last 12 months
(``<name>_monthly``, what the monthly executive summary reads). The top issue types are a table,
not a number: :data:`TOP_ISSUE_TYPES`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from supportops.stacks.components.analytics.datasets import DAY, MONTH, Dataset, Window, table_for
from supportops.stacks.components.analytics.kpi_formulas import (
    Compare,
    Formula,
    IsNull,
    MeanOfSum,
    NetScore,
    NotNull,
    Percentile,
    Predicate,
    Share,
    TopGroups,
    all_of,
    unknown_columns,
)
from supportops.stacks.components.self_service.pilot import Arm, Outcome
from supportops.stacks.config import SlaTier

INCIDENT = "incident"  # tickets.ticket_type of an incident: something broke (MTTR counts these)


class Granularity(StrEnum):
    DAY = "daily"
    MONTH = "monthly"

    @property
    def column(self) -> str:
        return DAY if self is Granularity.DAY else MONTH

    @property
    def window(self) -> Window:
        return Window.ROLLING_28_DAYS if self is Granularity.DAY else Window.LAST_12_MONTHS


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

    def core_sql(self, granularity: Granularity | None = None) -> str:
        """Dialect-neutral SQL over the flat dataset (a table or CTE named after it): one ``value``,
        or with ``granularity`` one (``period``, ``value``) row per day or month."""
        return self.formula.sql(self.dataset.value, granularity.column if granularity else None)

    def athena_sql(self) -> str:
        """The named query: the dataset projected from the raw table over the window, then the core."""
        table = table_for(self.dataset)
        return f"WITH {self.dataset.value} AS ({table.projection_sql()}) {self.core_sql()}"

    def athena_trend_sql(self, granularity: Granularity) -> str:
        """Per day over the rolling 28 days, or per month over the last 12 months."""
        table = table_for(self.dataset)
        projection = table.projection_sql(granularity.window)
        return f"WITH {self.dataset.value} AS ({projection}) {self.core_sql(granularity)}"

    def query_name(self, granularity: Granularity | None = None) -> str:
        return f"{self.name}_{granularity.value}" if granularity else self.name


@dataclass(frozen=True)
class TopIssueTypes:
    """Tickets by issue type: the 10 largest types with their share of all tickets and their P50/P95
    calendar minutes to resolution (resolved tickets of the type)."""

    name: str = "top_issue_types"
    title: str = "Top 10 issue types"
    description: str = (
        "The 10 issue types with the most tickets (ties broken by name), their share of all tickets and "
        "P50/P95 minutes to resolution"
    )
    dataset: Dataset = Dataset.TICKETS
    formula: TopGroups = field(
        default_factory=lambda: TopGroups(group="issue_type", measure="resolution_minutes", limit=10)
    )

    def core_sql(self, granularity: Granularity | None = None) -> str:
        return self.formula.sql(self.dataset.value, granularity.column if granularity else None)

    def athena_sql(self, granularity: Granularity | None = None) -> str:
        table = table_for(self.dataset)
        window = granularity.window if granularity else Window.ROLLING_28_DAYS
        return f"WITH {self.dataset.value} AS ({table.projection_sql(window)}) {self.core_sql(granularity)}"

    def query_name(self, granularity: Granularity | None = None) -> str:
        return f"{self.name}_{granularity.value}" if granularity else self.name


TOP_ISSUE_TYPES = TopIssueTypes()


@dataclass(frozen=True)
class NamedQuerySpec:
    """One Athena named query: its key (``csat``, ``csat_daily``, ``top_issue_types_monthly`` ...),
    what it computes, and its SQL."""

    key: str
    title: str
    description: str
    sql: str


def named_queries(kpis: Sequence[KpiDefinition]) -> list[NamedQuerySpec]:
    """Every KPI over the window, per day and per month; the top issue types over the window and per
    month."""
    specs: list[NamedQuerySpec] = []
    for kpi in kpis:
        specs.append(NamedQuerySpec(kpi.name, kpi.title, kpi.description, kpi.athena_sql()))
        for granularity in Granularity:
            specs.append(
                NamedQuerySpec(
                    kpi.query_name(granularity),
                    f"{kpi.title} ({granularity.value} trend)",
                    kpi.description,
                    kpi.athena_trend_sql(granularity),
                )
            )
    top = TOP_ISSUE_TYPES
    specs.append(NamedQuerySpec(top.name, top.title, top.description, top.athena_sql()))
    specs.append(
        NamedQuerySpec(
            top.query_name(Granularity.MONTH),
            f"{top.title} (monthly)",
            top.description,
            top.athena_sql(Granularity.MONTH),
        )
    )
    return specs


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


def incident_mttr(tiers: Sequence[SlaTier]) -> KpiDefinition:
    """Mean calendar minutes from creation to resolution of resolved incident tickets
    (``ticket_type = 'incident'``). Target: the most urgent tier's resolve target (Critical, 4 h)."""
    most_urgent = min(tiers, key=lambda t: t.resolve_minutes)
    return KpiDefinition(
        name="mttr_incidents",
        title="MTTR (incidents)",
        description=(
            "Mean calendar minutes from creation to resolution of resolved tickets with "
            f"ticket_type = '{INCIDENT}'"
        ),
        dataset=Dataset.TICKETS,
        formula=MeanOfSum(
            terms=("resolution_minutes",),
            among=all_of(Compare("ticket_type", "=", INCIDENT), NotNull("resolution_minutes")),
        ),
        unit=Unit.MINUTES,
        target=Target(maximum=most_urgent.resolve_minutes),
    )


def _resolved_without_agent() -> Predicate:
    return all_of(Compare("self_service_outcome", "=", Outcome.RESOLVED.value), IsNull("talk_seconds"))


def deflection_rate() -> KpiDefinition:
    return KpiDefinition(
        name="deflection_rate",
        title="Deflection rate",
        description=(
            "Self-service contacts resolved without an agent / all contacts that entered self-service "
            "(the bot arm) x 100"
        ),
        dataset=Dataset.CONTACTS,
        formula=Share(condition=_resolved_without_agent(), among=Compare("pilot_arm", "=", Arm.BOT.value)),
        unit=Unit.PERCENT,
        target=Target(minimum=15, maximum=40),
    )


def agent_contact_rate(arm: Arm) -> KpiDefinition:
    """Contacts of the arm an agent handled: the pilot's A/B comparison of agent load (no target;
    the control arm is the baseline)."""
    return KpiDefinition(
        name=f"agent_contact_rate_{arm.value}_arm",
        title=f"Agent-handled contacts ({arm.value} arm)",
        description=f"Contacts of the {arm.value} arm handled by an agent / all contacts of the arm x 100",
        dataset=Dataset.CONTACTS,
        formula=Share(condition=NotNull("talk_seconds"), among=Compare("pilot_arm", "=", arm.value)),
        unit=Unit.PERCENT,
    )


def _arm_filter(arm: Arm | None, *parts: Predicate) -> Predicate:
    chosen = (*parts, Compare("pilot_arm", "=", arm.value)) if arm else parts
    return all_of(*chosen)


def _arm_suffix(arm: Arm | None) -> tuple[str, str]:
    return (f"_{arm.value}_arm", f" ({arm.value} arm)") if arm else ("", "")


def answer_precision(arm: Arm | None = None) -> KpiDefinition:
    suffix, label = _arm_suffix(arm)
    return KpiDefinition(
        name=f"answer_precision{suffix}",
        title=f"Answer precision{label}",
        description="Rated answers given that the feedback calls right / rated answers given x 100",
        dataset=Dataset.ANSWER_FEEDBACK,
        formula=Share(
            condition=Compare("helpful", "=", 1),
            among=_arm_filter(arm, Compare("answered", "=", 1), NotNull("helpful")),
        ),
        unit=Unit.PERCENT,
        target=Target(minimum=80),
    )


def answer_recall(arm: Arm | None = None) -> KpiDefinition:
    suffix, label = _arm_suffix(arm)
    return KpiDefinition(
        name=f"answer_recall{suffix}",
        title=f"Answer recall{label}",
        description=(
            "Questions the knowledge base could answer that got a right answer / questions it could "
            "answer x 100"
        ),
        dataset=Dataset.ANSWER_FEEDBACK,
        formula=Share(
            condition=all_of(Compare("answered", "=", 1), Compare("helpful", "=", 1)),
            among=_arm_filter(arm, Compare("answerable", "=", 1)),
        ),
        unit=Unit.PERCENT,
        target=Target(minimum=60),
    )


def pilot_kpis() -> list[KpiDefinition]:
    """Deflection, and the bot pilot's arms compared: agent load, answer precision and recall."""
    return [
        deflection_rate(),
        *(agent_contact_rate(arm) for arm in Arm),
        answer_precision(),
        answer_recall(),
        *(answer_precision(arm) for arm in Arm),
        *(answer_recall(arm) for arm in Arm),
    ]


def platform_kpis(tiers: Sequence[SlaTier]) -> list[KpiDefinition]:
    """CSAT, FCR, AHT, NPS, P50/P95 resolution time, SLA compliance per tier, incident MTTR, and the
    self-service KPIs (deflection, the bot pilot's arms, answer precision/recall)."""
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
        incident_mttr(tiers),
        *pilot_kpis(),
    ]
