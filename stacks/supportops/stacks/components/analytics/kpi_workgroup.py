"""KpiWorkgroup: an Athena workgroup whose settings clients cannot override (results only into a
KMS-encrypted SecureBucket with the analytics key), and the KPI named queries: per KPI its 28-day
value, daily and monthly trends, plus the top issue types (see :func:`kpis.named_queries`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from supportops.stacks.components.analytics.kpis import KpiDefinition, named_queries
from supportops.stacks.components.security.secure_bucket import SecureBucket, SecureBucketArgs
from supportops.stacks.config import DataClassName

BYTES_SCANNED_CUTOFF = 10 * 1024**3  # 10 GiB per query: a runaway query costs at most ~5 USD


@dataclass(frozen=True)
class KpiWorkgroupArgs:
    kpis: Sequence[KpiDefinition]
    database: pulumi.Input[str]
    results_key_arn: pulumi.Input[str]  # analytics class key
    results_retention_days: int  # analytics class
    access_log_bucket: pulumi.Input[str]


class KpiWorkgroup(pulumi.ComponentResource):
    results: SecureBucket
    workgroup: aws.athena.Workgroup
    queries: dict[str, aws.athena.NamedQuery]

    def __init__(self, name: str, args: KpiWorkgroupArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("supportops:analytics:KpiWorkgroup", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.results = SecureBucket(
            f"{name}-results",
            SecureBucketArgs(
                data_class=DataClassName.ANALYTICS,
                retention_days=args.results_retention_days,
                kms_key_arn=args.results_key_arn,
                access_log_bucket=args.access_log_bucket,
            ),
            opts=child,
        )
        self.workgroup = aws.athena.Workgroup(
            name,
            name=name,
            state="ENABLED",
            force_destroy=False,
            configuration=aws.athena.WorkgroupConfigurationArgs(
                enforce_workgroup_configuration=True,
                publish_cloudwatch_metrics_enabled=True,
                bytes_scanned_cutoff_per_query=BYTES_SCANNED_CUTOFF,
                result_configuration=aws.athena.WorkgroupConfigurationResultConfigurationArgs(
                    output_location=pulumi.Output.concat("s3://", self.results.name, "/results/"),
                    encryption_configuration=aws.athena.WorkgroupConfigurationResultConfigurationEncryptionConfigurationArgs(
                        encryption_option="SSE_KMS", kms_key_arn=args.results_key_arn
                    ),
                ),
            ),
            opts=child,
        )
        self.queries = {
            spec.key: aws.athena.NamedQuery(
                f"{name}-{spec.key.replace('_', '-')}",
                name=f"{name}-{spec.key}",
                description=f"{spec.title}: {spec.description}"[:1024],
                database=args.database,
                workgroup=self.workgroup.name,
                query=spec.sql,
                opts=child,
            )
            for spec in named_queries(args.kpis)
        }
        self.register_outputs({"workgroup": self.workgroup.name, "resultsBucket": self.results.name})
