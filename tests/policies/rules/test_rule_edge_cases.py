"""Rules over small hand-built inventories: the encodings and corner cases the fixture does not show.
Each test names the passing, failing and not-applicable resources exactly."""

from __future__ import annotations

import json

from rule_outcomes import config, context, outcomes, resource

from supportops.findings import Status
from supportops.inventory.model import UNKNOWN
from supportops.policies.catalog import rule_by_id
from supportops.stacks.config import DataClass, DataClassName, ResilienceTargets

ACCOUNT = "111122223333"
KEY_ID = "1234abcd-0000-0000-0000-000000000001"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{KEY_ID}"
KEY = resource("aws:kms/key:Key", "key", {"enableKeyRotation": True}, id=KEY_ID, outputs={"arn": KEY_ARN})
ALIAS = resource("aws:kms/alias:Alias", "key-alias", {"name": "alias/data", "targetKeyId": KEY_ID})


def _sets(result: dict[Status, set[str]]) -> tuple[set[str], set[str], set[str], set[str]]:
    return result[Status.FAIL], result[Status.PASS], result[Status.NOT_APPLICABLE], result[Status.ERROR]


def test_customer_managed_key_forms() -> None:
    queues = [
        resource("aws:sqs/queue:Queue", "by-alias", {"kmsMasterKeyId": "alias/data"}),
        resource("aws:sqs/queue:Queue", "by-arn", {"kmsMasterKeyId": KEY_ARN}),
        resource("aws:sqs/queue:Queue", "earlier-phase", {"kmsMasterKeyId": f"{KEY_ARN[:-1]}9"}),
        resource("aws:sqs/queue:Queue", "aws-managed", {"kmsMasterKeyId": "alias/aws/sqs"}),
        resource("aws:sqs/queue:Queue", "sse-sqs", {"sqsManagedSseEnabled": True}),
        resource("aws:sqs/queue:Queue", "at-preview", {"kmsMasterKeyId": UNKNOWN}),
    ]
    result = outcomes(rule_by_id("sqs_queue_cmk_encryption"), context([KEY, ALIAS, *queues]))
    assert _sets(result) == (
        {"aws-managed", "sse-sqs"},
        {"by-alias", "by-arn", "earlier-phase"},
        {"at-preview"},
        set(),
    )


def test_dynamodb_sse_without_key_is_aws_managed() -> None:
    tables = [
        resource("aws:dynamodb/table:Table", "aws-managed", {"serverSideEncryption": {"enabled": True}}),
        resource(
            "aws:dynamodb/table:Table",
            "cmk",
            {"serverSideEncryption": {"enabled": True, "kmsKeyArn": KEY_ARN}},
        ),
    ]
    result = outcomes(rule_by_id("dynamodb_table_cmk_encryption"), context([KEY, *tables]))
    assert _sets(result) == ({"aws-managed"}, {"cmk"}, set(), set())


def test_firehose_kinesis_source_and_direct_put() -> None:
    streams = [
        resource(
            "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
            "from-kinesis",
            {
                "kinesisSourceConfiguration": {"kinesisStreamArn": "arn:aws:kinesis:us-east-1:1:stream/ctr"},
                "extendedS3Configuration": {"bucketArn": "arn:aws:s3:::lake", "kmsKeyArn": KEY_ARN},
            },
        ),
        resource(
            "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
            "direct-put",
            {
                "serverSideEncryption": {
                    "enabled": True,
                    "keyType": "CUSTOMER_MANAGED_CMK",
                    "keyArn": KEY_ARN,
                },
                "extendedS3Configuration": {"bucketArn": "arn:aws:s3:::lake", "kmsKeyArn": KEY_ARN},
            },
        ),
        resource(
            "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
            "backup-unencrypted",
            {
                "kinesisSourceConfiguration": {"kinesisStreamArn": "arn:aws:kinesis:us-east-1:1:stream/ctr"},
                "extendedS3Configuration": {
                    "bucketArn": "arn:aws:s3:::lake",
                    "kmsKeyArn": KEY_ARN,
                    "s3BackupConfiguration": {"bucketArn": "arn:aws:s3:::raw"},
                },
            },
        ),
    ]
    result = outcomes(rule_by_id("firehose_cmk_encryption"), context([KEY, *streams]))
    assert _sets(result) == ({"backup-unencrypted"}, {"from-kinesis", "direct-put"}, set(), set())


