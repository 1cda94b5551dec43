"""The CrossGuard pack, exercised in-process with pulumi_policy's own argument objects (constructing
PolicyPack would start the analyzer server and block, so it is never constructed here)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pulumi.runtime
import pytest
import yaml
from policy_fakes import BUCKET_TYPE, make_rule, tagged_rule
from pulumi_policy import (
    EnforcementLevel,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import unknown_checking_proxy

from supportops.findings import Finding, Severity, Status
from supportops.inventory.model import UNKNOWN, Inventory
from supportops.policies import catalog
from supportops.policies.crossguard import pack
from supportops.policies.relations import index as relations_index
from supportops.policies.rule import PLATFORM_APPLIES, EvaluationContext
from supportops.policies.stack_config import DEFAULT_CONFIG

PACK_DIR = Path(__file__).resolve().parents[2] / "policies" / "crossguard"  # the pack folder Pulumi reads
BUCKET_URN = "urn:pulumi:dev::shop::aws:s3/bucket:Bucket::media"
PROVIDER_URN = "urn:pulumi:dev::shop::pulumi:providers:aws::default"


class Violations:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def __call__(self, message: str, urn: str | None = None) -> None:
        self.calls.append((message, urn))

    @property
    def urns(self) -> set[str | None]:
        return {urn for _, urn in self.calls}


def _opts(parent: str | None = None) -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], None, [], parent)  # type: ignore[arg-type]


def _provider() -> PolicyProviderResource:
    return PolicyProviderResource(
        "pulumi:providers:aws", unknown_checking_proxy({"region": "eu-west-1"}), PROVIDER_URN, "default"
    )


def _resource_args(
    props: dict[str, Any], type_: str = BUCKET_TYPE, config: dict[str, Any] | None = None
) -> ResourceValidationArgs:
    return ResourceValidationArgs(
        type_, unknown_checking_proxy(props), BUCKET_URN, "media", _opts(), _provider(), config
    )


def _stack_args(inventory: Inventory, drop: Iterable[str] = ()) -> StackValidationArgs:
    """The inventory as the engine hands it to a stack policy: outputs as props, proxied."""
    dropped = set(drop)
    resources: dict[str, PolicyResource] = {}
    for r in inventory:
        if r.urn in dropped:
            continue
        resources[r.urn] = PolicyResource(
            r.type,
            unknown_checking_proxy(dict(r.outputs or r.inputs)),
            r.urn,
            r.name,
            _opts(r.parent),
            None,
            None,
            [],
            {},
        )
    for r in inventory:
        if r.urn in resources:
            resources[r.urn].parent = resources.get(r.parent or "")
            resources[r.urn].dependencies = [resources[d] for d in r.dependencies if d in resources]
    return StackValidationArgs(list(resources.values()))


def test_one_policy_per_rule_with_enforcement_by_severity() -> None:
    policies = pack.build_policies()
    rules = catalog.all_rules()
    assert [p.name for p in policies] == [r.META.id for r in rules]
    for policy, rule in zip(policies, rules, strict=True):
        mandatory = rule.META.severity in (Severity.CRITICAL, Severity.HIGH)
        expected = EnforcementLevel.MANDATORY if mandatory else EnforcementLevel.ADVISORY
        assert policy.enforcement_level is expected
        assert policy.description == rule.META.title
        # The rule's declared scope decides (tests/policies/test_rule_scope.py checks the declaration).
        assert isinstance(policy, StackValidationPolicy) == rule.META.needs_stack
        assert isinstance(policy, ResourceValidationPolicy) == (not rule.META.needs_stack)
    kinds = {isinstance(p, StackValidationPolicy) for p in policies}
    assert kinds == {True, False}  # both kinds are in use


def test_a_local_rule_becomes_a_resource_policy() -> None:
    [policy] = pack.build_policies([tagged_rule()], config=lambda: DEFAULT_CONFIG)
    assert isinstance(policy, ResourceValidationPolicy)
    assert policy.enforcement_level is EnforcementLevel.MANDATORY


def test_resource_policy_reports_the_failing_resource() -> None:
    [policy] = pack.build_policies([tagged_rule(severity=Severity.LOW)], config=lambda: DEFAULT_CONFIG)
    assert policy.enforcement_level is EnforcementLevel.ADVISORY
    failing, passing, other = Violations(), Violations(), Violations()
    policy.validate(_resource_args({"tags": {"tier": "web"}}), failing)  # type: ignore[call-arg]
    policy.validate(_resource_args({"tags": {"owner": "ops"}}), passing)  # type: ignore[call-arg]
    policy.validate(_resource_args({}, type_="aws:sqs/queue:Queue"), other)  # type: ignore[call-arg]
    assert failing.calls == [("no owner tag", BUCKET_URN)]
    assert passing.calls == [] and other.calls == []


def test_unknown_values_reach_rules_as_the_unknown_sentinel() -> None:
    seen: list[Any] = []

    def evaluate(context: EvaluationContext) -> Iterable[Finding]:
        for resource in context.inventory.of_type(BUCKET_TYPE):
            seen.append((resource.get("tags.owner"), resource.region))
            yield context.finding(rule.META, resource, Status.NOT_APPLICABLE, "unknown at preview")

    rule = make_rule("sees_unknowns", evaluate)
    [policy] = pack.build_policies([rule], config=lambda: DEFAULT_CONFIG)
    violations = Violations()
    policy.validate(_resource_args({"tags": {"owner": UNKNOWN}}), violations)  # type: ignore[call-arg]
    assert seen == [(UNKNOWN, "eu-west-1")]  # region from the provider
    assert violations.calls == []  # NOT_APPLICABLE is no violation


def test_a_rule_that_cannot_decide_is_a_violation_not_a_pass() -> None:
    def broken(context: EvaluationContext) -> Iterable[Finding]:
        raise ValueError("policy document is not JSON")

    [policy] = pack.build_policies([make_rule("broken", broken)], config=lambda: DEFAULT_CONFIG)
    violations = Violations()
    policy.validate(_resource_args({}), violations)  # type: ignore[call-arg]
    assert len(violations.calls) == 1
    message, urn = violations.calls[0]
    assert urn == BUCKET_URN and message.startswith("could not be evaluated") and "ValueError" in message


def test_stack_policy_follows_relations(foundation_plan: Inventory) -> None:
    """s3_bucket_cmk_encryption over the demo stack: passes as planned, and names exactly the bucket
    whose encryption resource is removed."""
    rule = next(r for r in catalog.all_rules() if r.META.id == "s3_bucket_cmk_encryption")
    [policy] = pack.build_policies([rule], config=lambda: DEFAULT_CONFIG, premise=lambda: PLATFORM_APPLIES)
    assert isinstance(policy, StackValidationPolicy)
    planned = Violations()
    policy.validate(_stack_args(foundation_plan), planned)
    assert planned.calls == []
    encryption = next(r for r in foundation_plan if r.name == "demo-audit-logs-encryption")
    assert r"BucketServerSideEncryptionConfiguration" in encryption.type
    bucket = next(r for r in foundation_plan if r.type == BUCKET_TYPE and r.name == "demo-audit-logs")
    broken = Violations()
    policy.validate(_stack_args(foundation_plan, drop=[encryption.urn]), broken)
    assert broken.urns == {bucket.urn}


def test_stack_policies_share_one_relations_index_per_stack(
    foundation_plan: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine hands each stack policy its own copy of the stack; the index is built once for it,
    and again only when the stack changes."""
    built: list[Inventory] = []

    class Counted(relations_index.Relations):
        def __init__(self, inventory: Inventory) -> None:
            built.append(inventory)
            super().__init__(inventory)

    monkeypatch.setattr(relations_index, "Relations", Counted)
    ids = ("s3_bucket_cmk_encryption", "s3_bucket_versioning_enabled")
    rules = [r for r in catalog.all_rules() if r.META.id in ids]
    policies = pack.build_policies(rules, config=lambda: DEFAULT_CONFIG, premise=lambda: PLATFORM_APPLIES)
    assert len(policies) == 2 and all(isinstance(p, StackValidationPolicy) for p in policies)
    for policy in policies:
        policy.validate(_stack_args(foundation_plan), Violations())
    assert len(built) == 1
    encryption = next(r for r in foundation_plan if r.name == "demo-audit-logs-encryption")
    for policy in policies:
        policy.validate(_stack_args(foundation_plan, drop=[encryption.urn]), Violations())
    assert len(built) == 2 and len(built[1]) == len(foundation_plan) - 1


