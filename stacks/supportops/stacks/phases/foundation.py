"""Phase 1, Foundation: the security baseline (keys, buckets, logs, audit trail; detection, scanning
and recording services) that telephony and the CRM integration build on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from supportops.stacks.components.baseline.config_recorder import delivery_bucket_statements
from supportops.stacks.components.baseline.deploy import (
    AuditDestination,
    DetectionServices,
    build_detection_services,
)
from supportops.stacks.components.crm import CrmIntegration, CrmIntegrationArgs, CrmKeys
from supportops.stacks.components.resilience.backup_protection import build_backup_protection
from supportops.stacks.components.resilience.replica_site import replication_target
from supportops.stacks.components.security import (
    AuditTrail,
    AuditTrailArgs,
    BucketEncryption,
    DataKey,
    DataKeyArgs,
    SecureBucket,
    SecureBucketArgs,
)
from supportops.stacks.components.telephony import ContactCenter, ContactCenterArgs, StorageKeys
from supportops.stacks.config import DataClassName
from supportops.stacks.config.security_baseline import BaselineService
from supportops.stacks.context import PlatformContext

# AWS services that write each class of data with its key.
KEY_SERVICES: dict[DataClassName, tuple[str, ...]] = {
    DataClassName.CALL_RECORDINGS: ("connect.amazonaws.com",),
    DataClassName.CHAT_TRANSCRIPTS: ("connect.amazonaws.com",),
    DataClassName.CONTACT_TRACE_RECORDS: (
        "connect.amazonaws.com",
        "kinesis.amazonaws.com",
        "firehose.amazonaws.com",
    ),
    DataClassName.CUSTOMER_PROFILES: ("profile.amazonaws.com", "appflow.amazonaws.com"),
    # Connect: Amazon Q in Connect (knowledge base, assistant) encrypts with the tickets key.
    DataClassName.TICKETS: (
        "sqs.amazonaws.com",
        "events.amazonaws.com",
        "dynamodb.amazonaws.com",
        "connect.amazonaws.com",
    ),
    # CloudWatch: SLA alarms publish to the SNS topic encrypted with the analytics key.
    DataClassName.ANALYTICS: (
        "athena.amazonaws.com",
        "glue.amazonaws.com",
        "firehose.amazonaws.com",
        "cloudwatch.amazonaws.com",
    ),
    DataClassName.APPLICATION_LOGS: ("logs.{region}.amazonaws.com",),
    # AWS Config writes configuration history into the audit bucket; EventBridge publishes security
    # findings to the alerts topic and parks undelivered ones in its queue, both under this key.
    DataClassName.AUDIT_LOGS: (
        "cloudtrail.amazonaws.com",
        "logs.{region}.amazonaws.com",
        "config.amazonaws.com",
        "events.amazonaws.com",
    ),
}


@dataclass(frozen=True)
class SecurityBaseline:
    keys: dict[DataClassName, DataKey]
    access_logs: SecureBucket
    audit: AuditTrail
    services: DetectionServices

    def key_arn(self, data_class: DataClassName) -> pulumi.Output[str]:
        return self.keys[data_class].arn


def build_security_baseline(context: PlatformContext) -> SecurityBaseline:
    opts = context.component_opts()
    keys = {
        data_class: DataKey(
            context.name("key", data_class.tag_value),
            DataKeyArgs(
                data_class=data_class,
                account_root_arn=context.root_principal(),
                region=context.region,
                service_principals=tuple(s.format(region=context.region) for s in KEY_SERVICES[data_class]),
            ),
            opts=opts,
        )
        for data_class in DataClassName
    }
    access_logs = SecureBucket(
        context.name("access-logs"),
        SecureBucketArgs(
            data_class=DataClassName.AUDIT_LOGS,
            retention_days=context.retention_days(DataClassName.AUDIT_LOGS),
            encryption=BucketEncryption.S3_MANAGED_FOR_ACCESS_LOGS,
            access_log_bucket=None,
        ),
        opts=opts,
    )
    audit = AuditTrail(
        context.name("audit"),
        AuditTrailArgs(
            kms_key_arn=keys[DataClassName.AUDIT_LOGS].arn,
            retention_days=context.retention_days(DataClassName.AUDIT_LOGS),
            access_log_bucket=access_logs.name,
            account_id=context.account_id,
            region=context.region,
            bucket_statements=(
                delivery_bucket_statements(context.account_id)
                if context.config.security_baseline.enabled(BaselineService.CONFIG_RECORDER)
                else None
            ),
        ),
        opts=opts,
    )
    services = build_detection_services(
        context,
        AuditDestination(
            bucket_name=audit.bucket.name,
            bucket_arn=audit.bucket.arn,
            kms_key_arn=keys[DataClassName.AUDIT_LOGS].arn,
            bucket=audit.bucket,
        ),
    )
    return SecurityBaseline(keys=keys, access_logs=access_logs, audit=audit, services=services)


def build(context: PlatformContext) -> Mapping[str, Any]:
    baseline = build_security_baseline(context)
    build_backup_protection(context, baseline.key_arn(DataClassName.TICKETS), DataClassName.TICKETS)
    crm, contact_center = build_contact_center_and_crm(context, baseline)
    return {
        "kmsKeyArns": {data_class.value: key.arn for data_class, key in baseline.keys.items()},
        "accessLogBucket": baseline.access_logs.name,
        "auditBucket": baseline.audit.bucket.name,
        "auditTrailArn": baseline.audit.trail.arn,
        **detection_outputs(context, baseline.services),
        **telephony_and_crm_outputs(contact_center, crm),
    }


def detection_outputs(context: PlatformContext, services: DetectionServices) -> dict[str, Any]:
    """Where the baseline runs and where its findings go (the vulnerability-scan evidence reads them)."""
    outputs: dict[str, Any] = {"securityBaselineRegions": context.config.baseline_regions()}
    if services.routing is not None:
        outputs["securityAlertsTopicArn"] = services.routing.topic.arn
    return outputs


def build_contact_center_and_crm(
    context: PlatformContext, baseline: SecurityBaseline
) -> tuple[CrmIntegration, ContactCenter]:
    """The CRM integration first: the contact flows call its Lambda for customer context."""
    opts = context.component_opts()
    crm = CrmIntegration(
        context.name("crm"),
        CrmIntegrationArgs(
            config=context.config,
            keys=CrmKeys(
                tickets=baseline.key_arn(DataClassName.TICKETS),
                customer_profiles=baseline.key_arn(DataClassName.CUSTOMER_PROFILES),
                application_logs=baseline.key_arn(DataClassName.APPLICATION_LOGS),
            ),
        ),
        opts=opts,
    )
    contact_center = ContactCenter(
        context.name("contact-center"),
        ContactCenterArgs(
            config=context.config,
            keys=StorageKeys(
                recordings=baseline.key_arn(DataClassName.CALL_RECORDINGS),
                transcripts=baseline.key_arn(DataClassName.CHAT_TRANSCRIPTS),
                contact_records=baseline.key_arn(DataClassName.CONTACT_TRACE_RECORDS),
            ),
            access_log_bucket=baseline.access_logs.name,
            lookup_function_arn=crm.function.arn,
            lookup_function_name=crm.function.name,
            account_id=context.account_id,
            replication=replication_target(context),
        ),
        opts=opts,
    )
    return crm, contact_center


def telephony_and_crm_outputs(contact_center: ContactCenter, crm: CrmIntegration) -> dict[str, Any]:
    """Read by later phases through StackReference: the names are a contract."""
    return {
        "connectInstanceArn": contact_center.instance.arn,
        "connectInstanceId": contact_center.instance.id,
        "ctrStreamArn": contact_center.storage.ctr_stream.arn,
        "agentEventsStreamArn": contact_center.storage.agent_events_stream.arn,
        "eventBusName": crm.events.bus.name,
        "eventBusArn": crm.events.bus.arn,
        "customerProfilesDomain": crm.profiles.domain.domain_name,
        "recordingsBucket": contact_center.storage.recordings.name,
        "transcriptsBucket": contact_center.storage.transcripts.name,
        "reportsBucket": contact_center.storage.reports.name,
        "ticketSyncFunctionArn": crm.function.arn,
        "customerContextTableName": crm.context_table.name,
        "idempotencyTableName": crm.idempotency_table.name,
        "webhookUrl": crm.webhook.url,
    }
