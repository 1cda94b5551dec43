"""The data files of the checkov bridge: the Terraform type table (checked against the pulumi-aws
SDK), severities, requirements (checked against the framework files) and the platform waivers."""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import inspect
import keyword
import re
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from supportops.findings import Severity
from supportops.inventory.model import Inventory
from supportops.policies.checkov.attributes import snake_case
from supportops.policies.checkov.metadata import (
    REQUIREMENTS_PATH,
    SEVERITIES_PATH,
    default_requirements,
    default_severities,
)
from supportops.policies.checkov.plan import is_cloud_resource
from supportops.policies.checkov.scan import PLATFORM_WAIVERS_PATH, platform_waivers
from supportops.policies.checkov.type_table import TYPE_TABLE_PATH, default_type_table
from supportops.policies.frameworks.model import builtin_frameworks


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that rejects a key given twice in one mapping (safe_load keeps the last)."""


def _no_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
    if duplicates:
        raise AssertionError(f"duplicate keys {duplicates} at line {node.start_mark.line + 1}")
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


@pytest.mark.parametrize("path", [TYPE_TABLE_PATH, SEVERITIES_PATH, REQUIREMENTS_PATH, PLATFORM_WAIVERS_PATH])
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


AWS_TOKENS = sorted(t for t in default_type_table().types if t.startswith("aws:"))


@pytest.mark.parametrize("token", AWS_TOKENS)
def test_table_entry_matches_the_pulumi_aws_sdk(token: str) -> None:
    """The token exists with that name, and every renamed, map and link property is one of its
    inputs (at the top level) or of its nested input types (deeper)."""
    cls = _sdk_class(token)
    init = inspect.getsource(cls._internal_init)
    assert f"'{token}'" in init
    module_source = inspect.getsource(importlib.import_module(cls.__module__.rsplit(".", 1)[0] + "._inputs"))
    mapping = default_type_table().types[token]
    paths = (*mapping.renames, *mapping.maps, *mapping.links)
    names = [name for path in paths for name in path.split(".")]
    for name in names:
        python = _python_name(name)
        assert f'__props__.__dict__["{python}"]' in init or f"def {python}(self)" in module_source, (
            token,
            name,
        )


def test_terraform_types_are_unique_per_pulumi_type() -> None:
    table = default_type_table()
    assert all(re.fullmatch(r"aws_[a-z0-9_]+", m.terraform) for m in table.types.values())
    assert table.types["aws:cloudwatch/eventRule:EventRule"].terraform == "aws_cloudwatch_event_rule"
    assert table.types["aws:s3/bucketReplicationConfig:BucketReplicationConfig"].terraform == (
        "aws_s3_bucket_replication_configuration"
    )
    assert set(table.no_terraform_equivalent).isdisjoint(table.types)


def test_every_mapped_requirement_exists_in_a_framework_file() -> None:
    known = {
        f"{framework.id}:{requirement.id}"
        for framework in builtin_frameworks()
        for requirement in framework.requirements
    }
    table = default_requirements()
    used = {
        r for ids in (*table.checks.values(), *table.patterns.values(), *table.families.values()) for r in ids
    }
    assert sorted(used - known) == []


def test_every_check_with_requirements_has_a_severity() -> None:
    severities = default_severities()
    assert sorted(set(default_requirements().checks) - set(severities.checks)) == []
    assert severities.severity("CKV_SECRET_2") is Severity.CRITICAL
    assert severities.severity("CKV_AWS_999999") is severities.default


def test_the_bar_checks_are_mapped() -> None:
    table = default_requirements()
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
        assert table.requirements(check_id), check_id


def test_platform_waivers_are_complete_and_unexpired() -> None:
    today = dt.datetime.now(dt.UTC).date()
    waivers = platform_waivers()
    assert waivers
    for waiver in waivers:
        assert waiver.rule.startswith("CKV")
        assert waiver.expires > today
        assert waiver.owner and len(waiver.justification) > 60


# Where the SDK's prose points at a docs section, not the attribute: Terraform's `members` block
# is documented under `bot_members`.
_SDK_PROSE_EXCEPTIONS = {("aws:lex/v2modelsBot:V2modelsBot", "members")}


@functools.cache
def _class_sources(path: str) -> dict[str, str]:
    text = Path(path).read_text(encoding="utf-8")
    return {
        m.group(1): part
        for part in re.split(r"\n(?=class \w)", text)
        if (m := re.match(r"class (\w+)", part))
    }


def test_renames_cover_every_block_the_sdk_documents_under_its_terraform_name() -> None:
    """pulumi-aws's docstrings say "See `<terraform block>` below" for nested inputs: wherever that name
    differs from the camelCase -> snake_case of the Pulumi name (a pluralized block), the table must
    rename it. Nested input classes belong to the longest resource class name they start with."""
    table = default_type_table()
    classes = {token: _sdk_class(token) for token in AWS_TOKENS}
    missing: list[str] = []
    for token, cls in classes.items():
        mapping = table.types[token]
        resource_file = inspect.getsourcefile(cls)
        assert resource_file is not None
        inputs = _class_sources(str(Path(resource_file).parent / "_inputs.py"))
        package = importlib.import_module(cls.__module__.rsplit(".", 1)[0])
        rivals = [
            n for n, o in vars(package).items() if inspect.isclass(o) and issubclass(o, pulumi.CustomResource)
        ]
        owned = [
            text
            for name, text in inputs.items()
            if name.endswith("Args")
            and max((r for r in rivals if name.startswith(r)), key=len, default="") == cls.__name__
        ]
        for text in [_class_sources(resource_file)[cls.__name__], *owned]:
            for python, terraform in set(re.findall(r":param [^\n]*? (\w+): [^\n]*?[Ss]ee `(\w+)`", text)):
                camel = re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), python)
                written = mapping.renames.get(camel) or snake_case(camel)
                if terraform not in (written, python) and (token, camel) not in _SDK_PROSE_EXCEPTIONS:
                    missing.append(f"{token}: {camel} -> {terraform} (written as {written})")
    assert sorted(set(missing)) == []


NATIVE_TOKENS = sorted(
    t
    for t in (*default_type_table().types, *default_type_table().no_terraform_equivalent)
    if t.startswith("aws-native:")
)


@pytest.mark.parametrize("token", NATIVE_TOKENS)
def test_aws_native_tokens_exist(token: str) -> None:
    _, module, name = token.split(":")
    assert inspect.isclass(getattr(importlib.import_module(f"pulumi_aws_native.{module}"), name, None))
