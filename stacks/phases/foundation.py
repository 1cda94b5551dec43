"""Phase 1, Foundation: the security baseline (keys, buckets, logs, audit trail) that telephony and
the CRM integration build on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from supportops.stacks.components.security import (
    AuditTrail,
    AuditTrailArgs,
    BucketEncryption,
    DataKey,
    DataKeyArgs,
    SecureBucket,
    SecureBucketArgs,
)
from supportops.stacks.config import DataClassName
from supportops.stacks.context import PlatformContext

# AWS services that write each class of data with its key.
KEY_SERVICES: dict[DataClassName, tuple[str, ...]] = {
    DataClassName.CALL_RECORDINGS: ("connect.amazonaws.com",),
    DataClassName.CHAT_TRANSCRIPTS: ("connect.amazonaws.com",),
    DataClassName.CONTACT_TRACE_RECORDS: ("connect.amazonaws.com", "kinesis.amazonaws.com",
                                          "firehose.amazonaws.com"),
    DataClassName.CUSTOMER_PROFILES: ("profile.amazonaws.com", "appflow.amazonaws.com"),
    DataClassName.TICKETS: ("sqs.amazonaws.com", "events.amazonaws.com", "dynamodb.amazonaws.com"),
    DataClassName.ANALYTICS: ("athena.amazonaws.com", "glue.amazonaws.com", "firehose.amazonaws.com"),
    DataClassName.APPLICATION_LOGS: ("logs.{region}.amazonaws.com",),
    DataClassName.AUDIT_LOGS: ("cloudtrail.amazonaws.com", "logs.{region}.amazonaws.com"),
}


@dataclass(frozen=True)
class SecurityBaseline:
    keys: dict[DataClassName, DataKey]
    access_logs: SecureBucket
    audit: AuditTrail

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
        ),
        opts=opts,
    )
    return SecurityBaseline(keys=keys, access_logs=access_logs, audit=audit)


def build(context: PlatformContext) -> Mapping[str, Any]:
    baseline = build_security_baseline(context)
    return {
        "kmsKeyArns": {data_class.value: key.arn for data_class, key in baseline.keys.items()},
        "accessLogBucket": baseline.access_logs.name,
        "auditBucket": baseline.audit.bucket.name,
        "auditTrailArn": baseline.audit.trail.arn,
    }
