"""Typed stack config: defaults, and one clear line per problem for invalid files (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from supportops.errors import BadInput
from supportops.stacks.config import DataClassName, Phase, load_stack_config


def write_stack(tmp_path: Path, stack: str, config: dict[str, object]) -> Path:
    (tmp_path / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    return tmp_path


def problems(tmp_path: Path, stack: str, config: dict[str, object]) -> list[str]:
    with pytest.raises(BadInput) as caught:
        load_stack_config(write_stack(tmp_path, stack, config), stack)
    return [f"{p.location}: {p.problem}" for p in caught.value.problems]


BASE = {"supportops:environment": "prod", "supportops:phase": "foundation"}


def test_minimal_config_takes_the_platform_targets_as_defaults(tmp_path: Path) -> None:
    config = load_stack_config(write_stack(tmp_path, "prod-foundation", BASE), "prod-foundation")
    assert config.phase is Phase.FOUNDATION
    assert (config.resilience.rto_minutes, config.resilience.rpo_minutes) == (240, 15)
    tiers = {t.name: (t.respond_minutes, t.resolve_minutes) for t in config.sla_tiers}
    assert tiers == {"Critical": (15, 240), "High": (60, 1440), "Medium": (240, 5 * 8 * 60)}
    assert config.data_class(DataClassName.AUDIT_LOGS).min_days >= 365  # PCI DSS 10.5.1
    assert config.crm.provider.value == "zendesk"


def test_the_demo_stacks_are_valid(repo_root: Path) -> None:
    for phase in Phase:
        assert load_stack_config(repo_root, f"demo-{phase.value}").phase is phase


def test_each_problem_is_one_line_naming_the_key(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "prod-foundation",
        {
            **BASE,
            "supportops:colour": "blue",
            "supportops:resilience": {"rtoMinutes": 30, "rpoMinutes": 60},
            "supportops:dataClasses": {"callRecordings": {"minDays": 800, "maxDays": 400}},
            "supportops:identityMode": "LDAP",
        },
    )
    assert sorted(found) == [
        "supportops:colour: unknown key",
        "supportops:dataClasses.callRecordings: minDays (800) is above maxDays (400)",
        "supportops:identityMode: Input should be 'SAML' or 'CONNECT_MANAGED' (got 'LDAP')",
        "supportops:resilience: rpoMinutes (60) is above rtoMinutes (30)",
    ]


def test_region_outside_allowed_regions_is_rejected(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "prod-foundation",
        {**BASE, "aws:region": "ap-south-1", "supportops:allowedRegions": ["eu-west-1"]},
    )
    assert found == ["supportops:<stack config>: region ap-south-1 is not in allowedRegions (eu-west-1)"]


def test_wrong_types_and_missing_keys_are_named(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "prod-foundation",
        {"supportops:environment": "prod", "supportops:resilience": {"rtoMinutes": "soon"}},
    )
    assert "supportops:phase: required key is missing" in found
    assert any(
        line.startswith("supportops:resilience.rtoMinutes: Input should be a valid integer") for line in found
    )


def test_credentials_are_only_accepted_as_pulumi_secrets(tmp_path: Path) -> None:
    found = problems(tmp_path, "prod-foundation", {**BASE, "supportops:crmApiToken": "abc123"})
    assert found == [
        "supportops:crmApiToken: holds a credential in plain text; set it with "
        "`pulumi config set --secret crmApiToken`"
    ]
    secret = {**BASE, "supportops:crmApiToken": {"secure": "v1:abcd"}}
    assert load_stack_config(write_stack(tmp_path, "prod-foundation", secret), "prod-foundation")


def test_stack_name_must_match_environment_and_phase(tmp_path: Path) -> None:
    assert problems(tmp_path, "prod-analytics", BASE) == [
        "supportops:phase: stack 'prod-analytics' should be named 'prod-foundation' (<environment>-<phase>)"
    ]


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.x.yaml").write_text("config:\n  a: [1, 2\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        load_stack_config(tmp_path, "x")
    (problem,) = caught.value.problems
    assert problem.location.startswith("line 3")
    assert "not valid YAML" in problem.problem
