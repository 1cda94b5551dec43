"""Malformed security values never pass: every rule that reads a number, a flag, an enum or a string,
fed NaN, Infinity, negatives, zero, numeric strings, booleans, lists, mappings and null in place of a
compliant value, gives FAIL or ERROR (or the documented meaning of the value), with the value shown."""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rule_outcomes import config, context, findings, resource

from supportops.findings import Finding, Status
from supportops.inventory.model import Resource
from supportops.loading import bounded
from supportops.policies.catalog import rule_by_id

NAN, INF = math.nan, math.inf
# What is malformed depends on what the path holds: True is a fine flag and a malformed number.
MALFORMED: dict[str, tuple[Any, ...]] = {
    "number": (NAN, INF, -INF, -1, 0, "1", "365", True, False, [], {}, None, 1.5),
    "flag": (NAN, INF, -1, 0, 1, "1", "true", "True", "false", [], {}, None, False),
    # a flag whose compliant value is false (publiclyAccessible)
    "off-flag": (NAN, INF, -1, 0, 1, "1", "true", "false", "no", [], {}, True),
    "text": (NAN, INF, -1, 0, 1, True, False, [], {}, None, "", "none"),
    "list": (NAN, INF, -1, 0, True, {}, [0], [None], [["BasicAgentAccess"]], [{}]),
}

KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-0000-0000-0000-000000000001"
VAULT = resource("aws:backup/vault:Vault", "vault", {"name": "vault"}, id="vault")
SECRET = resource("aws:secretsmanager/secret:Secret", "secret", {}, id="secret-arn")


@dataclass(frozen=True)
class Row:
    rule: str
    subject: Resource  # compliant as given (the table checks that first)
    path: str  # the property replaced by each malformed value
    kind: str  # number, flag, text or list: which values are malformed
    others: tuple[Resource, ...] = ()
    on_other: bool = False  # the path is on the first of ``others`` (a lock, a rotation)
    # Values that mean something documented at this path (None: absent, so the AWS default applies).
    meaningful: frozenset[Any] = field(default_factory=frozenset)
    # Well-typed values whose FAIL names what they mean rather than the value (-1..443 "opens SSH").
    unshown: frozenset[Any] = field(default_factory=frozenset)

    def __str__(self) -> str:
        return f"{self.rule}:{self.path}"


def _route(kind: str) -> Resource:
    return resource("aws:apigatewayv2/route:Route", "route", {"authorizationType": kind})


