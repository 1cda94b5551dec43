"""Phase 3, Analytics & Continuous Improvement: the contact data lake, KPI queries in Athena (each
KPI over the rolling 28 days, per day and per month, and the top issue types), SLA alarms, the
operations dashboard with trend lines, and backups of the lake sized from the RPO/RTO.

The output ``kpiQueryIds`` maps every query key to its named query id: ``supportops kpi report``
and ``supportops kpi publish`` find the queries there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from supportops.stacks.components.analytics.dashboard import OperationsDashboard, OperationsDashboardArgs
from supportops.stacks.components.analytics.data_lake import ContactDataLake, ContactDataLakeArgs
from supportops.stacks.components.analytics.kpi_workgroup import KpiWorkgroup, KpiWorkgroupArgs
from supportops.stacks.components.analytics.kpis import platform_kpis
from supportops.stacks.components.analytics.sla_alarms import SlaAlarms, SlaAlarmsArgs, alarm_specs
from supportops.stacks.components.resilience.backup_protection import build_backup_protection
from supportops.stacks.config import DataClassName
from supportops.stacks.context import PlatformContext
from supportops.stacks.phases.foundation_outputs import FoundationOutputs


def build(context: PlatformContext) -> Mapping[str, Any]:
    config = context.config
    foundation = FoundationOutputs.of(context)
    opts = context.component_opts()
    lake = ContactDataLake(
        context.name("contacts"),
        ContactDataLakeArgs(
            ctr_stream_arn=foundation.ctr_stream_arn,
            ctr_stream_key_arn=foundation.key_arn(DataClassName.CONTACT_TRACE_RECORDS),
            lake_key_arn=foundation.key_arn(DataClassName.CONTACT_TRACE_RECORDS),
            catalog_key_arn=foundation.key_arn(DataClassName.ANALYTICS),
            logs_key_arn=foundation.key_arn(DataClassName.APPLICATION_LOGS),
            retention_days=context.retention_days(DataClassName.CONTACT_TRACE_RECORDS),
            log_retention_days=context.retention_days(DataClassName.APPLICATION_LOGS),
            access_log_bucket=foundation.access_log_bucket,
            database_name=f"{config.environment.replace('-', '_')}_support_analytics",
        ),
        opts=opts,
    )
    kpis = platform_kpis(config.sla_tiers)
    workgroup = KpiWorkgroup(
        context.name("kpis"),
        KpiWorkgroupArgs(
            kpis=kpis,
            database=lake.database.name,
            results_key_arn=foundation.key_arn(DataClassName.ANALYTICS),
            results_retention_days=context.retention_days(DataClassName.ANALYTICS),
            access_log_bucket=foundation.access_log_bucket,
        ),
        opts=opts,
    )
    alarms = SlaAlarms(
        context.name("sla"),
        SlaAlarmsArgs(
            tiers=config.sla_tiers,
            connect_instance_id=foundation.connect_instance_id,
            topic_key_arn=foundation.key_arn(DataClassName.ANALYTICS),
        ),
        opts=opts,
    )
    dashboard = OperationsDashboard(
        context.name("operations"),
        OperationsDashboardArgs(
            region=context.region,
            connect_instance_id=foundation.connect_instance_id,
            targets=config.resilience,
            alarms=alarm_specs(config.sla_tiers),
            alarm_arns={tier: alarm.arn for tier, alarm in alarms.alarms.items()},
            kpis=kpis,
            query_names={name: query.name for name, query in workgroup.queries.items()},
            workgroup=workgroup.workgroup.name,
        ),
        opts=opts,
    )
    backups = build_backup_protection(
        context, foundation.key_arn(DataClassName.CONTACT_TRACE_RECORDS), DataClassName.CONTACT_TRACE_RECORDS
    )
    return {
        "dataLakeBucket": lake.bucket.name,
        "glueDatabase": lake.database.name,
        "ctrDeliveryStreamArn": lake.delivery_stream.arn,
        "athenaWorkgroup": workgroup.workgroup.name,
        "kpiQueryIds": {name: query.id for name, query in workgroup.queries.items()},
        "slaTopicArn": alarms.topic.arn,
        "dashboardName": dashboard.dashboard.dashboard_name,
        "backupVaultArn": backups.vault.arn,
    }