def test_stack_config_comes_from_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        pulumi.runtime,
        "get_config_env",
        lambda: {
            "supportops:environment": "prod",
            "supportops:phase": "analytics",
            "aws:region": "us-east-1",
            "supportops:allowedRegions": '["us-east-1", "us-west-2"]',
            "supportops:crmApiToken": "decrypted!",
        },
    )
    config = pack.config_from_runtime()
    assert (config.environment, config.phase.value) == ("prod", "analytics")
    monkeypatch.setattr(pulumi.runtime, "get_config_env", lambda: {"aws:region": "us-east-1"})
    assert pack.config_from_runtime() == DEFAULT_CONFIG


def test_pack_files() -> None:
    settings = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    assert settings["runtime"]["name"] == "python"
    # The pack's own virtualenv beside it, filled from requirements.txt: nothing outside the repository.
    assert settings["runtime"]["options"]["virtualenv"] == "venv"
    lines = [
        line.strip()
        for line in (PACK_DIR / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines == ["../..", "pulumi-policy>=1.21,<2"]
    assert ((PACK_DIR / "../..").resolve() / "pyproject.toml").is_file()
    assert "build_policies()" in (PACK_DIR / "__main__.py").read_text(encoding="utf-8")


WAIVER = {
    "id": "W-1",
    "rule": "bucket_tagged",
    "selector": {"name": "media"},
    "owner": "platform-team",
    "justification": "media bucket is tagged by the CDN pipeline",
    "expires": "2099-12-31",
}


def test_a_waiver_in_the_policy_config_waives_the_finding_as_in_comply() -> None:
    [policy] = pack.build_policies([tagged_rule()], config=lambda: DEFAULT_CONFIG)
    waived, expired, other = Violations(), Violations(), Violations()
    policy.validate(_resource_args({"tags": {}}, config={"waivers": [WAIVER]}), waived)  # type: ignore[call-arg]
    old = {**WAIVER, "expires": "2020-01-01"}
    policy.validate(_resource_args({"tags": {}}, config={"waivers": [old]}), expired)  # type: ignore[call-arg]
    elsewhere = {**WAIVER, "selector": {"name": "logs"}}
    policy.validate(_resource_args({"tags": {}}, config={"waivers": [elsewhere]}), other)  # type: ignore[call-arg]
    assert waived.calls == []
    assert expired.calls == [("no owner tag", BUCKET_URN)]
    assert other.calls == [("no owner tag", BUCKET_URN)]


def test_a_malformed_policy_config_blocks_instead_of_waiving_nothing() -> None:
    [policy] = pack.build_policies([tagged_rule()], config=lambda: DEFAULT_CONFIG)
    violations = Violations()
    bad = {"waivers": [{**WAIVER, "expires": 0}]}
    policy.validate(_resource_args({"tags": {}}, config=bad), violations)  # type: ignore[call-arg]
    [(message, urn)] = violations.calls
    assert message.startswith("the pack's policy config is invalid: waivers[0].expires") and urn is None


def test_the_config_command_writes_each_rules_waivers_under_its_policy(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from supportops.cli.app import create_app

    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        yaml.safe_dump(
            {
                "waivers": [
                    {**WAIVER, "rule": "required_tags"},
                    {**WAIVER, "id": "W-2", "rule": "CKV_AWS_18"},  # checkov's: not a pack policy
                ]
            }
        ),
        encoding="utf-8",
    )
    out = tmp_path / "pack-config.json"
    result = CliRunner().invoke(
        create_app(), ["crossguard", "config", "--waivers", str(waivers), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert list(document) == ["required_tags"]
    assert document["required_tags"]["waivers"][0]["id"] == "W-1"
    # What the command writes is what the policy accepts.
    rule = next(r for r in catalog.all_rules() if r.META.id == "required_tags")
    [policy] = pack.build_policies([rule], config=lambda: DEFAULT_CONFIG)
    assert policy.config_schema is not None and "waivers" in policy.config_schema.properties


def test_without_platform_config_platform_rules_are_not_applicable() -> None:
    rule = next(r for r in catalog.all_rules() if r.META.id == "required_tags")
    assert rule.META.profile.value == "platform"
    [policy] = pack.build_policies(
        [rule],
        config=lambda: DEFAULT_CONFIG,
        premise=lambda: pack.Premise(platform=False, reason="no supportops config"),
    )
    assert isinstance(policy, StackValidationPolicy)  # required_tags reads the provider's default tags
    untagged = PolicyResource(
        BUCKET_TYPE, unknown_checking_proxy({"tags": {}}), BUCKET_URN, "media", _opts(), None, None, [], {}
    )
    violations = Violations()
    policy.validate(StackValidationArgs([untagged]), violations)
    assert violations.calls == []
    # The same bucket on a platform stack is a violation: the premise, not the data, made the difference.
    [platform] = pack.build_policies([rule], config=lambda: DEFAULT_CONFIG, premise=lambda: PLATFORM_APPLIES)
    on_platform = Violations()
    platform.validate(StackValidationArgs([untagged]), on_platform)
    assert on_platform.urns == {BUCKET_URN}