def test_api_domain_security_policies() -> None:
    domains = [
        resource("aws:apigateway/domainName:DomainName", "v1-default", {"domainName": "a.example.com"}),
        resource("aws:apigateway/domainName:DomainName", "v1-tls12", {"securityPolicy": "TLS_1_2"}),
        resource(
            "aws:apigatewayv2/domainName:DomainName",
            "v2-enhanced",
            {"domainNameConfiguration": {"securityPolicy": "SecurityPolicy_TLS13_1_3_2025_09"}},
        ),
        resource(
            "aws:apigatewayv2/domainName:DomainName",
            "v2-tls11",
            {"domainNameConfiguration": {"securityPolicy": "TLS_1_1"}},
        ),
    ]
    result = outcomes(rule_by_id("apigateway_domain_tls_1_2"), context(domains))
    assert _sets(result) == ({"v1-default", "v2-tls11"}, {"v1-tls12", "v2-enhanced"}, set(), set())


def test_key_rotation_and_deletion_defaults() -> None:
    keys = [
        resource("aws:kms/key:Key", "asymmetric", {"customerMasterKeySpec": "RSA_2048"}),
        resource("aws:kms/key:Key", "defaults", {"enableKeyRotation": True}),
        resource(
            "aws:kms/key:Key", "string-flag", {"enableKeyRotation": "false", "deletionWindowInDays": 10}
        ),
    ]
    rotation = outcomes(rule_by_id("kms_key_rotation_enabled"), context(keys))
    window = outcomes(rule_by_id("kms_key_deletion_window"), context(keys))
    # "false" in quotes is the wrong type for a flag: it cannot be evaluated (never read as off or on)
    assert _sets(rotation) == (set(), {"defaults"}, {"asymmetric"}, {"string-flag"})
    assert _sets(window) == ({"string-flag"}, {"asymmetric", "defaults"}, set(), set())


def test_lambda_permissions() -> None:
    permissions = [
        resource("aws:lambda/permission:Permission", "anyone", {"principal": "*"}),
        resource("aws:lambda/permission:Permission", "any-connect", {"principal": "connect.amazonaws.com"}),
        resource(
            "aws:lambda/permission:Permission",
            "our-connect",
            {"principal": "connect.amazonaws.com", "sourceArn": "arn:aws:connect:us-east-1:1:instance/x"},
        ),
        resource(
            "aws:lambda/permission:Permission",
            "at-preview",
            {"principal": "connect.amazonaws.com", "sourceArn": UNKNOWN},
        ),
    ]
    result = outcomes(rule_by_id("resource_policy_no_wildcard_principal"), context(permissions))
    assert _sets(result) == ({"anyone", "any-connect"}, {"our-connect"}, {"at-preview"}, set())


def test_connect_profile_role_from_its_name() -> None:
    profiles = [
        resource(
            "aws:connect/securityProfile:SecurityProfile",
            "supervisors",
            {"name": "Supervisors", "permissions": ["ListenCallRecordings"]},
        ),
        resource(
            "aws:connect/securityProfile:SecurityProfile",
            "unnamed",
            {"name": "Tier 1", "permissions": ["DownloadCallRecordings"]},
        ),
        resource(
            "aws:connect/securityProfile:SecurityProfile",
            "auditors",
            {"name": "Auditor", "permissions": ["ListenCallRecordings"]},
        ),
        resource(
            "aws:connect/securityProfile:SecurityProfile",
            "screen-reviewers",
            {"name": "Agent screen review", "permissions": ["ScreenRecording.Access"]},
        ),
        resource(
            "aws:connect/securityProfile:SecurityProfile",
            "agents",
            {"name": "Agent", "permissions": ["BasicAgentAccess"]},
        ),
    ]
    result = outcomes(rule_by_id("connect_profile_no_unredacted_access"), context(profiles))
    assert _sets(result) == ({"supervisors", "unnamed", "screen-reviewers"}, {"agents"}, {"auditors"}, set())


