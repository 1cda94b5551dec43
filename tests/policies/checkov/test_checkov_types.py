"""The generated Pulumi -> Terraform type table: it is what the installed pulumi-aws SDK gives, it
covers every Terraform type checkov has checks for, and the hand-kept overlay only adds to it."""

from __future__ import annotations

import importlib
import inspect
import keyword
import re
from pathlib import Path
from typing import Any

import pytest

from supportops.errors import BadInput
from supportops.loading import load_model
from supportops.policies.checkov.runner import find_checkov
from supportops.policies.checkov.sdk_types import (
    GENERATED_PATH,
    checkov_package,
    checkov_resource_types,
    generate,
    render,
    singular,
)
from supportops.policies.checkov.terraform_names import terraform_name
from supportops.policies.checkov.type_table import (
    TYPE_TABLE_PATH,
    Overlay,
    default_type_table,
    load_type_table,
)

# Terraform types checkov names that pulumi-aws 7 has no type for.
NO_PULUMI_TYPE = {
    "aws_db_security_group": "EC2-Classic, removed from Terraform's AWS provider 6 and pulumi-aws 7",
    "aws_elasticache_security_group": "EC2-Classic, removed from Terraform's AWS provider 6 and pulumi-aws 7",
    "aws_ec2_spot_fleet_request": "no such Terraform type (CKV2_AWS_5 names it): aws_spot_fleet_request",
}


@pytest.fixture(scope="module")
def checkov_dir(checkov_installed: None) -> Path:
    return checkov_package(find_checkov())


def test_committed_table_is_what_the_installed_sdk_gives(checkov_dir: Path) -> None:
    """Regenerated from the SDK in a few seconds: a pulumi-aws or checkov upgrade without
    ``scripts/gen_checkov_types.py`` fails here."""
    table = generate(checkov_dir)
    assert render(table) == GENERATED_PATH.read_text(encoding="utf-8")
    assert len(table["types"]) > 1500
    assert GENERATED_PATH.stat().st_size < 400_000  # compact: one line per type, recursive names once


def test_every_terraform_type_checkov_checks_has_a_pulumi_type(checkov_dir: Path) -> None:
    checked = checkov_resource_types(checkov_dir)
    produced = {mapping.terraform for mapping in default_type_table().types.values()}
    assert len(checked) > 250
    assert sorted(checked - produced) == sorted(NO_PULUMI_TYPE)


@pytest.mark.parametrize(
    ("token", "terraform"),
    [
        ("aws:ec2/instance:Instance", "aws_instance"),  # ec2 types are mostly unprefixed
        ("aws:ec2/securityGroup:SecurityGroup", "aws_security_group"),
        ("aws:ec2/launchTemplate:LaunchTemplate", "aws_launch_template"),
        ("aws:ec2/fleet:Fleet", "aws_ec2_fleet"),
        ("aws:rds/instance:Instance", "aws_db_instance"),
        ("aws:rds/cluster:Cluster", "aws_rds_cluster"),
        ("aws:lb/loadBalancer:LoadBalancer", "aws_lb"),
        ("aws:alb/loadBalancer:LoadBalancer", "aws_alb"),
        ("aws:elb/loadBalancer:LoadBalancer", "aws_elb"),
        ("aws:cloudtrail/trail:Trail", "aws_cloudtrail"),
        ("aws:cfg/rule:Rule", "aws_config_config_rule"),
        ("aws:apigateway/restApi:RestApi", "aws_api_gateway_rest_api"),
        ("aws:appsync/graphQLApi:GraphQLApi", "aws_appsync_graphql_api"),
        ("aws:sfn/stateMachine:StateMachine", "aws_sfn_state_machine"),
        ("aws:ecr/repositoryPolicy:RepositoryPolicy", "aws_ecr_repository_policy"),
        ("aws:redshift/cluster:Cluster", "aws_redshift_cluster"),
        ("aws:s3/bucketV2:BucketV2", "aws_s3_bucket"),  # deprecated alias
        ("aws:s3/bucketVersioningV2:BucketVersioningV2", "aws_s3_bucket_versioning"),
        ("aws:lex/v2modelsBot:V2modelsBot", "aws_lexv2models_bot"),
        ("aws:bedrock/agentAgent:AgentAgent", "aws_bedrockagent_agent"),
        ("aws:opensearch/serverlessCollection:ServerlessCollection", "aws_opensearchserverless_collection"),
        ("aws:docdb/elasticCluster:ElasticCluster", "aws_docdbelastic_cluster"),
        ("aws:sqs/redrivePolicy:RedrivePolicy", "aws_sqs_queue_redrive_policy"),
        ("aws:cloudwatch/eventRule:EventRule", "aws_cloudwatch_event_rule"),
    ],
)
def test_terraform_type_of_a_token(token: str, terraform: str) -> None:
    assert terraform_name(token) == terraform
    assert default_type_table().types[token].terraform == terraform


