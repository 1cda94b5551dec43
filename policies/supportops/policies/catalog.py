"""The rule catalog: every rule module, listed explicitly (no registration by import side effect).

A rule is one module of ``policies/rules`` with a ``META`` (its id equals the module name) and an
``evaluate(context)`` function; ``docs/rules.md`` is generated from this tuple
(``python -m supportops.policies.catalog``, checked up to date by the tests).
"""

from __future__ import annotations

from supportops.policies.rule import Profile, RuleModule
from supportops.policies.rule_docs import rule_sections
from supportops.policies.rules import (
    access_analyzer_all_regions,
    apigateway_default_endpoint_disabled,
    apigateway_domain_tls_1_2,
    apigateway_route_authorization,
    apigateway_stage_access_logging,
    appflow_flow_cmk_encryption,
    appsync_graphql_api_logging,
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
    config_recorder_all_resources,
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
    data_store_encrypted_at_rest,
    dynamodb_table_cmk_encryption,
    dynamodb_table_pitr,
    dynamodb_table_ttl,
    ebs_volume_encrypted,
    ec2_imdsv2_required,
    ec2_instance_volumes_encrypted,
    ecr_repository_immutable_tags,
    ecr_repository_policy_no_public_write,
    ecr_repository_scan_on_push,
    endpoint_https_only,
    eventbridge_bus_cmk_encryption,
    eventbridge_target_dead_letter_queue,
    firehose_cmk_encryption,
    glue_catalog_cmk_encryption,
    guardduty_enabled_all_regions,
    iam_no_admin_managed_policy_attachment,
    iam_policy_no_full_admin,
    iam_role_trust_no_wildcard_principal,
    inspector_scans_lambda_and_ecr,
    kinesis_stream_cmk_encryption,
    kinesis_stream_retention,
    kms_key_deletion_window,
    kms_key_policy_no_wildcard_principal,
    kms_key_rotation_enabled,
    lambda_environment_cmk_encryption,
    lb_listener_https_tls12,
    lex_conversation_logs_cmk_encryption,
    log_group_cmk_encryption,
    log_group_retention_maximum,
    log_group_retention_minimum,
    rds_backup_retention_enabled,
    rds_deletion_protection,
    rds_not_publicly_accessible,
    rds_storage_encrypted,
    redshift_cluster_encrypted_private,
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
    secrets_not_in_plaintext,
    secretsmanager_secret_cmk_encryption,
    secretsmanager_secret_rotation,
    security_findings_routed,
    security_group_no_open_admin_ports,
    securityhub_standards_subscribed,
    sfn_state_machine_logging,
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
    data_store_encrypted_at_rest,
    dynamodb_table_cmk_encryption,
    ebs_volume_encrypted,
    ec2_instance_volumes_encrypted,
    eventbridge_bus_cmk_encryption,
    firehose_cmk_encryption,
    glue_catalog_cmk_encryption,
    kinesis_stream_cmk_encryption,
    lambda_environment_cmk_encryption,
    lex_conversation_logs_cmk_encryption,
    log_group_cmk_encryption,
    rds_storage_encrypted,
    redshift_cluster_encrypted_private,
    s3_bucket_cmk_encryption,
    secretsmanager_secret_cmk_encryption,
    sns_topic_cmk_encryption,
    sqs_queue_cmk_encryption,
    wisdom_cmk_encryption,
    # encryption in transit
    apigateway_default_endpoint_disabled,
    apigateway_domain_tls_1_2,
    endpoint_https_only,
    lb_listener_https_tls12,
    s3_bucket_policy_denies_insecure_transport,
    s3_bucket_policy_denies_tls_below_1_2,
    # key management
    kms_key_deletion_window,
    kms_key_rotation_enabled,
    secrets_not_in_plaintext,
    secretsmanager_secret_rotation,
    # access control
    apigateway_route_authorization,
    connect_admin_permissions_admin_profile_only,
    connect_profile_no_unredacted_access,
    ec2_imdsv2_required,
    ecr_repository_immutable_tags,
    ecr_repository_policy_no_public_write,
    ecr_repository_scan_on_push,
    iam_no_admin_managed_policy_attachment,
    iam_policy_no_full_admin,
    iam_role_trust_no_wildcard_principal,
    kms_key_policy_no_wildcard_principal,
    rds_not_publicly_accessible,
    resource_policy_no_wildcard_principal,
    s3_bucket_ownership_enforced,
    s3_bucket_public_access_block,
    security_group_no_open_admin_ports,
    # retention
    backup_plan_retention_within_class,
    log_group_retention_maximum,
    log_group_retention_minimum,
    s3_bucket_lifecycle_expiration,
    s3_bucket_retention_within_class,
    # audit logging
    apigateway_stage_access_logging,
    appsync_graphql_api_logging,
    cloudtrail_cloudwatch_delivery,
    cloudtrail_log_file_validation,
    cloudtrail_multi_region,
    connect_flow_logging_enabled,
    connect_instance_contact_flow_logs,
    connect_instance_storage_configured,
    s3_bucket_access_logging,
    sfn_state_machine_logging,
    # security monitoring: the baseline's detection, scanning and recording services
    access_analyzer_all_regions,
    config_recorder_all_resources,
    guardduty_enabled_all_regions,
    inspector_scans_lambda_and_ecr,
    security_findings_routed,
    securityhub_standards_subscribed,
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
    rds_backup_retention_enabled,
    rds_deletion_protection,
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


PROFILES_TEXT = (
    "## Profiles",
    "",
    "Each rule states its profile in its metadata (`RuleMeta.profile`).",
    "",
    "- **baseline**: true of any AWS program: encryption at rest with any key, TLS 1.2+, no public",
    "  exposure, no wildcard principals, least privilege, logging, IMDSv2, no plaintext credentials.",
    "  Evaluated on every stack.",
    "- **platform**: this platform's own policy: customer-managed keys per data class, tags, data",
    "  classification, retention bounds, region allow-list, Connect controls. Evaluated only when the",
    "  stack carries the platform's config: its config has `supportops:*` keys, or `--config` names a",
    "  platform stack file (`supportops.policies.profiles.premise_of`). Otherwise every platform rule",
    "  answers NOT_APPLICABLE for its resources, with that reason; the report's `details.profiles`",
    "  says which profiles applied and why.",
    "",
    "A rule whose premise does not hold answers NOT_APPLICABLE with the fact, never FAIL: no",
    "`supportops:allowedRegions` configured (no region policy); a bucket without ownership controls",
    "(AWS's default since April 2023 is BucketOwnerEnforced); an API with no custom domain (its default",
    "endpoint is its only one); a static website bucket (not told to use SSE-KMS, expire objects, deny",
    "plain HTTP, block public access, or withhold public read); a value unknown until apply (preview).",
    "",
    "`secrets_not_in_plaintext` is the one rule that reads the program's source (offline plans only):",
    "credential properties are those pulumi-aws marks secret (`policies/sdk_secret_properties.py`,",
    "generated by `python -m supportops.policies.sdk_secrets`), and a literal given to one is a FAIL",
    "naming the property, file and line, never the value; so is a plaintext credential config key.",
)


def _count(profile: Profile) -> int:
    return sum(1 for rule in RULES if rule.META.profile is profile)


def markdown_table() -> str:
    """The catalog as the Markdown table of ``docs/rules.md``."""
    lines = [
        "# Rule catalog",
        "",
        "Generated from `policies/catalog.py` by `python -m supportops.policies.catalog > docs/rules.md`;",
        "a test fails when this file is out of date.",
        "",
        *PROFILES_TEXT,
        "",
        f"{len(RULES)} rules ({_count(Profile.BASELINE)} baseline, {_count(Profile.PLATFORM)} platform).",
        "",
        "| id | profile | severity | category | title | resource types |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for rule in RULES:
        meta = rule.META
        types = ", ".join(f"`{t}`" for t in meta.resource_types)
        lines.append(
            f"| `{meta.id}` | {meta.profile.value} | {meta.severity.value} | {meta.category.value} "
            f"| {meta.title} | {types} |"
        )
    lines += ["", *rule_sections(RULES)]  # the anchors reports link to (rule_docs.py)
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    print(markdown_table(), end="")
