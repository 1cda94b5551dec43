"""The converter: inventory -> Terraform plan JSON (no checkov run)."""

from __future__ import annotations

from typing import Any

import pytest
from checkov_inventories import (
    DEFAULT_TAGS,
    Builder,
    bucket,
    compliant_bucket,
    kms_key,
    logged_in_preview,
    urn,
)

from supportops.inventory.model import SECRET_SIG, SIG_KEY, UNKNOWN, Inventory, Resource
from supportops.policies.checkov.attributes import AttributeConverter, snake_case
from supportops.policies.checkov.plan import PlanConversion, sanitize_name, to_terraform_plan
from supportops.policies.checkov.type_table import TypeMapping


def planned(conversion: PlanConversion) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in conversion.plan["planned_values"]["root_module"]["resources"]}


def expressions(conversion: PlanConversion) -> dict[str, dict[str, Any]]:
    return {
        r["address"]: r["expressions"] for r in conversion.plan["configuration"]["root_module"]["resources"]
    }


@pytest.mark.parametrize(
    ("camel", "snake"),
    [
        ("kmsMasterKeyId", "kms_master_key_id"),
        ("s3BucketName", "s3_bucket_name"),
        ("cloudWatchLogsGroupArn", "cloud_watch_logs_group_arn"),
        ("enableIpv6", "enable_ipv6"),
        ("nLuIntentConfidenceThreshold", "n_lu_intent_confidence_threshold"),
        ("bucket", "bucket"),
    ],
)
def test_snake_case(camel: str, snake: str) -> None:
    assert snake_case(camel) == snake


def test_plan_has_what_checkov_needs() -> None:
    b = Builder()
    bucket(b, "only-bucket")
    plan = to_terraform_plan(b.inventory()).plan
    assert plan["terraform_version"]
    (resource,) = plan["planned_values"]["root_module"]["resources"]
    assert resource["mode"] == "managed"
    assert resource["type"] == "aws_s3_bucket"
    assert resource["address"] == "aws_s3_bucket.only-bucket"


def test_pluralized_blocks_and_single_nested_blocks_become_terraform_lists() -> None:
    converter = AttributeConverter(
        TypeMapping(terraform="aws_s3_bucket_lifecycle_configuration", renames={"rules": "rule"})
    )
    converted = converter.convert(
        {
            "rules": [
                {
                    "id": "r",
                    "status": "Enabled",
                    "expiration": {"days": 30.0},
                    "noncurrentVersionExpiration": {"noncurrentDays": 7.0},
                }
            ]
        },
        None,
    )
    assert converted.values == {
        "rule": [
            {
                "id": "r",
                "status": "Enabled",
                "expiration": [{"days": 30}],
                "noncurrent_version_expiration": [{"noncurrent_days": 7}],
            }
        ]
    }


def test_maps_keep_their_keys_secrets_are_redacted_unknowns_left_out() -> None:
    converter = AttributeConverter(
        TypeMapping(terraform="aws_lambda_function", maps=("environment.variables",))
    )
    secret = {SIG_KEY: SECRET_SIG, "plaintext": "s3cr3t-value"}
    converted = converter.convert(
        {
            "tags": {"data-classification": "tickets", "costCenter": "cc"},
            "environment": {"variables": {"LOG_LEVEL": "INFO", "apiBaseUrl": "https://crm", "TOKEN": secret}},
            "role": UNKNOWN,
            "timeout": 30.0,
            "memorySize": 128.5,
        },
        None,
    )
    assert converted.values == {
        "tags": {"data-classification": "tickets", "costCenter": "cc"},
        "environment": [
            {"variables": {"LOG_LEVEL": "INFO", "apiBaseUrl": "https://crm", "TOKEN": "[secret]"}}
        ],
        "timeout": 30,
        "memory_size": 128.5,
    }
    assert "s3cr3t-value" not in repr(converted)


