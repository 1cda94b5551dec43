"""The analytics phase as planned: data lake encryption and wiring, Glue catalog encryption, Athena's
enforced CMK results, KPI named queries, SLA alarms per tier, and the dashboard body."""

from __future__ import annotations

import json

from supportops.inventory.model import Inventory, Resource
from supportops.stacks.components.analytics.datasets import LAKE_TABLES
from supportops.stacks.components.analytics.kpis import named_queries, platform_kpis
from supportops.stacks.components.security.log_group import ALLOWED_RETENTION_DAYS
from supportops.stacks.config import DataClassName, StackConfig

CONFIG = StackConfig(environment="demo", phase="analytics")
BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
FIREHOSE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"


def _one(inventory: Inventory, type_token: str) -> Resource:
    (resource,) = inventory.of_type(type_token)
    return resource


def _key(foundation_plan: Inventory, data_class: DataClassName) -> str:
    return str(foundation_plan.outputs["kmsKeyArns"][data_class.value])


def _bucket_named(inventory: Inventory, prefix: str) -> Resource:
    (bucket,) = [b for b in inventory.of_type(BUCKET) if b.outputs["bucket"].startswith(prefix)]
    return bucket


def test_every_bucket_uses_a_foundation_key_and_a_retention_in_its_class_bounds(
    analytics_plan: Inventory, foundation_plan: Inventory
) -> None:
    foundation_keys = set(foundation_plan.outputs["kmsKeyArns"].values())
    lifecycles = {r.get("bucket"): r for r in analytics_plan.of_type(LIFECYCLE)}
    encryption = {r.get("bucket"): r for r in analytics_plan.of_type(SSE)}
    buckets = analytics_plan.of_type(BUCKET)
    assert len(buckets) == 2
    for bucket in buckets:
        name = bucket.outputs["bucket"]
        default = encryption[name].get("rules")[0]["applyServerSideEncryptionByDefault"]
        assert default["sseAlgorithm"] == "aws:kms" and default["kmsMasterKeyId"] in foundation_keys
        data_class = next(
            c for c in DataClassName if c.tag_value == bucket.get("tags")["data-classification"]
        )
        bounds = CONFIG.data_class(data_class)
        days = lifecycles[name].get("rules")[0]["expiration"]["days"]
        assert bounds.min_days <= days <= bounds.max_days


def test_firehose_delivers_ctr_stream_into_the_lake_with_the_ctr_key(
    analytics_plan: Inventory, foundation_plan: Inventory
) -> None:
    stream = _one(analytics_plan, FIREHOSE)
    lake = _bucket_named(analytics_plan, "demo-contacts-lake")
    assert stream.get("destination") == "extended_s3"
    source = stream.get("kinesisSourceConfiguration")
    assert source["kinesisStreamArn"] == foundation_plan.outputs["ctrStreamArn"]
    s3 = stream.get("extendedS3Configuration")
    assert s3["bucketArn"] == lake.outputs["arn"]
    assert s3["kmsKeyArn"] == _key(foundation_plan, DataClassName.CONTACT_TRACE_RECORDS)
    assert s3["compressionFormat"] == "GZIP"
    assert s3["cloudwatchLoggingOptions"]["enabled"] is True
    # Firehose writes where the Glue table's partition projection reads.
    table = next(
        t
        for t in analytics_plan.of_type("aws:glue/catalogTable:CatalogTable")
        if t.get("name") == "contact_records"
    )
    template = table.get("parameters")["storage.location.template"]
    assert template.endswith("/" + s3["prefix"].replace("!{timestamp:yyyy-MM-dd}", "${dt}"))
    # Athena's JSON SerDe reads one record per line, and Firehose adds no delimiter by itself.
    processors = s3["processingConfiguration"]["processors"]
    assert s3["processingConfiguration"]["enabled"] is True
    assert [p["type"] for p in processors] == ["AppendDelimiterToRecord"]
    # GDPR requests find a subject's records by the customer's number (docs/privacy.md).
    columns = {c["name"]: c["type"] for c in table.get("storageDescriptor")["columns"]}
    assert columns["customerendpoint"] == "struct<address:string,type:string>"


def test_firehose_role_reads_only_the_stream_and_writes_only_the_lake(
    analytics_plan: Inventory, foundation_plan: Inventory
) -> None:
    policy = _one(analytics_plan, "aws:iam/rolePolicy:RolePolicy")
    statements = {s["Sid"]: s for s in json.loads(policy.get("policy"))["Statement"]}
    lake = _bucket_named(analytics_plan, "demo-contacts-lake")
    assert statements["ReadContactTraceRecords"]["Resource"] == foundation_plan.outputs["ctrStreamArn"]
    assert statements["WriteLake"]["Resource"] == [lake.outputs["arn"], lake.outputs["arn"] + "/*"]
    assert all(s["Resource"] != "*" for s in statements.values())