def test_iam_managed_admin_on_role_and_malformed_policy() -> None:
    resources = [
        resource(
            "aws:iam/role:Role",
            "admin-role",
            {
                "assumeRolePolicy": json.dumps({"Statement": []}),
                "managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"],
            },
        ),
        resource("aws:iam/policy:Policy", "broken", {"policy": "{not json"}),
    ]
    attachments = outcomes(rule_by_id("iam_no_admin_managed_policy_attachment"), context(resources))
    admin = outcomes(rule_by_id("iam_policy_no_full_admin"), context(resources))
    assert _sets(attachments) == ({"admin-role"}, set(), set(), set())
    assert _sets(admin) == (set(), set(), set(), {"broken"})


def test_log_retention_follows_the_group_class_and_the_config() -> None:
    groups = [
        resource(
            "aws:cloudwatch/logGroup:LogGroup",
            "audit-400",
            {"retentionInDays": 400, "tags": {"data-classification": "audit-logs"}},
        ),
        resource("aws:cloudwatch/logGroup:LogGroup", "app-400", {"retentionInDays": 400}),
    ]
    stricter = config(data_classes={DataClassName.AUDIT_LOGS: DataClass(min_days=731, max_days=2555)})
    minimum = outcomes(rule_by_id("log_group_retention_minimum"), context(groups, stricter))
    maximum = outcomes(rule_by_id("log_group_retention_maximum"), context(groups, stricter))
    assert _sets(minimum) == ({"audit-400"}, {"app-400"}, set(), set())
    assert _sets(maximum) == (set(), {"audit-400", "app-400"}, set(), set())


def test_object_lock_beyond_the_class_maximum() -> None:
    bucket = resource(
        "aws:s3/bucket:Bucket",
        "evidence",
        {"tags": {"data-classification": "audit-logs"}},
        outputs={"bucket": "evidence-1"},
    )
    settings = [
        resource(
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "evidence-lifecycle",
            {"bucket": "evidence-1", "rules": [{"status": "Enabled", "expiration": {"days": 400}}]},
        ),
        resource(
            "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
            "evidence-lock",
            {"bucket": "evidence-1", "rule": {"defaultRetention": {"mode": "COMPLIANCE", "days": 3000}}},
        ),
    ]
    result = outcomes(rule_by_id("s3_bucket_retention_within_class"), context([bucket, *settings]))
    assert _sets(result) == ({"evidence"}, set(), set(), set())


def test_profiles_expiring_too_early_and_ttl_scope() -> None:
    domain = resource("aws:customerprofiles/domain:Domain", "early", {"defaultExpirationDays": 30})
    tables = [
        resource("aws:dynamodb/table:Table", "kpis", {"tags": {"data-classification": "analytics"}}),
        resource("aws:dynamodb/table:Table", "unclassified", {}),
    ]
    expiry = outcomes(rule_by_id("customer_profiles_domain_expiration"), context([domain]))
    ttl = outcomes(rule_by_id("dynamodb_table_ttl"), context(tables))
    assert _sets(expiry) == ({"early"}, set(), set(), set())
    assert _sets(ttl) == (set(), set(), {"kpis", "unclassified"}, set())


def test_weekday_only_backups_leave_a_weekend_gap() -> None:
    # Monday to Friday at 03:00: the gap is Friday to Monday (72 h), so a 24 h RPO is missed.
    weekdays = resource(
        "aws:backup/plan:Plan", "weekdays", {"rules": [{"schedule": "cron(0 3 ? * MON-FRI *)"}]}
    )
    daily = resource("aws:backup/plan:Plan", "daily", {"rules": [{"schedule": "cron(0 3 * * ? *)"}]})
    # Two rules 12 h apart together meet a 12 h RPO though each alone is daily.
    twice = resource(
        "aws:backup/plan:Plan",
        "twice",
        {"rules": [{"schedule": "cron(0 3 * * ? *)"}, {"schedule": "cron(0 15 * * ? *)"}]},
    )
    rule = rule_by_id("backup_plan_frequency_within_rpo")
    day_rpo = config(resilience=ResilienceTargets(rpo_minutes=24 * 60, rto_minutes=48 * 60))
    assert _sets(outcomes(rule, context([weekdays, daily, twice], day_rpo))) == (
        {"weekdays"},
        {"daily", "twice"},
        set(),
        set(),
    )
    half_day_rpo = config(resilience=ResilienceTargets(rpo_minutes=12 * 60, rto_minutes=48 * 60))
    assert _sets(outcomes(rule, context([weekdays, daily, twice], half_day_rpo))) == (
        {"weekdays", "daily"},
        {"twice"},
        set(),
        set(),
    )


