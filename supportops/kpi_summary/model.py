"""What the summary is made of: the KPI catalog (handed in by the caller), validated result rows, and
the summary itself."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from supportops.models import InputModel

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
DAY_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
TOP_ISSUES_KEY = "top_issue_types_monthly"
#: CloudWatch namespace of the daily KPI values (`supportops kpi publish`; the dashboard's trend lines).
KPI_METRIC_NAMESPACE = "Supportops/KPI"


class Section(StrEnum):
    SERVICE = "service"  # CSAT, FCR, AHT, NPS, resolution percentiles, MTTR
    SLA = "sla"  # compliance per tier
    SELF_SERVICE = "self_service"  # deflection, answer precision/recall
    PILOT_ARM = "pilot_arm"  # the same measured per pilot arm


class KpiSpec(BaseModel):
    """One KPI as the summary needs it: names, unit, target, and where it goes on the page."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,62}$")]
    title: str
    description: str
    unit: Literal["%", "min", "score"]
    minimum: float | None = None
    maximum: float | None = None
    section: Section = Section.SERVICE
    arm: str | None = None  # for PILOT_ARM: bot or agent
    tier: str | None = None  # for SLA
    better: Literal["higher", "lower"] = "higher"

    @property
    def monthly_key(self) -> str:
        return f"{self.name}_monthly"

    @property
    def has_target(self) -> bool:
        return self.minimum is not None or self.maximum is not None

    def target_text(self) -> str:
        suffix = "" if self.unit == "score" else f" {self.unit}"
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum:g}\u2013{self.maximum:g}{suffix}"
        if self.minimum is not None:
            return f"≥ {self.minimum:g}{suffix}"
        if self.maximum is not None:
            return f"≤ {self.maximum:g}{suffix}"
        return "tracked"

    def meets(self, value: float) -> bool:
        """The seeds' ranges are typical values, not bands to stay inside: where higher is better
        (CSAT 80-90 %, deflection 15-40 %) the target is met from the low end up; where lower is
        better (AHT 4-12 min, MTTR) up to the high end."""
        low, high = self.minimum, self.maximum
        if self.better == "lower":
            return value <= high if high is not None else (value >= low if low is not None else True)
        return value >= low if low is not None else (value <= high if high is not None else True)


def _blank_is_null(value: object) -> object:
    """Athena's CSV writes NULL as an empty field."""
    return None if isinstance(value, str) and value.strip() == "" else value


Number = Annotated[float | None, BeforeValidator(_blank_is_null)]
Count = Annotated[int, Field(ge=0)]
Month = Annotated[str, Field(pattern=MONTH_PATTERN)]


class TrendRow(InputModel):
    """A row of a ``<kpi>_monthly`` query: the month and the KPI's value (null without data)."""

    period: Month
    value: Number


class DailyRow(InputModel):
    """A row of a ``<kpi>_daily`` query: the day and the KPI's value (null without data)."""

    period: Annotated[str, Field(pattern=DAY_PATTERN)]
    value: Number

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.period)


class IssueRow(InputModel):
    """A row of ``top_issue_types_monthly``."""

    period: Month
    group_value: Annotated[str, Field(min_length=1, max_length=200)]
    row_count: Count
    share: Annotated[float, Field(ge=0, le=100)]
    p50: Number
    p95: Number


class Status(StrEnum):
    MET = "met"
    MISSED = "missed"
    NO_DATA = "no data"
    TRACKED = "tracked"  # no target


@dataclass(frozen=True)
class KpiResult:
    spec: KpiSpec
    value: float | None
    previous: float | None
    trend: tuple[tuple[str, float | None], ...]  # (month, value), oldest first, ending at the month
    status: Status


@dataclass(frozen=True)
class ExecutiveSummary:
    month: str
    source: str
    kpis: tuple[KpiResult, ...]
    top_issues: tuple[IssueRow, ...]

    def section(self, section: Section) -> list[KpiResult]:
        return [k for k in self.kpis if k.spec.section is section]

    def result(self, name: str) -> KpiResult | None:
        return next((k for k in self.kpis if k.spec.name == name), None)

    def count(self, status: Status) -> int:
        return sum(1 for k in self.kpis if k.status is status)

    @property
    def arms(self) -> list[str]:
        return sorted({k.spec.arm for k in self.section(Section.PILOT_ARM) if k.spec.arm})

    def arm_result(self, arm: str, base_name: str) -> KpiResult | None:
        return next(
            (
                k
                for k in self.section(Section.PILOT_ARM)
                if k.spec.arm == arm and k.spec.name.startswith(f"{base_name}_")
            ),
            None,
        )


def valid_month(text: str) -> bool:
    return re.fullmatch(MONTH_PATTERN, text) is not None
