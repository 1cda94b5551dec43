"""Benchmark: precision and recall of FAIL verdicts on the labelled corpus of Pulumi programs.

    .venv/bin/python bench/bench_verdicts.py

Each program under tests/fixtures/programs/rules-*/ has an expected.yaml naming, per rule, the
resources that must FAIL; every other (rule, resource) FAIL is a false one. Printed per program and in
total: true FAILs, false FAILs, missed FAILs, precision and recall (targets: >= 90 % and >= 85 %),
and the same figures for the baseline in the same run: the whole catalog applied as if every program
carried the platform's config (what the toolkit did before rule profiles), so the ratio shows what
profiles and premises save a reviewer.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "policies" / "profiles"))  # the corpus reader the tests use
from rule_corpus import CORPUS, labels, programs  # noqa: E402

from supportops.findings import Status  # noqa: E402
from supportops.policies.engine import evaluate  # noqa: E402
from supportops.policies.profiles import premise_of  # noqa: E402
from supportops.policies.rule import PLATFORM_APPLIES  # noqa: E402
from supportops.policies.stack_config import choose_config  # noqa: E402
from supportops.stacks.stack_plan import plan_stack  # noqa: E402

Pair = tuple[str, str]  # (rule id, resource name)


def _score(expected: set[Pair], found: set[Pair]) -> tuple[int, int, int]:
    return len(found & expected), len(found - expected), len(expected - found)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0


def main() -> int:
    totals = {"profiles": [0, 0, 0], "baseline": [0, 0, 0]}
    started = time.perf_counter()
    print(f"{'program':34} {'TP':>4} {'FP':>4} {'FN':>4}   baseline FP")
    for program in programs():
        expected_labels = labels(program)
        inventory = plan_stack(CORPUS / program, expected_labels.stack, preview=expected_labels.preview)
        names = {r.urn: r.name for r in inventory}
        expected = {(rule, name) for rule, label in expected_labels.rules.items() for name in label.fail}
        choice = choose_config(inventory)
        scores = {}
        for mode, premise in (("profiles", premise_of(choice)), ("baseline", PLATFORM_APPLIES)):
            findings = evaluate(inventory, choice.config, premise=premise).findings
            found = {
                (f.check_id, names.get(f.subject, f.subject)) for f in findings if f.status is Status.FAIL
            }
            scores[mode] = _score(expected, found)
            for i, value in enumerate(scores[mode]):
                totals[mode][i] += value
        tp, fp, fn = scores["profiles"]
        print(f"{program:34} {tp:4} {fp:4} {fn:4}   {scores['baseline'][1]:4}")
    for mode, (tp, fp, fn) in totals.items():
        print(
            f"{mode:9}: {tp} true FAILs, {fp} false, {fn} missed -> precision {_ratio(tp, tp + fp):.1%}, "
            f"recall {_ratio(tp, tp + fn):.1%}"
        )
    tp, fp, _ = totals["profiles"]
    base_fp = totals["baseline"][1]
    elapsed = time.perf_counter() - started
    print(
        f"false FAILs with profiles / without: {fp} / {base_fp} "
        f"(ratio {_ratio(fp, base_fp):.2f}); {len(programs())} programs in {elapsed:.1f} s"
    )
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + totals["profiles"][2])
    return 0 if precision >= 0.90 and recall >= 0.85 else 1


if __name__ == "__main__":
    sys.exit(main())