def test_bucket_settings_reference_their_bucket_and_key() -> None:
    b = Builder()
    key = kms_key(b, "key", rotation=True)
    logs = bucket(b, "logs")
    compliant_bucket(b, "data", key, logs)
    conversion = to_terraform_plan(b.inventory())
    exprs = expressions(conversion)
    to_bucket = {"references": ["aws_s3_bucket.data.id", "aws_s3_bucket.data"]}
    for setting in (
        "aws_s3_bucket_server_side_encryption_configuration.data-encryption",
        "aws_s3_bucket_versioning.data-versioning",
        "aws_s3_bucket_public_access_block.data-public-access-block",
        "aws_s3_bucket_lifecycle_configuration.data-lifecycle",
        "aws_s3_bucket_logging.data-logging",
    ):
        assert exprs[setting]["bucket"] == to_bucket
        assert "bucket" not in planned(conversion)[setting]["values"]  # the reference stands in for it
    sse = exprs["aws_s3_bucket_server_side_encryption_configuration.data-encryption"]
    assert sse["rule"] == [
        {
            "apply_server_side_encryption_by_default": [
                {"kms_master_key_id": {"references": ["aws_kms_key.key.arn", "aws_kms_key.key"]}}
            ]
        }
    ]
    assert exprs["aws_s3_bucket_logging.data-logging"]["target_bucket"] == {
        "references": ["aws_s3_bucket.logs.id", "aws_s3_bucket.logs"]
    }
    assert set(exprs) == {
        "aws_s3_bucket_server_side_encryption_configuration.data-encryption",
        "aws_s3_bucket_versioning.data-versioning",
        "aws_s3_bucket_public_access_block.data-public-access-block",
        "aws_s3_bucket_lifecycle_configuration.data-lifecycle",
        "aws_s3_bucket_logging.data-logging",
    }


def test_without_references_every_link_stays_a_plain_value() -> None:
    b = Builder()
    key = kms_key(b, "key", rotation=True)
    compliant_bucket(b, "data", key, bucket(b, "logs"))
    conversion = to_terraform_plan(b.inventory(), references=False)
    assert conversion.plan["configuration"]["root_module"]["resources"] == []
    assert (
        planned(conversion)["aws_s3_bucket_versioning.data-versioning"]["values"]["bucket"] == "data-a1b2c3"
    )


def test_secret_rotation_queue_and_stream_reference_their_resources() -> None:
    b = Builder()
    key = kms_key(b, "key", rotation=True)
    fn = b.add(
        "aws:lambda/function:Function",
        "rotator",
        {"runtime": "python3.12"},
        outputs={"arn": "arn:aws:lambda:us-east-1:111122223333:function:rotator"},
    )
    secret = b.add(
        "aws:secretsmanager/secret:Secret",
        "crm-token",
        {"kmsKeyId": key.outputs["arn"]},
        outputs={"arn": "arn:aws:secretsmanager:us-east-1:111122223333:secret:crm-token-AbCdEf"},
        depends_on=[key],
        resource_id="arn:aws:secretsmanager:us-east-1:111122223333:secret:crm-token-AbCdEf",
    )
    b.add(
        "aws:secretsmanager/secretRotation:SecretRotation",
        "crm-token-rotation",
        {
            "secretId": secret.id,
            "rotationLambdaArn": fn.outputs["arn"],
            "rotationRules": {"automaticallyAfterDays": 30.0},
        },
        depends_on=[secret, fn],
    )
    b.add("aws:sqs/queue:Queue", "events", {"kmsMasterKeyId": key.outputs["arn"]}, depends_on=[key])
    b.add(
        "aws:kinesis/stream:Stream",
        "ctr",
        {"encryptionType": "KMS", "kmsKeyId": key.outputs["arn"]},
        depends_on=[key],
    )
    exprs = expressions(to_terraform_plan(b.inventory()))
    assert exprs["aws_secretsmanager_secret_rotation.crm-token-rotation"] == {
        "secret_id": {
            "references": ["aws_secretsmanager_secret.crm-token.id", "aws_secretsmanager_secret.crm-token"]
        },
        "rotation_lambda_arn": {
            "references": ["aws_lambda_function.rotator.arn", "aws_lambda_function.rotator"]
        },
    }
    key_ref = {"references": ["aws_kms_key.key.arn", "aws_kms_key.key"]}
    assert exprs["aws_sqs_queue.events"] == {"kms_master_key_id": key_ref}
    assert exprs["aws_kinesis_stream.ctr"] == {"kms_key_id": key_ref}
    assert exprs["aws_secretsmanager_secret.crm-token"] == {"kms_key_id": key_ref}


