"""Phase 3 components: contact data lake, KPI queries, SLA alarms and dashboards."""
