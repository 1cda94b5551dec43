"""The KPI definitions as the executive summary reads them (:class:`supportops.kpi_summary.model.KpiSpec`):
names, units, targets and the section of the page each belongs to. The summary itself knows nothing
of the stacks; the CLI hands it this catalog."""

from __future__ import annotations

from collections.abc import Sequence

from supportops.kpi_summary.model import KpiSpec, Section
from supportops.stacks.components.analytics.kpis import KpiDefinition, Unit, platform_kpis, sla_compliance
from supportops.stacks.components.self_service.pilot import Arm
from supportops.stacks.config import SlaTier

_SELF_SERVICE = ("deflection_rate", "answer_precision", "answer_recall")


def _section(kpi: KpiDefinition, tiers: dict[str, SlaTier]) -> tuple[Section, str | None, str | None]:
    if kpi.name in tiers:
        return Section.SLA, None, tiers[kpi.name].name
    arm = next((a.value for a in Arm if kpi.name.endswith(f"_{a.value}_arm")), None)
    if arm is not None:
        return Section.PILOT_ARM, arm, None
    if kpi.name in _SELF_SERVICE:
        return Section.SELF_SERVICE, None, None
    return Section.SERVICE, None, None


def spec_of(kpi: KpiDefinition, tiers: dict[str, SlaTier]) -> KpiSpec:
    section, arm, tier = _section(kpi, tiers)
    return KpiSpec(
        name=kpi.name,
        title=kpi.title,
        description=kpi.description,
        unit=kpi.unit.value,
        minimum=kpi.target.minimum if kpi.target else None,
        maximum=kpi.target.maximum if kpi.target else None,
        section=section,
        arm=arm,
        tier=tier,
        # time (AHT, resolution, MTTR) is better short; rates and scores better high
        better="lower" if kpi.unit is Unit.MINUTES else "higher",
    )


def report_catalog(tiers: Sequence[SlaTier]) -> list[KpiSpec]:
    by_query = {sla_compliance(tier).name: tier for tier in tiers}
    return [spec_of(kpi, by_query) for kpi in platform_kpis(tiers)]
