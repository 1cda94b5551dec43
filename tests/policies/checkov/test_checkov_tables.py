"""The data files of the checkov bridge: the Terraform type table overlay (the generated table is
tests/policies/checkov/test_checkov_types.py's), severities and the platform waivers; the checkov
ids the framework files map (``checkov:`` per requirement) each have a severity."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from supportops.findings import Severity
from supportops.inventory.model import Inventory
from supportops.policies.checkov.metadata import SEVERITIES_PATH, default_severities
from supportops.policies.checkov.plan import is_cloud_resource
from supportops.policies.checkov.scan import PLATFORM_WAIVERS_PATH, platform_waivers
from supportops.policies.checkov.type_table import TYPE_TABLE_PATH, default_type_table
from supportops.policies.frameworks.model import builtin_frameworks, builtin_index


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects a key given twice in one mapping (safe_load keeps the last)."""


def _no_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
    if duplicates:
        raise AssertionError(f"duplicate keys {duplicates} at line {node.start_mark.line + 1}")
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


@pytest.mark.parametrize("path", [TYPE_TABLE_PATH, SEVERITIES_PATH, PLATFORM_WAIVERS_PATH])
def test_data_files_have_no_duplicate_keys(path: Path) -> None:
    yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)


def test_every_type_of_the_demo_platform_is_mapped_or_a_declared_gap(
    foundation_plan: Inventory, automation_plan: Inventory, analytics_plan: Inventory
) -> None:
    table = default_type_table()
    types = {
        r.type
        for inv in (foundation_plan, automation_plan, analytics_plan)
        for r in inv
        if is_cloud_resource(r)
    }
    assert sorted(t for t in types if t not in table.types and t not in table.no_terraform_equivalent) == []


def test_terraform_types_are_unique_per_pulumi_type() -> None:
    table = default_type_table()
    assert all(re.fullmatch(r"aws_[a-z0-9_]+", m.terraform) for m in table.types.values())
    assert table.types["aws:cloudwatch/eventRule:EventRule"].terraform == "aws_cloudwatch_event_rule"
    assert table.types["aws:s3/bucketReplicationConfig:BucketReplicationConfig"].terraform == (
        "aws_s3_bucket_replication_configuration"
    )
    assert set(table.no_terraform_equivalent).isdisjoint(table.types)


def test_every_check_with_requirements_has_a_severity() -> None:
    severities = default_severities()
    mapped = {
        check
        for framework in builtin_frameworks()
        for requirement in framework.requirements
        for check in requirement.checkov
        if "*" not in check and "?" not in check
    }
    assert mapped
    assert sorted(mapped - set(severities.checks)) == []
    assert severities.severity("CKV_SECRET_2") is Severity.CRITICAL
    assert severities.severity("CKV_AWS_999999") is severities.default


def test_the_bar_checks_are_mapped() -> None:
    index = builtin_index()
    for check_id in (
        "CKV_AWS_145",
        "CKV_AWS_21",
        "CKV2_AWS_6",
        "CKV_AWS_27",
        "CKV_AWS_158",
        "CKV_AWS_66",
        "CKV_AWS_338",
        "CKV_AWS_7",
        "CKV_AWS_28",
        "CKV_SECRET_2",
    ):
        assert index.requirements(check_id), check_id


def test_platform_waivers_are_complete_and_unexpired() -> None:
    today = dt.datetime.now(dt.UTC).date()
    waivers = platform_waivers()
    assert waivers
    for waiver in waivers:
        assert waiver.rule.startswith("CKV")
        assert waiver.expires > today
        assert waiver.owner and len(waiver.justification) > 60


NATIVE_TOKENS = sorted(
    t
    for t in (*default_type_table().types, *default_type_table().no_terraform_equivalent)
    if t.startswith("aws-native:")
)


@pytest.mark.parametrize("token", NATIVE_TOKENS)
def test_aws_native_tokens_exist(token: str) -> None:
    _, module, name = token.split(":")
    assert inspect.isclass(getattr(importlib.import_module(f"pulumi_aws_native.{module}"), name, None))
