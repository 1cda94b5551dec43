"""Waivers: validated file, selectors, expiry and the waiver register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from policy_fakes import BUCKET_TYPE, tagged_rule, urn

from supportops.errors import BadInput
from supportops.findings import Finding, Status
from supportops.inventory.model import Inventory
from supportops.policies.engine import evaluate
from supportops.policies.stack_config import DEFAULT_CONFIG
from supportops.policies.waivers import apply_waivers, load_waivers

TODAY = dt.date(2026, 6, 1)


def _file(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _waiver(selector: str, expires: str = "2026-12-31", rule: str = "bucket_tagged", wid: str = "W-1") -> str:
    return (f"  - id: {wid}\n    rule: {rule}\n    selector: {selector}\n    owner: alice@example.com\n"
            f"    justification: Accepted until the migration lands.\n    expires: {expires}\n")


def _findings(shop: Inventory) -> list[Finding]:
    return evaluate(shop, DEFAULT_CONFIG, [tagged_rule()]).findings


def _waived(findings: list[Finding]) -> set[str]:
    return {f.subject.rsplit("::", 1)[-1] for f in findings if f.waived}


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("{name: logs}", {"logs"}),
        ("{name: '*'}", {"logs", "public"}),  # only FAILs are waived; 'media' passes
        (f"{{urn: '{urn(BUCKET_TYPE, 'pub*')}'}}", {"public"}),
        (f"{{type: '{BUCKET_TYPE}'}}", {"logs", "public"}),
        ("{type: 'aws:sqs/queue:Queue'}", set()),
        ("{tags: {tier: audit}}", {"logs"}),
        ("{tags: {tier: audit}, name: public}", set()),  # every selector key must match
        # a selector on a tag matches only resources carrying it: 'public' has no tier tag
        ("{tags: {tier: 'None'}}", set()),
        ("{tags: {tier: ''}}", set()),
    ],
)
def test_selectors(tmp_path: Path, shop: Inventory, selector: str, expected: set[str]) -> None:
    waivers = load_waivers(_file(tmp_path, "waivers:\n" + _waiver(selector)))
    findings = _findings(shop)
    apply_waivers(findings, waivers, shop, TODAY)
    assert _waived(findings) == expected


def test_a_waived_finding_keeps_its_status_and_carries_the_owner(tmp_path: Path, shop: Inventory) -> None:
    waivers = load_waivers(_file(tmp_path, "waivers:\n" + _waiver("{name: logs}")))
    findings = _findings(shop)
    outcome = apply_waivers(findings, waivers, shop, TODAY)
    waived = next(f for f in findings if f.waived)
    assert waived.status is Status.FAIL and not waived.failing
    assert waived.waiver is not None
    assert (waived.waiver.owner, waived.waiver.expires, waived.waiver.waiver_id) == (
        "alice@example.com", "2026-12-31", "W-1")
    [record] = outcome.records
    assert (record.state, record.matched, record.owner) == ("active", 1, "alice@example.com")
    assert outcome.problems == []


def test_an_expired_waiver_no_longer_waives_and_is_reported(tmp_path: Path, shop: Inventory) -> None:
    waivers = load_waivers(_file(tmp_path, "waivers:\n" + _waiver("{name: logs}", expires="2026-05-31")))
    findings = _findings(shop)
    outcome = apply_waivers(findings, waivers, shop, TODAY)
    assert _waived(findings) == set()
    assert [(r.state, r.matched) for r in outcome.records] == [("expired", 1)]
    assert len(outcome.problems) == 1 and "expired on 2026-05-31" in outcome.problems[0]


def test_a_waiver_is_valid_through_its_expiry_date(tmp_path: Path, shop: Inventory) -> None:
    waivers = load_waivers(_file(tmp_path, "waivers:\n" + _waiver("{name: logs}", expires="2026-06-01")))
    findings = _findings(shop)
    apply_waivers(findings, waivers, shop, TODAY)
    assert _waived(findings) == {"logs"}


def test_a_waiver_matching_nothing_is_reported_unmatched(tmp_path: Path, shop: Inventory) -> None:
    waivers = load_waivers(_file(tmp_path, "waivers:\n" + _waiver("{name: media}")))
    outcome = apply_waivers(_findings(shop), waivers, shop, TODAY)
    assert [(r.state, r.matched) for r in outcome.records] == [("unmatched", 0)]
    assert "matches no failing finding" in outcome.problems[0]


def test_checkov_ids_are_accepted(tmp_path: Path) -> None:
    [waiver] = load_waivers(_file(tmp_path, "waivers:\n" + _waiver("{name: logs}", rule="CKV_AWS_18")),
                            known_rules=["bucket_tagged"])
    assert waiver.rule == "CKV_AWS_18"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("waivers:\n" + _waiver("{}"), "waivers[0].selector: a selector needs at least one of"),
        ("waivers:\n" + _waiver("{name: x}", expires="someday"), "waivers[0].expires: expected a date"),
        ("waivers:\n" + _waiver("{name: x}", rule="Bucket Tagged"), "waivers[0].rule: not a rule id"),
        ("waivers:\n" + _waiver("{name: x}") + _waiver("{name: y}"), "duplicate waiver ids: W-1"),
        ("waivers:\n" + _waiver("{name: x, colour: red}"), "waivers[0].selector.colour: unknown key"),
        ("waivers:\n  - id: W-1\n    rule: bucket_tagged\n", "waivers[0].selector: required key is missing"),
        ("waivers: [\n", "not valid YAML"),
        # an integer is not a date (it would read as seconds since 1970)
        ("waivers:\n" + _waiver("{name: x}", expires="0"),
         "line 7, column 5: waivers[0].expires: expected a date as YYYY-MM-DD (got 0)"),
        ("waivers:\n" + _waiver("{name: x}", expires="2026-02-30"), "line 7, column 14: not valid YAML"),
        ("waivers:\n" + _waiver("{tags: {tier: 1}}"), "waivers[0].selector.tags.tier: Input should be"),
        ("waivers:\n" + _waiver("{name: x}").replace("    owner:", "    rule: other\n    owner:"),
         "line 5, column 5: duplicate key 'rule'"),
        ("waivers: &a [*a]\n", "an alias refers to a value that contains it"),
        ("- just a list\n", "expected a mapping"),
    ],
)
def test_bad_waiver_files(tmp_path: Path, body: str, expected: str) -> None:
    with pytest.raises(BadInput) as caught:
        load_waivers(_file(tmp_path, body))
    assert expected in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "waivers.yaml"))


def test_unknown_rule_ids_are_rejected(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"waivers\[0\].rule: unknown rule id 'no_such_rule'"):
        load_waivers(_file(tmp_path, "waivers:\n" + _waiver("{name: x}", rule="no_such_rule")),
                     known_rules=["bucket_tagged"])
