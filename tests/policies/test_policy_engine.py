"""The rule engine: every rule evaluated, broken rules become ERROR findings, deterministic order."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from policy_fakes import BUCKET_TYPE, QUEUE_TYPE, STACK_URN, make_rule, tagged_rule, urn

from supportops.errors import BadInput
from supportops.findings import Finding, Status
from supportops.inventory.model import Inventory
from supportops.policies.engine import evaluate
from supportops.policies.rule import EvaluationContext
from supportops.policies.stack_config import DEFAULT_CONFIG, ConfigOrigin, choose_config


def test_findings_of_every_rule_sorted(shop: Inventory) -> None:
    rules = [tagged_rule("z_rule"), tagged_rule("a_rule")]
    result = evaluate(shop, DEFAULT_CONFIG, rules)
    keys = [(f.check_id, f.subject) for f in result.findings]
    assert keys == sorted(keys)
    assert {f.check_id for f in result.findings} == {"a_rule", "z_rule"}
    failing = {f.subject for f in result.findings if f.status is Status.FAIL and f.check_id == "a_rule"}
    assert failing == {urn(BUCKET_TYPE, "logs"), urn(BUCKET_TYPE, "public")}
    assert result.rules == 2 and result.seconds >= 0 and result.problems == []


def test_a_rule_that_raises_gives_error_findings_for_its_resources(shop: Inventory) -> None:
    def broken(context: EvaluationContext) -> Iterable[Finding]:
        raise KeyError("rules")

    result = evaluate(shop, DEFAULT_CONFIG, [make_rule("broken", broken), tagged_rule()])
    broken_findings = [f for f in result.findings if f.check_id == "broken"]
    assert {f.subject for f in broken_findings} == {urn(BUCKET_TYPE, n) for n in ("logs", "media", "public")}
    assert {f.status for f in broken_findings} == {Status.ERROR}
    assert "KeyError" in broken_findings[0].message
    assert len(result.problems) == 1 and "broken" in result.problems[0]
    # the other rule still ran
    assert any(f.check_id == "bucket_tagged" and f.status is Status.PASS for f in result.findings)


def test_a_rule_that_breaks_halfway_keeps_what_it_decided(shop: Inventory) -> None:
    def halfway(context: EvaluationContext) -> Iterable[Finding]:
        first = context.inventory.of_type(BUCKET_TYPE)[0]
        yield context.finding(rule.META, first, Status.FAIL, "decided")
        raise ValueError("malformed policy")

    rule = make_rule("halfway", halfway)
    result = evaluate(shop, DEFAULT_CONFIG, [rule])
    statuses = {f.subject: f.status for f in result.findings}
    assert statuses == {
        urn(BUCKET_TYPE, "logs"): Status.FAIL,
        urn(BUCKET_TYPE, "media"): Status.ERROR,
        urn(BUCKET_TYPE, "public"): Status.ERROR,
    }


def test_a_rule_returning_non_findings_is_an_error(shop: Inventory) -> None:
    rule = make_rule("sloppy", lambda context: ["PASS"], resource_types=(QUEUE_TYPE,))  # type: ignore[list-item]
    result = evaluate(shop, DEFAULT_CONFIG, [rule])
    assert [(f.subject, f.status) for f in result.findings] == [(urn(QUEUE_TYPE, "jobs"), Status.ERROR)]


def test_a_broken_rule_without_resources_errors_on_the_stack(shop: Inventory) -> None:
    def broken(context: EvaluationContext) -> Iterable[Finding]:
        raise RuntimeError("boom")

    rule = make_rule("broken", broken, resource_types=("aws:kms/key:Key",))
    result = evaluate(shop, DEFAULT_CONFIG, [rule])
    assert [(f.subject, f.status) for f in result.findings] == [(STACK_URN, Status.ERROR)]


def test_config_defaults_when_the_source_has_none(shop: Inventory) -> None:
    choice = choose_config(shop)
    assert choice.origin is ConfigOrigin.DEFAULTS
    assert choice.config.environment == "unknown"
    assert "defaults" in choice.describe()


def test_config_from_the_inventory(shop: Inventory) -> None:
    shop.config = {
        "supportops:environment": "dev",
        "supportops:phase": "analytics",
        "aws:region": "eu-west-1",
        "supportops:allowedRegions": ["us-west-2", "eu-west-1"],
    }
    choice = choose_config(shop)
    assert choice.origin is ConfigOrigin.INVENTORY
    assert (choice.config.phase.value, choice.config.region) == ("analytics", "eu-west-1")


def test_invalid_inventory_config_is_bad_input(shop: Inventory) -> None:
    shop.config = {"supportops:environment": "dev", "supportops:phase": "sometime"}
    with pytest.raises(BadInput, match="supportops:phase"):
        choose_config(shop)


def test_explicit_config_file_wins(shop: Inventory, repo_root: Path) -> None:
    shop.config = {"supportops:environment": "dev", "supportops:phase": "analytics"}
    choice = choose_config(shop, repo_root / "Pulumi.demo-automation.yaml")
    assert choice.origin is ConfigOrigin.FILE
    assert (choice.config.environment, choice.config.phase.value) == ("demo", "automation")


def test_config_file_must_be_a_stack_file(shop: Inventory, tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("config: {}\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"Pulumi\.<stack>\.yaml"):
        choose_config(shop, path)


def test_a_verdict_that_reads_an_invented_value_says_so() -> None:
    from supportops.findings import Evidence
    from supportops.inventory.model import Resource, Source, SourceKind

    def reads_ami(context: EvaluationContext) -> Iterable[Finding]:
        rule = reads_ami_rule
        for resource in context.inventory.of_type(BUCKET_TYPE):
            evidence = [Evidence("ami", resource.prop("ami", None)), Evidence("tags.owner", None)]
            yield context.finding(rule.META, resource, Status.PASS, "image is approved", evidence)

    reads_ami_rule = make_rule("reads_ami", reads_ami)
    invented = Resource(
        urn(BUCKET_TYPE, "invented"),
        BUCKET_TYPE,
        "invented",
        inputs={"ami": "ami-0a1b2c3d"},
        invented=["inputs.ami", "outputs.arn"],
    )
    written = Resource(urn(BUCKET_TYPE, "written"), BUCKET_TYPE, "written", inputs={"ami": "ami-12345678"})
    inventory = Inventory(
        project="shop", stack="dev", source=Source(SourceKind.OFFLINE_PLAN), resources=[invented, written]
    )
    messages = {f.subject: f.message for f in evaluate(inventory, DEFAULT_CONFIG, [reads_ami_rule]).findings}
    assert messages == {
        invented.urn: "image is approved (reads ami: a value the offline planner invented)",
        written.urn: "image is approved",
    }
