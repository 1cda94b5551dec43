"""Typed stack config: defaults, and one clear line per problem for invalid files (exit 2)."""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
import yaml

from supportops.errors import BadInput
from supportops.stacks.config import DataClassName, Phase, load_stack_config


def write_stack(tmp_path: Path, stack: str, config: Mapping[str, object]) -> Path:
    (tmp_path / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}), encoding="utf-8")
    return tmp_path


def located_problems(tmp_path: Path, stack: str, config: Mapping[str, object]) -> list[str]:
    with pytest.raises(BadInput) as caught:
        load_stack_config(write_stack(tmp_path, stack, config), stack)
    return [f"{p.location}: {p.problem}" for p in caught.value.problems]


def problems(tmp_path: Path, stack: str, config: Mapping[str, object]) -> list[str]:
    """The problems without their line and column (the key names them well enough here)."""
    found = located_problems(tmp_path, stack, config)
    return [re.sub(r"^line \d+, column \d+: ", "", line) for line in found]


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
    secret = {**BASE, "supportops:crmApiToken": {"secure": "v1:bm9uY2U=:YWJjZA=="}}
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


def _load_text(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "Pulumi.prod-foundation.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        load_stack_config(tmp_path, "prod-foundation")
    return [str(p) for p in caught.value.problems]


HEADER = "config:\n  supportops:environment: prod\n  supportops:phase: foundation\n"


def test_problems_name_the_key_with_its_line_and_column(tmp_path: Path) -> None:
    found = _load_text(tmp_path, HEADER + "  supportops:resilience:\n    rtoMinutes: soon\n")
    (line,) = found
    assert line.endswith(
        "Pulumi.prod-foundation.yaml: line 5, column 5: supportops:resilience.rtoMinutes: "
        "Input should be a valid integer (got 'soon')"
    )


def test_duplicate_keys_are_refused_not_last_wins(tmp_path: Path) -> None:
    (found,) = _load_text(tmp_path, HEADER + "  supportops:phase: analytics\n")
    assert found.endswith("Pulumi.prod-foundation.yaml: line 4, column 3: duplicate key 'supportops:phase'")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    "secure",
    ["hunter2 is the token", "v1:not base64!", "{a: 1}", "12345", "true", "[]", "null"],
)
def test_secure_must_hold_pulumi_ciphertext(tmp_path: Path, secure: str) -> None:
    (found,) = _load_text(tmp_path, HEADER + f"  supportops:crmApiToken:\n    secure: {secure}\n")
    assert "line 4, column 3: supportops:crmApiToken: secure: is not a value Pulumi encrypted" in found
    assert secure not in found.replace("supportops:crmApiToken", "")


@pytest.mark.parametrize(
    "secure",
    # The two shapes Pulumi writes, built at run time (a literal would trip the repository secrets scan).
    [f"v1:{_b64(b'nonce-12byte')}:{_b64(bytes(range(48)))}", _b64(b"\x00\x00\x01\x00" + bytes(range(40)))],
)
def test_what_pulumi_writes_for_a_secret_is_accepted(tmp_path: Path, secure: str) -> None:
    (tmp_path / "Pulumi.prod-foundation.yaml").write_text(
        HEADER + f"  supportops:crmApiToken:\n    secure: {secure}\n", encoding="utf-8"
    )
    assert load_stack_config(tmp_path, "prod-foundation").phase is Phase.FOUNDATION


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("dataClasses: {auditLogs: {minDays: '365', maxDays: 2555}}",
         "supportops:dataClasses.auditLogs.minDays: Input should be a valid integer (got '365')"),
        ("dataClasses: {auditLogs: {minDays: 365, maxDays: 2555, containsPersonalData: 'no'}}",
         "supportops:dataClasses.auditLogs.containsPersonalData: Input should be a valid boolean (got 'no')"),
        ("resilience: {rtoMinutes: 240, rpoMinutes: .nan}", "supportops:resilience.rpoMinutes"),
        ("crm: {credentialRotationDays: 90.0}", "supportops:crm.credentialRotationDays"),
    ],
)
def test_values_that_decide_verdicts_are_not_coerced(tmp_path: Path, setting: str, expected: str) -> None:
    (found,) = _load_text(tmp_path, HEADER + f"  supportops:{setting}\n")
    assert expected in found


def test_invalid_utf8_is_one_located_line(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.prod-foundation.yaml").write_bytes(HEADER.encode() + b"  supportops:owner: \xff\n")
    with pytest.raises(BadInput) as caught:
        load_stack_config(tmp_path, "prod-foundation")
    assert str(caught.value).endswith("Pulumi.prod-foundation.yaml: line 4, column 21: not valid UTF-8 text")


# The offline planner reads the same stack file (supportops.inventory.offline_plan.project).


def _settings(tmp_path: Path, stack_text: str) -> list[str]:
    from supportops.inventory.offline_plan.project import read_project, read_stack_settings

    (tmp_path / "Pulumi.yaml").write_text("name: shop\nruntime: python\n", encoding="utf-8")
    (tmp_path / "Pulumi.dev.yaml").write_text(stack_text, encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        read_stack_settings(tmp_path, read_project(tmp_path), "dev")
    return [str(p) for p in caught.value.problems]


def test_planner_refuses_a_secure_value_pulumi_did_not_write(tmp_path: Path) -> None:
    (found,) = _settings(tmp_path, "config:\n  shop:token:\n    secure: {plain: hunter2}\n")
    assert found.endswith("line 3, column 5: config.shop:token.secure: not a value Pulumi encrypted "
                          "(value hidden); set it with `pulumi config set --secret`")
    assert "hunter2" not in found


def test_planner_refuses_duplicate_keys(tmp_path: Path) -> None:
    (found,) = _settings(tmp_path, "config:\n  aws:region: eu-west-1\n  aws:region: us-east-1\n")
    assert found.endswith("Pulumi.dev.yaml: line 3, column 3: duplicate key 'aws:region'")


def test_planner_reads_secrets_as_placeholders(tmp_path: Path) -> None:
    from supportops.inventory.offline_plan.project import read_project, read_stack_settings

    (tmp_path / "Pulumi.yaml").write_text("name: shop\nruntime: python\n", encoding="utf-8")
    (tmp_path / "Pulumi.dev.yaml").write_text(
        "config:\n  shop:token:\n    secure: v1:AAAAAAAAAAAAAAAA:cmVkYWN0ZWQ=\n  shop:size: 3\n",
        encoding="utf-8",
    )
    settings = read_stack_settings(tmp_path, read_project(tmp_path), "dev")
    assert (settings.secret_keys, settings.plain) == (["shop:token"], {"shop:size": 3})


def test_planner_names_a_bad_project_file(tmp_path: Path) -> None:
    from supportops.inventory.offline_plan.project import read_project

    (tmp_path / "Pulumi.yaml").write_text("name: [shop]\nruntime: python\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        read_project(tmp_path)
    assert str(caught.value).endswith("Pulumi.yaml: line 1, column 1: name: Input should be a valid string")