def test_glue_catalog_and_connection_passwords_are_encrypted_with_the_analytics_key(
    analytics_plan: Inventory, foundation_plan: Inventory
) -> None:
    settings = _one(
        analytics_plan, "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"
    ).get("dataCatalogEncryptionSettings")
    key = _key(foundation_plan, DataClassName.ANALYTICS)
    assert settings["encryptionAtRest"] == {"catalogEncryptionMode": "SSE-KMS", "sseAwsKmsKeyId": key}
    assert settings["connectionPasswordEncryption"] == {
        "returnConnectionPasswordEncrypted": True,
        "awsKmsKeyId": key,
    }
    tables = {t.get("name") for t in analytics_plan.of_type("aws:glue/catalogTable:CatalogTable")}
    assert tables == {t.table for t in LAKE_TABLES}


def test_athena_enforces_cmk_encrypted_results_in_the_results_bucket(
    analytics_plan: Inventory, foundation_plan: Inventory
) -> None:
    configuration = _one(analytics_plan, "aws:athena/workgroup:Workgroup").get("configuration")
    results = _bucket_named(analytics_plan, "demo-kpis-results")
    assert configuration["enforceWorkgroupConfiguration"] is True
    result = configuration["resultConfiguration"]
    assert result["encryptionConfiguration"] == {
        "encryptionOption": "SSE_KMS",
        "kmsKeyArn": _key(foundation_plan, DataClassName.ANALYTICS),
    }
    assert result["outputLocation"].startswith(f"s3://{results.outputs['bucket']}/")


def test_named_queries_per_kpi_window_and_trends_with_the_generated_sql(analytics_plan: Inventory) -> None:
    queries = {q.get("name"): q for q in analytics_plan.of_type("aws:athena/namedQuery:NamedQuery")}
    database = _one(analytics_plan, "aws:glue/catalogDatabase:CatalogDatabase").get("name")
    expected = {f"demo-kpis-{spec.key}": spec for spec in named_queries(platform_kpis(CONFIG.sla_tiers))}
    assert set(queries) == set(expected)
    for name, query in queries.items():
        assert query.get("query") == expected[name].sql
        assert query.get("database") == database
    for key in (
        "mttr_incidents",
        "deflection_rate_daily",
        "answer_precision_monthly",
        "top_issue_types_monthly",
    ):
        assert f"demo-kpis-{key}" in queries
    # the executive summary finds each query by key in the stack outputs
    assert set(analytics_plan.outputs["kpiQueryIds"]) == {spec.key for spec in expected.values()}


def test_sla_alarm_per_tier_at_its_respond_target_into_an_encrypted_topic(
    analytics_plan: Inventory, foundation_plan: Inventory
) -> None:
    topic = _one(analytics_plan, "aws:sns/topic:Topic")
    assert topic.get("kmsMasterKeyId") in set(foundation_plan.outputs["kmsKeyArns"].values())
    alarms = {
        a.get("dimensions")["QueueName"]: a
        for a in analytics_plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    }
    assert set(alarms) == {tier.name for tier in CONFIG.sla_tiers}
    for tier in CONFIG.sla_tiers:
        alarm = alarms[tier.name]
        assert alarm.get("threshold") == tier.respond_minutes * 60
        assert alarm.get("comparisonOperator") == "GreaterThanThreshold"
        assert alarm.get("dimensions")["InstanceId"] == foundation_plan.outputs["connectInstanceId"]
        assert alarm.get("alarmActions") == [topic.outputs["arn"]]


def test_dashboard_shows_targets_alarms_and_every_kpi(analytics_plan: Inventory) -> None:
    body = json.loads(_one(analytics_plan, "aws:cloudwatch/dashboard:Dashboard").get("dashboardBody"))
    text = " ".join(w["properties"].get("markdown", "") for w in body["widgets"])
    assert "Uptime **99.9 %**" in text and "RTO **240 min**" in text and "RPO **15 min**" in text
    alarm_widget = next(w for w in body["widgets"] if w["type"] == "alarm")
    alarm_arns = {a.outputs["arn"] for a in analytics_plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert set(alarm_widget["properties"]["alarms"]) == alarm_arns
    for kpi in platform_kpis(CONFIG.sla_tiers):
        assert f"saved query `demo-kpis-{kpi.name}`" in text


def test_log_groups_are_encrypted_and_retained_within_bounds(
    analytics_plan: Inventory, foundation_plan: Inventory
) -> None:
    (group,) = analytics_plan.of_type("aws:cloudwatch/logGroup:LogGroup")
    bounds = CONFIG.data_class(DataClassName.APPLICATION_LOGS)
    assert group.get("kmsKeyId") == _key(foundation_plan, DataClassName.APPLICATION_LOGS)
    assert group.get("retentionInDays") in ALLOWED_RETENTION_DAYS
    assert bounds.min_days <= group.get("retentionInDays") <= bounds.max_days


def test_alarm_topic_key_lets_cloudwatch_publish(
    foundation_plan: Inventory, analytics_plan: Inventory
) -> None:
    """CloudWatch can only notify an encrypted topic when the topic's key policy allows it."""
    topics = analytics_plan.of_type("aws:sns/topic:Topic")
    assert topics
    keys = {key.outputs["arn"]: key for key in foundation_plan.of_type("aws:kms/key:Key")}
    for topic in topics:
        key = keys[topic.get("kmsMasterKeyId")]
        principals = [s["Principal"] for s in json.loads(key.get("policy"))["Statement"]]
        assert {"Service": "cloudwatch.amazonaws.com"} in principals, topic.name