def test_unknown_link_is_taken_from_the_one_dependency_of_its_type() -> None:
    b = Builder()
    bkt = bucket(b, "data")
    other = bucket(b, "other")
    b.add(
        "aws:s3/bucketVersioning:BucketVersioning",
        "data-versioning",
        {"bucket": UNKNOWN, "versioningConfiguration": {"status": "Enabled"}},
        depends_on=[bkt],
    )
    b.add(
        "aws:s3/bucketVersioning:BucketVersioning",
        "ambiguous-versioning",
        {"bucket": UNKNOWN, "versioningConfiguration": {"status": "Enabled"}},
        depends_on=[bkt, other],
    )
    exprs = expressions(to_terraform_plan(b.inventory()))
    assert exprs == {
        "aws_s3_bucket_versioning.data-versioning": {
            "bucket": {"references": ["aws_s3_bucket.data.id", "aws_s3_bucket.data"]}
        }
    }


def test_unknown_list_items_link_as_many_dependencies_of_their_type() -> None:
    """An instance naming two security groups not yet created (preview) is linked to both of the
    groups it depends on; with a third group among its dependencies, to none (never guessed)."""
    b = Builder()
    groups = [
        b.add("aws:ec2/securityGroup:SecurityGroup", f"sg-{i}", {}, resource_id=UNKNOWN) for i in range(3)
    ]
    b.add(
        "aws:ec2/instance:Instance", "two", {"vpcSecurityGroupIds": [UNKNOWN, UNKNOWN]}, depends_on=groups[:2]
    )
    b.add(
        "aws:ec2/instance:Instance", "three", {"vpcSecurityGroupIds": [UNKNOWN, UNKNOWN]}, depends_on=groups
    )
    conversion = to_terraform_plan(b.inventory())
    exprs = expressions(conversion)
    assert exprs["aws_instance.two"] == {
        "vpc_security_group_ids": {
            "references": [
                "aws_security_group.sg-0.id",
                "aws_security_group.sg-0",
                "aws_security_group.sg-1.id",
                "aws_security_group.sg-1",
            ]
        }
    }
    assert "aws_instance.three" not in exprs
    assert planned(conversion)["aws_instance.three"]["values"]["vpc_security_group_ids"] == [None, None]


def test_unknown_bucket_and_target_bucket_are_told_apart_by_the_component_tree() -> None:
    """A logging resource names two buckets unknown before apply: ``bucket`` (its first declared
    link) is the one created beside it in its component, ``targetBucket`` the other."""
    b = Builder()
    logged_in_preview(b)
    exprs = expressions(to_terraform_plan(b.inventory()))
    assert exprs["aws_s3_bucket_logging.preview-data-logging"] == {
        "target_bucket": {"references": ["aws_s3_bucket.preview-logs.id", "aws_s3_bucket.preview-logs"]},
        "bucket": {"references": ["aws_s3_bucket.preview-data.id", "aws_s3_bucket.preview-data"]},
    }
    # without a component tree nothing tells them apart: neither is linked
    for resource in b.resources:
        resource.parent = None
    assert "aws_s3_bucket_logging.preview-data-logging" not in expressions(to_terraform_plan(b.inventory()))


def test_unknown_values_are_written_as_after_unknown() -> None:
    """As Terraform plans values known only after apply: left out of the values, marked in the
    resource change's after_unknown (nested blocks keep their shape); checkov then treats them as
    set. Resources with no unknown value get no resource change."""
    b = Builder()
    b.add(
        "aws:lambda/permission:Permission",
        "from-api",
        {"action": "lambda:InvokeFunction", "principal": "apigateway.amazonaws.com", "sourceArn": UNKNOWN},
    )
    b.add("aws:lambda/function:Function", "fn", {"loggingConfig": {"logFormat": "JSON", "logGroup": UNKNOWN}})
    b.add("aws:sqs/queue:Queue", "known", {"name": "known"})
    conversion = to_terraform_plan(b.inventory())
    changes = {c["address"]: c for c in conversion.plan["resource_changes"]}
    assert set(changes) == {"aws_lambda_permission.from-api", "aws_lambda_function.fn"}
    permission = changes["aws_lambda_permission.from-api"]
    assert permission["change"]["actions"] == ["create"]
    assert permission["change"]["after_unknown"] == {"source_arn": True}
    assert "source_arn" not in permission["change"]["after"]
    assert "source_arn" not in planned(conversion)["aws_lambda_permission.from-api"]["values"]
    assert changes["aws_lambda_function.fn"]["change"]["after_unknown"] == {
        "logging_config": [{"log_group": True}]
    }
    assert "resource_changes" not in to_terraform_plan(Builder().inventory()).plan


