"""The rule catalog: every rule module, listed explicitly (no registration by import side effect).

A rule is one module of ``policies/rules`` with a ``META`` (its id equals the module name) and an
``evaluate(context)`` function; ``docs/rules.md`` is generated from this tuple
(``python -m supportops.policies.catalog``, checked up to date by the tests).
"""

from __future__ import annotations

from supportops.policies.rule import RuleModule
from supportops.policies.rules import (
    apigateway_default_endpoint_disabled,
    apigateway_domain_tls_1_2,
    apigateway_route_authorization,
    apigateway_stage_access_logging,
    appflow_flow_cmk_encryption,
    athena_workgroup_cmk_encryption,
    backup_plan_frequency_within_rpo,
    backup_plan_retention_within_class,
    backup_vault_cmk_encryption,
    backup_vault_locked,
    cloudtrail_cloudwatch_delivery,
    cloudtrail_log_file_validation,
    cloudtrail_multi_region,
    cloudtrail_trail_cmk_encryption,
    cloudwatch_alarm_actions_enabled,
    connect_admin_permissions_admin_profile_only,
    connect_flow_card_capture_recording_paused,
    connect_flow_card_input_encrypted,
    connect_flow_logging_enabled,
    connect_flow_redaction_enabled,
    connect_instance_contact_flow_logs,
    connect_instance_contact_lens_enabled,
    connect_instance_storage_configured,
    connect_profile_no_unredacted_access,
    connect_storage_cmk_encryption,
    customer_profiles_domain_cmk_encryption,
    customer_profiles_domain_expiration,
    data_store_classified,
    dynamodb_table_cmk_encryption,
    dynamodb_table_pitr,
    dynamodb_table_ttl,
    endpoint_https_only,
    eventbridge_bus_cmk_encryption,
    eventbridge_target_dead_letter_queue,
    firehose_cmk_encryption,
    glue_catalog_cmk_encryption,
    iam_no_admin_managed_policy_attachment,
    iam_policy_no_full_admin,
    iam_role_trust_no_wildcard_principal,
    kinesis_stream_cmk_encryption,
    kinesis_stream_retention,
    kms_key_deletion_window,
    kms_key_policy_no_wildcard_principal,
    kms_key_rotation_enabled,
    lambda_environment_cmk_encryption,
    lex_conversation_logs_cmk_encryption,
    log_group_cmk_encryption,
    log_group_retention_maximum,
    log_group_retention_minimum,
    required_tags,
    resource_policy_no_wildcard_principal,
    resource_region_allowed,
    s3_bucket_access_logging,
    s3_bucket_cmk_encryption,
    s3_bucket_lifecycle_expiration,
    s3_bucket_ownership_enforced,
    s3_bucket_policy_denies_insecure_transport,
    s3_bucket_policy_denies_tls_below_1_2,
    s3_bucket_public_access_block,
    s3_bucket_replication,
    s3_bucket_retention_within_class,
    s3_bucket_versioning_enabled,
    secretsmanager_secret_cmk_encryption,
    secretsmanager_secret_rotation,
    sns_topic_cmk_encryption,
    sqs_queue_cmk_encryption,
    sqs_queue_dead_letter_queue,
    wisdom_cmk_encryption,
)

RULES: tuple[RuleModule, ...] = (
    # encryption at rest
    appflow_flow_cmk_encryption,
    athena_workgroup_cmk_encryption,
    backup_vault_cmk_encryption,
    cloudtrail_trail_cmk_encryption,
    connect_storage_cmk_encryption,
    customer_profiles_domain_cmk_encryption,
    dynamodb_table_cmk_encryption,
    eventbridge_bus_cmk_encryption,
    firehose_cmk_encryption,
    glue_catalog_cmk_encryption,
    kinesis_stream_cmk_encryption,
    lambda_environment_cmk_encryption,
    lex_conversation_logs_cmk_encryption,
    log_group_cmk_encryption,
    s3_bucket_cmk_encryption,
    secretsmanager_secret_cmk_encryption,
    sns_topic_cmk_encryption,
    sqs_queue_cmk_encryption,
    wisdom_cmk_encryption,
    # encryption in transit
    apigateway_default_endpoint_disabled,
    apigateway_domain_tls_1_2,
    endpoint_https_only,
    s3_bucket_policy_denies_insecure_transport,
    s3_bucket_policy_denies_tls_below_1_2,
    # key management
    kms_key_deletion_window,
    kms_key_rotation_enabled,
    secretsmanager_secret_rotation,
    # access control
    apigateway_route_authorization,
    connect_admin_permissions_admin_profile_only,
    connect_profile_no_unredacted_access,
    iam_no_admin_managed_policy_attachment,
    iam_policy_no_full_admin,
    iam_role_trust_no_wildcard_principal,
    kms_key_policy_no_wildcard_principal,
    resource_policy_no_wildcard_principal,
    s3_bucket_ownership_enforced,
    s3_bucket_public_access_block,
    # retention
    backup_plan_retention_within_class,
    log_group_retention_maximum,
    log_group_retention_minimum,
    s3_bucket_lifecycle_expiration,
    s3_bucket_retention_within_class,
    # audit logging
    apigateway_stage_access_logging,
    cloudtrail_cloudwatch_delivery,
    cloudtrail_log_file_validation,
    cloudtrail_multi_region,
    connect_flow_logging_enabled,
    connect_instance_contact_flow_logs,
    connect_instance_storage_configured,
    s3_bucket_access_logging,
    # data residency
    resource_region_allowed,
    # privacy
    customer_profiles_domain_expiration,
    dynamodb_table_ttl,
    # card data
    connect_flow_card_capture_recording_paused,
    connect_flow_card_input_encrypted,
    connect_flow_redaction_enabled,
    connect_instance_contact_lens_enabled,
    # resilience
    backup_plan_frequency_within_rpo,
    backup_vault_locked,
    cloudwatch_alarm_actions_enabled,
    dynamodb_table_pitr,
    eventbridge_target_dead_letter_queue,
    kinesis_stream_retention,
    s3_bucket_replication,
    s3_bucket_versioning_enabled,
    sqs_queue_dead_letter_queue,
    # tagging
    data_store_classified,
    required_tags,
)


def all_rules() -> tuple[RuleModule, ...]:
    return RULES


def rule_by_id(rule_id: str) -> RuleModule:
    for rule in RULES:
        if rule.META.id == rule_id:
            return rule
    raise KeyError(rule_id)


def markdown_table() -> str:
    """The catalog as the Markdown table of ``docs/rules.md``."""
    lines = [
        "# Rule catalog",
        "",
        "Generated from `policies/catalog.py` by `python -m supportops.policies.catalog > docs/rules.md`;",
        "a test fails when this file is out of date.",
        "",
        f"{len(RULES)} rules.",
        "",
        "| id | severity | category | title | resource types |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in RULES:
        meta = rule.META
        types = ", ".join(f"`{t}`" for t in meta.resource_types)
        lines.append(
            f"| `{meta.id}` | {meta.severity.value} | {meta.category.value} | {meta.title} | {types} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
