"""Every corpus program, planned and evaluated with the whole catalog: the FAILs are exactly the
labelled ones (per rule), labelled must-not-FAIL resources are judged and pass or are N/A, labelled
N/A sets are exact, and nothing is ERROR."""

from __future__ import annotations

import pytest
from rule_corpus import Outcome, labels, programs, run

from supportops.findings import Status
from supportops.policies.catalog import all_rules

PROGRAMS = programs()
RULE_IDS = {rule.META.id for rule in all_rules()}


def test_the_corpus_has_at_least_fifteen_programs() -> None:
    assert len(PROGRAMS) >= 15


@pytest.mark.parametrize("program", PROGRAMS)
def test_labels_name_catalog_rules(program: str) -> None:
    assert set(labels(program).rules) <= RULE_IDS


@pytest.mark.parametrize("program", PROGRAMS)
def test_exact_verdicts(program: str) -> None:
    expected, outcome = run(program)
    assert outcome.problems == []
    assert outcome.by_rule(Status.ERROR) == {}
    wanted = {rule_id: set(label.fail) for rule_id, label in expected.rules.items() if label.fail}
    assert outcome.by_rule(Status.FAIL) == wanted
    for rule_id, label in expected.rules.items():
        judged = outcome.names(rule_id, Status.PASS) | outcome.names(rule_id, Status.NOT_APPLICABLE)
        assert set(label.not_fail) <= judged, rule_id
        if label.not_applicable is not None:
            assert outcome.names(rule_id, Status.NOT_APPLICABLE) == set(label.not_applicable), rule_id


def fail_messages(outcome: Outcome) -> list[str]:
    return [f.message for f in outcome.findings if f.status is Status.FAIL]


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_preview_invents_no_failure(program: str) -> None:
    """Planned as a preview (computed values unknown until apply), a program FAILs nothing the plan
    does not, and nothing is ERROR."""
    expected, planned = run(program)
    if expected.preview:
        return  # already planned as a preview
    _labels, previewed = run(program, preview=True)
    assert previewed.by_rule(Status.ERROR) == {}
    for rule_id, names in previewed.by_rule(Status.FAIL).items():
        assert names <= planned.names(rule_id, Status.FAIL), rule_id