def test_a_value_naming_no_dependency_is_not_linked() -> None:
    b = Builder()
    bkt = bucket(b, "data")
    unrelated = b.add("aws:s3/bucketPolicy:BucketPolicy", "policy", {"bucket": bkt.outputs["bucket"]})
    unrelated.dependencies = [urn("aws:kms/key:Key", "elsewhere")]  # recorded, but not the bucket
    assert expressions(to_terraform_plan(b.inventory())) == {}


def test_provider_default_tags_are_merged_into_tags() -> None:
    b = Builder()
    bucket(b, "data")
    b.add(
        "aws:s3/bucketVersioning:BucketVersioning",
        "data-versioning",
        {"versioningConfiguration": {"status": "Enabled"}},
    )
    values = {a: r["values"] for a, r in planned(to_terraform_plan(b.inventory())).items()}
    assert values["aws_s3_bucket.data"]["tags"] == {**DEFAULT_TAGS, "data-classification": "call-recordings"}
    assert values["aws_s3_bucket.data"]["tags_all"] == values["aws_s3_bucket.data"]["tags"]
    assert "tags" not in values["aws_s3_bucket_versioning.data-versioning"]  # the type takes no tags


def test_state_file_provider_reference_and_native_tag_lists() -> None:
    b = Builder()
    native = b.add(
        "aws-native:appintegrations:DataIntegration",
        "articles",
        {"sourceUri": "s3://content", "tags": [{"key": "data-classification", "value": "tickets"}]},
    )
    native.provider = f"{native.provider}::04da6b54-provider-id"  # how state files write it
    values = planned(to_terraform_plan(b.inventory()))["aws_appintegrations_data_integration.articles"][
        "values"
    ]
    assert values["tags"] == {**DEFAULT_TAGS, "data-classification": "tickets"}
    assert values["source_uri"] == "s3://content"


def test_addresses_are_unique_and_sanitized() -> None:
    assert sanitize_name("demo.key/with:colons") == "demo_key_with_colons"
    assert sanitize_name("1st-bucket") == "r_1st-bucket"
    b = Builder()
    first = bucket(b, "same")
    second = Resource(
        urn=urn("other:Component$aws:s3/bucket:Bucket", "same"),
        type="aws:s3/bucket:Bucket",
        name="same",
        outputs={"bucket": "same-2"},
        id="same-2",
    )
    b.resources.append(second)
    conversion = to_terraform_plan(b.inventory())
    assert conversion.addresses == {
        "aws.default": b.resources[0].urn,
        "aws_s3_bucket.same": first.urn,
        "aws_s3_bucket.same_2": second.urn,
    }


def test_unmapped_and_gap_types_are_listed_not_dropped() -> None:
    b = Builder()
    bucket(b, "data")
    random = "random:index/randomPassword:RandomPassword"
    b.add(random, "pw", {})  # not a Terraform AWS type
    b.add("aws:ec2/instance:Instance", "vm", {})  # every pulumi-aws type is in the generated table
    b.add("aws-native:lex:BotAlias", "alias", {})
    b.resources.append(
        Resource(
            urn=urn("supportops:security:SecureBucket", "c"),
            type="supportops:security:SecureBucket",
            name="c",
            custom=False,
        )
    )
    conversion = to_terraform_plan(b.inventory())
    assert conversion.unmapped == {random: [urn(random, "pw")]}
    assert conversion.without_equivalent == {
        "aws-native:lex:BotAlias": [urn("aws-native:lex:BotAlias", "alias")]
    }
    assert conversion.problems() == [
        f"checkov: not scanned, no Terraform type mapped for: {random} (1)",
        "checkov: not scanned, no Terraform equivalent for: aws-native:lex:BotAlias (1)",
    ]
    assert conversion.resource_count == 2


