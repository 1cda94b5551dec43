"""The labelled corpus of small Pulumi programs (tests/fixtures/programs/rules-*): each program's
expected.yaml names, per rule id, the resources that must FAIL (exactly), must not FAIL, and (when
given) are exactly the rule's NOT_APPLICABLE ones."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from supportops.findings import Finding, Status
from supportops.inventory.model import Inventory
from supportops.loading import load_model
from supportops.models import InputModel, StrictFlag
from supportops.policies.engine import evaluate
from supportops.policies.profiles import premise_of
from supportops.policies.stack_config import choose_config
from supportops.stacks.stack_plan import plan_stack

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "programs"


class RuleLabels(InputModel):
    fail: list[str] = []
    not_fail: list[str] = []
    not_applicable: list[str] | None = None


class Labels(InputModel):
    stack: str = "dev"
    preview: StrictFlag = False
    rules: dict[str, RuleLabels]


def programs() -> list[str]:
    return sorted(p.name for p in CORPUS.glob("rules-*") if (p / "expected.yaml").is_file())


def labels(program: str) -> Labels:
    return load_model(CORPUS / program / "expected.yaml", Labels)


@dataclass
class Outcome:
    inventory: Inventory
    findings: list[Finding]
    problems: list[str]

    def names(self, rule_id: str, status: Status) -> set[str]:
        return {self.name(f.subject) for f in self.findings if f.check_id == rule_id and f.status is status}

    def by_rule(self, status: Status) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for finding in self.findings:
            if finding.status is status:
                found[finding.check_id].add(self.name(finding.subject))
        return dict(found)

    def name(self, urn: str) -> str:
        resource = self.inventory.by_urn(urn)
        return resource.name if resource is not None else urn


def run(program: str, *, preview: bool | None = None) -> tuple[Labels, Outcome]:
    """Plan the program as `comply --project` does (its own config decides the profiles) and evaluate
    the whole catalog; ``preview`` overrides the label's."""
    expected = labels(program)
    as_preview = expected.preview if preview is None else preview
    inventory = plan_stack(CORPUS / program, expected.stack, preview=as_preview)
    choice = choose_config(inventory)
    evaluation = evaluate(inventory, choice.config, premise=premise_of(choice))
    return expected, Outcome(inventory, evaluation.findings, evaluation.problems)