@pytest.mark.parametrize(
    ("plural", "single"),
    [
        ("rules", "rule"),
        ("lifecycle_rules", "lifecycle_rule"),
        ("policies", "policy"),
        ("addresses", "address"),
        ("partition_indices", "partition_index"),
        ("global_secondary_indexes", "global_secondary_index"),
        ("string_equals", "string_equals"),  # a verb, not a plural
        ("ingress", "ingress"),
        ("aliases", "alias"),
    ],
)
def test_singular(plural: str, single: str) -> None:
    assert singular(plural) == single


def _renamed(token: str, path: str) -> str | None:
    renames = default_type_table().types[token].renames
    return renames.get(path) or renames.get(path.rsplit(".", 1)[-1])


@pytest.mark.parametrize(
    ("token", "path", "terraform"),
    [
        # pluralized list blocks
        ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "rules", "rule"),
        ("aws:ec2/instance:Instance", "ebsBlockDevices", "ebs_block_device"),
        ("aws:wafv2/webAcl:WebAcl", "rules.statement.andStatement.statements", "statement"),
        ("aws:dynamodb/table:Table", "globalSecondaryIndexes", "global_secondary_index"),
        # blocks Terraform names in the plural too (the SDK's docs say so): not renamed
        ("aws:ecs/taskDefinition:TaskDefinition", "placementConstraints", None),
        ("aws:connect/routingProfile:RoutingProfile", "mediaConcurrencies", None),
        ("aws:glue/catalogTable:CatalogTable", "partitionKeys", None),
        ("aws:backup/selection:Selection", "conditions.stringEquals", None),
        # renamed by hand in the bridge
        ("aws:lambda/permission:Permission", "function", "function_name"),
        ("aws:cloudwatch/eventTarget:EventTarget", "runCommandTargets", "run_command_targets"),
    ],
)
def test_property_renames(token: str, path: str, terraform: str | None) -> None:
    assert _renamed(token, path) == terraform


def test_free_form_maps_and_tags_come_from_the_sdk() -> None:
    types = default_type_table().types
    assert "environment.variables" in types["aws:lambda/function:Function"].maps
    lifecycle = types["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"]
    assert "rules.filter.and.tags" in lifecycle.maps
    assert types["aws:kms/key:Key"].tags and not types["aws:kms/alias:Alias"].tags
    # an IAM policy input is a JSON string (or a document Pulumi serializes): never a block
    assert types["aws:iam/role:Role"].maps == ()
    assert types["aws:iam/role:Role"].renames == {"inlinePolicies": "inline_policy"}


def _sdk_class(token: str) -> type[Any]:
    """``aws:s3/bucketVersioning:BucketVersioning`` -> pulumi_aws.s3.BucketVersioning."""
    package, module, name = token.split(":")
    module = module.split("/")[0]
    python_module = {"lambda": "lambda_"}.get(module, module)
    root = "pulumi_aws" if package == "aws" else "pulumi_aws_native"
    cls: type[Any] = getattr(importlib.import_module(f"{root}.{python_module}"), name)
    return cls


def _python_name(camel: str) -> str:
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", camel).lower()
    return f"{name}_" if keyword.iskeyword(name) else name


OVERLAY_TOKENS = sorted(t for t in load_model(TYPE_TABLE_PATH, Overlay).types if t.startswith("aws:"))


@pytest.mark.parametrize("token", OVERLAY_TOKENS)
def test_overlay_links_name_inputs_of_the_sdk_type(token: str) -> None:
    """Every hand-kept link names one of the type's inputs (top level) or of its nested inputs."""
    cls = _sdk_class(token)
    init = inspect.getsource(cls._internal_init)
    assert f"'{token}'" in init
    module_source = inspect.getsource(importlib.import_module(cls.__module__.rsplit(".", 1)[0] + "._inputs"))
    for path in default_type_table().types[token].links:
        for name in path.split("."):
            python = _python_name(name)
            assert f'__props__.__dict__["{python}"]' in init or f"def {python}(self)" in module_source, (
                token,
                name,
            )


def test_overlay_cannot_change_a_generated_terraform_type(tmp_path: Path) -> None:
    overlay = tmp_path / "terraform-types.yaml"
    text = "version: 1\ntypes:\n  aws:ec2/instance:Instance:\n    terraform: aws_ec2_instance\n"
    overlay.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput) as raised:
        load_type_table(overlay)
    assert str(raised.value) == (
        f"{overlay}: line 4, column 5: types.aws:ec2/instance:Instance.terraform: "
        "aws_ec2_instance contradicts the generated aws_instance"
    )


def test_the_overlay_file_loads_through_the_core_loader() -> None:
    assert TYPE_TABLE_PATH.name == "terraform-types.yaml"
    table = load_type_table()
    assert table.pulumi_aws and table.types["aws-native:appintegrations:DataIntegration"].terraform == (
        "aws_appintegrations_data_integration"
    )