def test_provider_block_carries_plaintext_credentials_only() -> None:
    b = Builder()
    b.resources[0].inputs.update({"accessKey": "AKIA-plaintext", "secretKey": {SIG_KEY: SECRET_SIG}})
    config = to_terraform_plan(b.inventory()).plan["configuration"]["provider_config"]
    assert config["aws"]["expressions"] == {
        "region": {"constant_value": "us-east-1"},
        "access_key": {"constant_value": "AKIA-plaintext"},
    }


def test_demo_foundation_converts_every_cloud_resource(foundation_plan: Inventory) -> None:
    conversion = to_terraform_plan(foundation_plan)
    assert conversion.unmapped == {}
    cloud = [r for r in foundation_plan if r.custom and not r.type.startswith("pulumi:")]
    assert conversion.resource_count == len(cloud) - sum(
        len(v) for v in conversion.without_equivalent.values()
    )
    assert conversion.references > 0


def test_state_file_ids_equal_to_the_bucket_name_still_link_to_the_bucket() -> None:
    """In a stack export a bucket's settings resources have the bucket's name as their id."""
    b = Builder()
    bkt = bucket(b, "data")
    name = bkt.outputs["bucket"]
    b.add(
        "aws:s3/bucketVersioning:BucketVersioning",
        "data-versioning",
        {"bucket": name, "versioningConfiguration": {"status": "Enabled"}},
        depends_on=[bkt],
        resource_id=name,
    )
    b.add(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "data-pab",
        {"bucket": name, "blockPublicAcls": True},
        depends_on=[bkt],
        resource_id=name,
    )
    exprs = expressions(to_terraform_plan(b.inventory()))
    to_bucket = {"bucket": {"references": ["aws_s3_bucket.data.id", "aws_s3_bucket.data"]}}
    assert exprs == {
        "aws_s3_bucket_versioning.data-versioning": to_bucket,
        "aws_s3_bucket_public_access_block.data-pab": to_bucket,
    }


def test_a_dotted_rename_applies_only_at_its_path() -> None:
    """BucketV2: ``serverSideEncryptionConfigurations[].rules`` is Terraform's ``rule`` block, while
    ``replicationConfigurations[].rules`` keeps Terraform's own name ``rules``."""
    b = Builder()
    b.add(
        "aws:s3/bucketV2:BucketV2",
        "legacy",
        {
            "serverSideEncryptionConfigurations": [
                {"rules": [{"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms"}]}]}
            ],
            "replicationConfigurations": [
                {"role": "arn:aws:iam::1:role/r", "rules": [{"status": "Enabled"}]}
            ],
            "versionings": [{"enabled": True}],
        },
    )
    values = planned(to_terraform_plan(b.inventory()))["aws_s3_bucket.legacy"]["values"]
    assert values["server_side_encryption_configuration"] == [
        {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": "aws:kms"}]}]}
    ]
    assert values["replication_configuration"] == [
        {"role": "arn:aws:iam::1:role/r", "rules": [{"status": "Enabled"}]}
    ]
    assert values["versioning"] == [{"enabled": True}]


def test_every_aws_provider_gets_its_own_provider_block() -> None:
    b = Builder()
    for name in ("aws-west", "aws-west"):
        b.resources.append(
            Resource(
                urn=urn("pulumi:providers:aws", f"{name}-{len(b.resources)}"),
                type="pulumi:providers:aws",
                name=name,
                inputs={"region": "us-west-2"},
            )
        )
    conversion = to_terraform_plan(b.inventory())
    assert sorted(conversion.plan["configuration"]["provider_config"]) == [
        "aws",
        "aws.aws-west",
        "aws.aws-west_3",
    ]
    assert sorted(a for a in conversion.addresses if not a.startswith("aws_")) == [
        "aws.aws-west",
        "aws.aws-west_3",
        "aws.default",
    ]
