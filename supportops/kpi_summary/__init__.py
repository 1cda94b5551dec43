"""The monthly executive summary of the platform's KPIs (``supportops kpi report``): query results
from Athena or from CSV exports of it, each KPI against its target with its trend, the top issue
types, SLA compliance per tier, deflection and the bot pilot's arms. Independent of the stacks: the
KPI catalog is handed in."""
