"""Declared permissions: a collector cannot call an operation it does not declare, every declared
operation is called when the demo foundation is read, and the policy lists exactly their actions."""

from __future__ import annotations

import pytest
from conftest import LiveFoundation
from live_helpers import session
from stubbed_services import STUBBED
from test_live_stubbed import api_mapping_collection, firehose_collection

from supportops.inventory.live import read_only_policy, required_actions
from supportops.inventory.live.permissions import action, declared_calls
from supportops.inventory.live.reader import Reader, Scope, UndeclaredCall


def test_every_declared_call_is_used_reading_the_foundation(live_foundation: LiveFoundation) -> None:
    # The foundation in moto, plus Stubber runs for what it has none of (Firehose, API mappings) and
    # for the services moto cannot hold.
    scopes = list(live_foundation.scopes)
    firehose_collection(live_foundation.url, scopes)
    api_mapping_collection(live_foundation.url, scopes)
    for collection in STUBBED.values():
        collection(live_foundation.url, scopes)
    used = {call for scope in scopes for call in scope.calls}
    used.add(("sts", "GetCallerIdentity"))  # read once per target, before any scope
    assert sorted(declared_calls() - used) == [], "declared but never called"
    assert sorted(used - declared_calls()) == [], "called but not declared"


def test_an_undeclared_operation_is_refused_before_it_is_sent(moto_server: str) -> None:
    scope = Scope(session(), "123456789012", "us-east-1", None, moto_server)
    reader = Reader(scope, "sqs", frozenset({"ListQueues"}))
    with pytest.raises(UndeclaredCall, match="sqs:DeleteQueue"):
        reader.call("DeleteQueue", QueueUrl=f"{moto_server}/123456789012/none")
    assert scope.calls == {}


def test_policy_is_read_only_and_names_every_declared_action() -> None:
    actions = required_actions()
    assert actions == sorted({action(c) for c in declared_calls()})
    verbs = ("Get", "List", "Describe", "BatchGet")
    assert all(a == "apigateway:GET" or a.split(":", 1)[1].startswith(verbs) for a in actions)
    assert read_only_policy()["Statement"][0]["Action"] == actions
    assert "s3:GetEncryptionConfiguration" in actions and "s3:GetBucketEncryption" not in actions