ROWS = [
    Row("kms_key_rotation_enabled", resource("aws:kms/key:Key", "key", {"enableKeyRotation": True,
        "rotationPeriodInDays": 365}), "rotationPeriodInDays", "number", meaningful=frozenset({None})),
    Row("kms_key_rotation_enabled", resource("aws:kms/key:Key", "key", {"enableKeyRotation": True}),
        "enableKeyRotation", "flag"),
    Row("kms_key_rotation_enabled", resource("aws:kms/key:Key", "key", {"enableKeyRotation": True,
        "customerMasterKeySpec": "SYMMETRIC_DEFAULT"}), "customerMasterKeySpec", "text",
        meaningful=frozenset({None})),
    Row("kms_key_deletion_window", resource("aws:kms/key:Key", "key", {"deletionWindowInDays": 30}),
        "deletionWindowInDays", "number", meaningful=frozenset({None})),
    Row("log_group_retention_maximum", resource("aws:cloudwatch/logGroup:LogGroup", "logs",
        {"retentionInDays": 400}), "retentionInDays", "number"),
    # 0 and absent mean "never expire", which meets a minimum.
    Row("log_group_retention_minimum", resource("aws:cloudwatch/logGroup:LogGroup", "logs",
        {"retentionInDays": 400}), "retentionInDays", "number", meaningful=frozenset({0, None})),
    Row("kinesis_stream_retention", resource("aws:kinesis/stream:Stream", "stream",
        {"retentionPeriod": 720}), "retentionPeriod", "number"),
    Row("customer_profiles_domain_expiration", resource("aws:customerprofiles/domain:Domain", "domain",
        {"defaultExpirationDays": 365}), "defaultExpirationDays", "number"),
    Row("secretsmanager_secret_rotation", SECRET, "rotationRules.automaticallyAfterDays", "number",
        others=(resource("aws:secretsmanager/secretRotation:SecretRotation", "rotation",
                         {"secretId": "secret-arn", "rotationRules": {"automaticallyAfterDays": 30}}),),
        on_other=True),
    Row("backup_vault_locked", VAULT, "maxRetentionDays", "number", on_other=True,
        others=(resource("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "lock",
                         {"backupVaultName": "vault", "maxRetentionDays": 365}),)),
    Row("backup_plan_retention_within_class", resource("aws:backup/plan:Plan", "plan",
        {"rules": [{"targetVaultName": "vault", "lifecycle": {"deleteAfter": 35}}]}),
        "rules.0.lifecycle.deleteAfter", "number", others=(VAULT,)),
    Row("backup_plan_frequency_within_rpo", resource("aws:backup/plan:Plan", "plan",
        {"rules": [{"enableContinuousBackup": True}]}), "rules.0.enableContinuousBackup", "flag"),
    Row("backup_plan_frequency_within_rpo", resource("aws:backup/plan:Plan", "plan",
        {"rules": [{"schedule": "rate(1 minute)"}]}), "rules", "list"),
    Row("apigateway_route_authorization", _route("JWT"), "authorizationType", "text"),
    Row("dynamodb_table_pitr", resource("aws:dynamodb/table:Table", "table",
        {"pointInTimeRecovery": {"enabled": True}}), "pointInTimeRecovery.enabled", "flag"),
    Row("cloudtrail_log_file_validation", resource("aws:cloudtrail/trail:Trail", "trail",
        {"enableLogFileValidation": True}), "enableLogFileValidation", "flag"),
    Row("cloudtrail_multi_region", resource("aws:cloudtrail/trail:Trail", "trail",
        {"isMultiRegionTrail": True}), "isMultiRegionTrail", "flag"),
    Row("connect_instance_contact_flow_logs", resource("aws:connect/instance:Instance", "instance",
        {"contactFlowLogsEnabled": True}), "contactFlowLogsEnabled", "flag"),
    # The provider turns Contact Lens on when the input is absent.
    Row("connect_instance_contact_lens_enabled", resource("aws:connect/instance:Instance", "instance",
        {"contactLensEnabled": True}), "contactLensEnabled", "flag", meaningful=frozenset({None})),
    Row("cloudwatch_alarm_actions_enabled", resource("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm",
        {"actionsEnabled": True, "alarmActions": ["arn:aws:sns:us-east-1:1:page"]}), "alarmActions", "list"),
    # No permissions at all (absent, empty, one unknown name) hold nothing unredacted.
    Row("connect_profile_no_unredacted_access", resource("aws:connect/securityProfile:SecurityProfile",
        "agent", {"permissions": ["BasicAgentAccess"]}), "permissions", "list",
        meaningful=frozenset({None, "1", "true"})),
    Row("iam_no_admin_managed_policy_attachment", resource(
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach",
        {"policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}), "policyArn", "text",
        meaningful=frozenset({"none"})),  # not an administrator policy (nor any policy)
    Row("athena_workgroup_cmk_encryption", resource("aws:athena/workgroup:Workgroup", "wg",
        {"configuration": {"enforceWorkgroupConfiguration": True, "resultConfiguration": {
            "encryptionConfiguration": {"encryptionOption": "SSE_KMS", "kmsKeyArn": KEY_ARN}}}}),
        "configuration.enforceWorkgroupConfiguration", "flag", meaningful=frozenset({None}),
        others=(resource("aws:kms/key:Key", "cmk", {}, outputs={"arn": KEY_ARN}),)),
    Row("rds_deletion_protection", resource("aws:rds/instance:Instance", "db", {"deletionProtection": True}),
        "deletionProtection", "flag"),
    Row("rds_storage_encrypted", resource("aws:rds/instance:Instance", "db", {"storageEncrypted": True}),
        "storageEncrypted", "flag"),
    # absent: RDS keeps automated backups for its default of 1 day
    Row("rds_backup_retention_enabled", resource("aws:rds/instance:Instance", "db",
        {"backupRetentionPeriod": 7}), "backupRetentionPeriod", "number", meaningful=frozenset({None})),
    Row("rds_not_publicly_accessible", resource("aws:rds/instance:Instance", "db",
        {"publiclyAccessible": False}), "publiclyAccessible", "off-flag"),
    # absent: Redshift encrypts new clusters by default
    Row("redshift_cluster_encrypted_private", resource("aws:redshift/cluster:Cluster", "dw",
        {"publiclyAccessible": False, "encrypted": True}), "encrypted", "flag",
        # pulumi-aws 7 types Redshift's `encrypted` as a string: "true"/"false" are its real values
        meaningful=frozenset({None, "true", "True", "false"})),
    Row("redshift_cluster_encrypted_private", resource("aws:redshift/cluster:Cluster", "dw",
        {"publiclyAccessible": False, "encrypted": True}), "publiclyAccessible", "off-flag"),
    Row("ebs_volume_encrypted", resource("aws:ebs/volume:Volume", "vol", {"encrypted": True}), "encrypted",
        "flag"),
    Row("ecr_repository_scan_on_push", resource("aws:ecr/repository:Repository", "repo",
        {"imageScanningConfiguration": {"scanOnPush": True}}), "imageScanningConfiguration.scanOnPush",
        "flag"),
    Row("security_group_no_open_admin_ports", resource("aws:ec2/securityGroupRule:SecurityGroupRule", "https",
        {"type": "ingress", "cidrBlocks": ["0.0.0.0/0"], "protocol": "tcp", "fromPort": 443, "toPort": 443}),
        "fromPort", "number", meaningful=frozenset({None}), unshown=frozenset({-1, 0})),
]


def _replaced(row: Row, value: Any) -> list[Resource]:
    """The row's resources with ``value`` at ``path`` (on the subject, else the first other one)."""
    target = row.others[0] if row.on_other else row.subject
    inputs = copy.deepcopy(target.inputs)
    parent: Any = inputs
    parts = row.path.split(".")
    for part in parts[:-1]:
        parent = parent[int(part)] if isinstance(parent, list) else parent[part]
    if isinstance(parent, list):
        parent[int(parts[-1])] = value
    else:
        parent[parts[-1]] = value
    changed = copy.copy(target)
    changed.inputs = inputs
    return [changed if r is target else r for r in (row.subject, *row.others)]


def _finding(row: Row, resources: list[Resource]) -> Finding:
    return findings(rule_by_id(row.rule), context(resources))[row.subject.name]


def _shows(finding: Finding, value: Any) -> bool:
    """The finding shows the malformed value (for a list, its malformed first entry)."""
    shown = bounded(value[0] if isinstance(value, list) and value else value)
    def same(observed: Any) -> bool:
        return observed is value or (observed == value and type(observed) is type(value))

    return shown in finding.message or any(e.observed == shown or same(e.observed) for e in finding.evidence)


@pytest.mark.parametrize("row", ROWS, ids=str)
def test_malformed_values_never_pass(row: Row) -> None:
    assert _finding(row, [row.subject, *row.others]).status is Status.PASS, "the row's baseline passes"
    for value in MALFORMED[row.kind]:
        if not isinstance(value, list | dict | bool) and value in row.meaningful:
            continue
        finding = _finding(row, _replaced(row, value))
        assert finding.status in (Status.FAIL, Status.ERROR), (value, finding.status, finding.message)
        # false (true where false complies) and a rule with no settings are well-typed: a plain FAIL
        shown = not isinstance(value, int | float) or isinstance(value, bool) or value not in row.unshown
        well_typed_off = value is False or (value is True and row.kind == "off-flag") or value == [{}]
        if value is not None and not well_typed_off and shown:
            assert _shows(finding, value), (value, finding.message, finding.evidence)


def test_out_of_range_is_a_fail_with_the_value_and_wrong_types_are_errors() -> None:
    key = resource("aws:kms/key:Key", "key", {"enableKeyRotation": True, "rotationPeriodInDays": -1})
    found = findings(rule_by_id("kms_key_rotation_enabled"), context([key]))["key"]
    assert (found.status, found.evidence[0].observed) == (Status.FAIL, "-1")
    assert "every -1 days" not in found.message
    logs = resource("aws:cloudwatch/logGroup:LogGroup", "logs", {"retentionInDays": NAN})
    found = findings(rule_by_id("log_group_retention_minimum"), context([logs]))["logs"]
    assert (found.status, found.evidence[0].observed) == (Status.ERROR, "nan")
    found = findings(rule_by_id("apigateway_route_authorization"), context([_route(0)]))["route"]  # type: ignore[arg-type]
    assert (found.status, found.evidence[0].observed) == (Status.ERROR, "0")
    found = findings(rule_by_id("apigateway_route_authorization"), context([_route("none")]))["route"]
    assert found.status is Status.FAIL


def test_a_schedule_that_never_fires_is_not_frequent() -> None:
    plans = [
        resource("aws:backup/plan:Plan", name, {"rules": [{"schedule": schedule}]})
        for name, schedule in (("zero-rate", "rate(0 minutes)"), ("zero-step", "cron(*/0 * * * ? *)"))
    ]
    result = findings(rule_by_id("backup_plan_frequency_within_rpo"), context(plans))
    assert {name: f.status for name, f in result.items()} == {
        "zero-rate": Status.ERROR,
        "zero-step": Status.ERROR,
    }


def test_a_garbage_region_is_an_error_not_the_stacks_region() -> None:
    provider = resource("pulumi:providers:aws", "odd", {"region": 0})
    resources = [
        provider,
        resource("aws:sqs/queue:Queue", "via-provider", {}, provider=provider.urn),
        resource("aws:sqs/queue:Queue", "own-garbage", {"region": "us-east-1; drop"}),
        resource("aws:sqs/queue:Queue", "own-valid", {"region": "us-east-1"}),
    ]
    stack_config = config(allowed_regions=["us-east-1", "us-west-2"])
    result = findings(rule_by_id("resource_region_allowed"), context(resources, stack_config))
    assert {name: f.status for name, f in result.items()} == {
        "odd": Status.ERROR,
        "via-provider": Status.ERROR,
        "own-garbage": Status.ERROR,
        "own-valid": Status.PASS,
    }
    assert result["via-provider"].evidence[0].observed == "0"


def test_rules_read_values_through_the_typed_accessors() -> None:
    """New rules too: the lax readers of old (``"true"`` read as true) are not called by any rule."""
    rules = Path(rule_by_id("kms_key_rotation_enabled").__file__ or "").parent
    lax = {path.name for path in rules.glob("*.py") if re.search(r"rel\.(truthy|number)\(", path.read_text())}
    assert lax == set(), "use rel.flag / rel.whole_number / rel.choice / rel.text with the property path"
