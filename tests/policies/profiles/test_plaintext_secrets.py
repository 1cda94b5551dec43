"""secrets_not_in_plaintext: literals found in the program's source, credential config keys, values
never echoed, the SDK-derived property list up to date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rule_corpus import run

from supportops.findings import Status
from supportops.inventory.model import Inventory, Resource, Source, SourceKind
from supportops.policies import sdk_secret_properties
from supportops.policies.catalog import rule_by_id
from supportops.policies.engine import evaluate
from supportops.policies.program_secrets import scan_file
from supportops.policies.rules.secrets_not_in_plaintext import credential_key, plaintext_config_keys
from supportops.policies.sdk_secrets import render, scan, sdk_root
from supportops.policies.stack_config import DEFAULT_CONFIG

GENERATED = Path(sdk_secret_properties.__file__)


def test_the_property_list_matches_the_installed_sdk() -> None:
    found = scan(sdk_root())
    assert GENERATED.read_text(encoding="utf-8") == render(found)
    assert {"password", "password_wo"} <= set(found["aws:rds/instance:Instance"])
    assert "secret_string" in found["aws:secretsmanager/secretVersion:SecretVersion"]
    # a certificate is public, not a credential
    assert "certificate_pem" not in found.get("aws:iot/certificate:Certificate", ())


def test_no_value_reaches_a_finding() -> None:
    _labels, outcome = run("rules-hardcoded-secret")
    shown = json.dumps([f.to_json() for f in outcome.findings], default=str)
    for value in ("mysecret", "letmein", "k-abcdef", "plaintoken"):
        assert value not in shown
    messages = {outcome.name(f.subject): f.message for f in outcome.findings
                if f.check_id == "secrets_not_in_plaintext" and f.status is Status.FAIL}
    expected = "secret_string.password is a plaintext literal in the program (__main__.py:17)"
    assert messages["app-json"] == expected
    assert "config key rules-hardcoded-secret:apiToken holds a plaintext value" in messages[
        "rules-hardcoded-secret-dev"
    ]


def _hits(tmp_path: Path, source: str) -> set[tuple[str | None, str]]:
    path = tmp_path / "__main__.py"
    path.write_text(source, encoding="utf-8")
    return {(hit.name or hit.name_pattern, hit.path) for hit in scan_file(path, "__main__.py")}


def test_what_counts_as_a_literal(tmp_path: Path) -> None:
    source = '''
import pulumi, pulumi_aws as aws
cfg = pulumi.Config()
PW = "constant-pw"
AGAIN = "a"
AGAIN = cfg.require("x")
aws.rds.Instance("a", password="literal")
aws.rds.Instance("b", password=PW)
aws.rds.Instance("c", password=pulumi.Output.secret("wrapped"))
aws.rds.Instance("d", password=cfg.require_secret("dbPassword"))
aws.rds.Instance("e", password="")
aws.rds.Instance("f", password=AGAIN)
for i in range(2):
    aws.rds.Instance(f"g-{i}", password=f"plain")
aws.opensearch.Domain("h", advanced_security_options=aws.opensearch.DomainAdvancedSecurityOptionsArgs(
    master_user_options={"masterUserPassword": "x"}))
'''
    assert _hits(tmp_path, source) == {
        ("a", "password"),
        ("b", "password"),
        ("c", "password"),
        ("g\\-.+", "password"),
        ("h", "advanced_security_options.master_user_options.masterUserPassword"),
    }


def test_an_unparsable_file_is_skipped(tmp_path: Path) -> None:
    assert _hits(tmp_path, "def broken(:\n") == set()


@pytest.mark.parametrize(
    ("key", "credential"),
    [
        ("app:dbPassword", True),
        ("app:crmApiToken", True),
        ("app:privateKey", True),
        ("app:api_key", True),
        ("app:secretName", False),
        ("app:tokenTtlMinutes", False),
        ("app:keyId", False),
        ("aws:region", False),
    ],
)
def test_credential_config_keys(key: str, credential: bool) -> None:
    assert credential_key(key) is credential


def test_plaintext_config_keys_walk_nested_maps() -> None:
    config = {"app:db": {"password": "x", "host": "h"}, "app:token": {"secure": "v1:abc"}, "app:apiKey": ""}
    assert plaintext_config_keys(config) == ["app:db.password"]


def test_without_the_program_the_rule_cannot_judge() -> None:
    """A state file holds no source: credential properties are N/A, never PASS or FAIL."""
    db = Resource(
        urn="urn:pulumi:dev::shop::aws:rds/instance:Instance::db",
        type="aws:rds/instance:Instance",
        name="db",
        inputs={"password": "[secret]"},
    )
    inventory = Inventory("shop", "dev", Source(SourceKind.STACK_EXPORT, "state.json"), [db])
    result = evaluate(inventory, DEFAULT_CONFIG, [rule_by_id("secrets_not_in_plaintext")])
    assert [(f.status, f.message) for f in result.findings] == [
        (Status.NOT_APPLICABLE, "the program's source is not in this inventory (not an offline plan)")
    ]


def test_a_literal_is_placed_on_the_resource_its_call_creates(tmp_path: Path) -> None:
    """Matched by name and class: aws.lambda_.Function is aws:lambda/function:Function, and an
    rds.Instance literal is not put on an ec2.Instance of the same name."""
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n", encoding="utf-8")
    (tmp_path / "__main__.py").write_text(
        'aws.lambda_.Function("fn", environment={"variables": {"password": "x"}})\n'
        'aws.rds.Instance("db", password="y")\n',
        encoding="utf-8",
    )
    def make(type_token: str, name: str, custom: bool = True) -> Resource:
        urn = f"urn:pulumi:dev::p::{type_token}::{name}"
        return Resource(urn=urn, type=type_token, name=name, custom=custom)

    resources = [
        make("aws:lambda/function:Function", "fn"),
        make("aws:ec2/instance:Instance", "db"),
        make("pulumi:pulumi:Stack", "p-dev", custom=False),
    ]
    inventory = Inventory("p", "dev", Source(SourceKind.OFFLINE_PLAN, str(tmp_path)), resources)
    result = evaluate(inventory, DEFAULT_CONFIG, [rule_by_id("secrets_not_in_plaintext")])
    verdicts = {f.subject.rsplit("::", 1)[-1]: (f.status, f.message) for f in result.findings}
    assert verdicts == {
        "fn": (Status.FAIL, "environment.variables.password is a plaintext literal in the program "
                            "(__main__.py:1)"),
        "p-dev": (Status.FAIL, "aws.rds.Instance(...) gives password a plaintext literal (__main__.py:2)"),
    }