def test_hourly_backups_meet_a_one_hour_rpo_only() -> None:
    plan = resource("aws:backup/plan:Plan", "hourly", {"rules": [{"schedule": "cron(0 * * * ? *)"}]})
    bad_schedule = resource("aws:backup/plan:Plan", "garbled", {"rules": [{"schedule": "every hour"}]})
    hourly_rpo = config(resilience=ResilienceTargets(rpo_minutes=60))
    rule = rule_by_id("backup_plan_frequency_within_rpo")
    assert _sets(outcomes(rule, context([plan, bad_schedule], hourly_rpo))) == (
        set(),
        {"hourly"},
        set(),
        {"garbled"},
    )
    assert _sets(outcomes(rule, context([plan]))) == ({"hourly"}, set(), set(), set())


def test_recording_without_contact_lens_is_unredacted() -> None:
    content = json.dumps(
        {
            "StartAction": "r",
            "Actions": [
                {
                    "Identifier": "r",
                    "Type": "UpdateContactRecordingBehavior",
                    "Parameters": {"RecordingBehavior": {"RecordedParticipants": ["Customer"]}},
                    "Transitions": {},
                }
            ],
        }
    )
    flows = [
        resource("aws:connect/contactFlow:ContactFlow", "records-raw", {"content": content}),
        resource("aws:connect/contactFlow:ContactFlow", "at-preview", {"content": UNKNOWN}),
    ]
    result = outcomes(rule_by_id("connect_flow_redaction_enabled"), context(flows))
    assert _sets(result) == ({"records-raw"}, set(), {"at-preview"}, set())


def test_region_scope_and_unknown_region() -> None:
    resources = [
        resource("aws:iam/role:Role", "global-role", {}, region="eu-west-1"),
        resource("aws:sqs/queue:Queue", "frankfurt", {"region": "eu-central-1"}),
        resource("aws:sqs/queue:Queue", "virginia", {}, region="us-east-1"),
        resource("aws:sqs/queue:Queue", "later", {"region": UNKNOWN}),
    ]
    allow_list = config(allowed_regions=["us-east-1", "us-west-2"])
    result = outcomes(rule_by_id("resource_region_allowed"), context(resources, allow_list))
    assert _sets(result) == ({"frankfurt"}, {"virginia"}, {"later"}, set())


def test_required_tags_come_from_provider_defaults() -> None:
    provider = resource(
        "pulumi:providers:aws",
        "tagged",
        {
            "defaultTags": json.dumps(
                {
                    "tags": {
                        "owner": "o",
                        "environment": "e",
                        "phase": "foundation",
                        "data-classification": "internal",
                    }
                }
            )
        },
    )
    resources = [
        resource("aws:sqs/queue:Queue", "defaults", {}, provider=provider.urn),
        resource("aws:sqs/queue:Queue", "bare", {"tags": {"owner": "o"}}),
    ]
    result = outcomes(rule_by_id("required_tags"), context([provider, *resources]))
    assert _sets(result) == ({"bare"}, {"defaults"}, set(), set())


def test_secret_rotation_period_and_schedule() -> None:
    secrets = [
        resource("aws:secretsmanager/secret:Secret", n, {}, id=n) for n in ("slow", "scheduled", "none")
    ]
    rotations = [
        resource(
            "aws:secretsmanager/secretRotation:SecretRotation",
            "slow-rotation",
            {"secretId": "slow", "rotationRules": {"automaticallyAfterDays": 180}},
        ),
        resource(
            "aws:secretsmanager/secretRotation:SecretRotation",
            "scheduled-rotation",
            {"secretId": "scheduled", "rotationRules": {"scheduleExpression": "rate(30 days)"}},
        ),
    ]
    result = outcomes(rule_by_id("secretsmanager_secret_rotation"), context([*secrets, *rotations]))
    assert _sets(result) == ({"slow", "none"}, {"scheduled"}, set(), set())
