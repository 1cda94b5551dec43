"""Shared pieces of the live-collector tests: the rule-read types, a moto session, Stubber clients."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import boto3

from supportops.policies import relations as rel
from supportops.policies.catalog import all_rules

REPO = Path(__file__).resolve().parents[3]
RULE_SOURCES = (
    REPO / "policies/supportops/policies/rules",
    REPO / "policies/supportops/policies/relations",
    REPO / "policies/supportops/policies/premises.py",
)
TOKEN = re.compile(r'"((?:aws|aws-native|pulumi):[A-Za-z0-9/_-]+:[A-Za-z0-9_]+)"')


def rule_read_types() -> set[str]:
    """Every type a rule reads: the rules' declared types, the bucket settings and other types the
    relation index looks up, and type tokens named in rule, relation and premise code."""
    found = {t for rule in all_rules() for t in rule.META.resource_types}
    found |= set(rel.BUCKET_SETTING_TYPES)
    for source in RULE_SOURCES:
        files = [source] if source.is_file() else sorted(source.glob("*.py"))
        for path in files:
            found |= set(TOKEN.findall(path.read_text(encoding="utf-8")))
    return found


@functools.cache
def session() -> boto3.Session:
    """One session for every test: its loader caches the service models (a new session per test
    reloads them, seconds on a busy machine)."""
    return boto3.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
    )


def stubbed_client(service: str, region: str = "us-east-1") -> Any:
    return session().client(service, region_name=region)
