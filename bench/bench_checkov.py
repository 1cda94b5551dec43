"""checkov on Pulumi at scale: converting 2,000 resources to a Terraform plan, and the whole scan
(our conversion + checkov + results -> findings + waivers) against checkov alone on the same plan
file, in the same run.

    .venv/bin/python bench/bench_checkov.py [--resources 2000] [--repeat 2]

Target (issue 6): the overhead we add to checkov stays under 20 %.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "policies" / "checkov"))

from checkov_inventories import Builder, bucket, compliant_bucket, kms_key  # noqa: E402

from supportops.inventory.model import Inventory  # noqa: E402
from supportops.policies.checkov.findings import resource_findings  # noqa: E402
from supportops.policies.checkov.metadata import default_severities  # noqa: E402
from supportops.policies.checkov.plan import PlanConversion, to_terraform_plan  # noqa: E402
from supportops.policies.checkov.report import parse_report  # noqa: E402
from supportops.policies.checkov.runner import run_checkov  # noqa: E402
from supportops.policies.checkov.scan import (  # noqa: E402
    CheckovOutcome,
    apply_platform_waivers,
    platform_waivers,
    scan,
    write_plan,
)
from supportops.policies.frameworks.model import builtin_index  # noqa: E402

UNIT = 11  # resources per unit below


def synthetic_inventory(resources: int) -> Inventory:
    """Units of a key, a log bucket, a compliant bucket with its five settings resources, a queue,
    a log group and a table, linked as the platform links them."""
    b = Builder()
    for i in range((resources + UNIT - 1) // UNIT):
        key = kms_key(b, f"key-{i}", rotation=True)
        logs = bucket(b, f"logs-{i}")
        compliant_bucket(b, f"data-{i}", key, logs)
        b.add("aws:sqs/queue:Queue", f"queue-{i}", {"kmsMasterKeyId": key.outputs["arn"]}, depends_on=[key])
        b.add(
            "aws:cloudwatch/logGroup:LogGroup",
            f"logs-{i}",
            {"kmsKeyId": key.outputs["arn"], "retentionInDays": 365.0},
            depends_on=[key],
        )
        b.add(
            "aws:dynamodb/table:Table",
            f"table-{i}",
            {
                "hashKey": "pk",
                "attributes": [{"name": "pk", "type": "S"}],
                "pointInTimeRecovery": {"enabled": True},
                "serverSideEncryption": {"enabled": True, "kmsKeyArn": key.outputs["arn"]},
            },
            depends_on=[key],
        )
    inventory = b.inventory()
    inventory.resources[:] = inventory.resources[: resources + 1]  # + the provider
    return Inventory(inventory.project, inventory.stack, inventory.source, inventory.resources)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    inventory = synthetic_inventory(args.resources)
    conversions = [timed(lambda: to_terraform_plan(inventory)) for _ in range(5)]
    conversion = to_terraform_plan(inventory)
    print(
        f"resources: {args.resources} (plan: {conversion.resource_count}, "
        f"references: {conversion.references})"
    )
    print(
        f"conversion: median {statistics.median(conversions) * 1000:.0f} ms, "
        f"{statistics.median(conversions) / args.resources * 1e6:.0f} us/resource"
    )

    alone: list[float] = []
    whole: list[float] = []
    ours: list[float] = []
    findings = 0
    with tempfile.TemporaryDirectory() as work:
        plan_file = Path(work) / "plan.json"
        command = ["--framework", "terraform_plan", "-f", str(plan_file)]
        for _ in range(args.repeat):  # interleaved, so machine load hits both alike
            # checkov alone: the same command on the same plan file, its JSON report read.
            write_plan(conversion, plan_file)
            stdout = ""

            def checkov_alone() -> None:
                nonlocal stdout
                stdout = run_checkov(command).stdout
                parse_report(stdout)

            alone.append(timed(checkov_alone))
            # What we add, measured on its own: convert + write the plan, then turn checkov's
            # report (the one just produced) into findings and apply the platform waivers.
            ours.append(
                timed(lambda: write_plan(to_terraform_plan(inventory), plan_file))
                + timed(lambda report=stdout: fold(report, conversion, inventory))
            )
            # And the whole scan end to end.
            start = time.perf_counter()
            outcome = scan(inventory)
            whole.append(time.perf_counter() - start)
            findings = len(outcome.findings)
            assert not outcome.problems, outcome.problems
    best_alone, best_whole, best_ours = min(alone), min(whole), min(ours)
    print(
        f"checkov alone on the plan file (run + report read): best {best_alone:.2f} s of "
        f"{[round(t, 2) for t in alone]}"
    )
    print(
        f"whole scan (convert + checkov + findings + waivers): best {best_whole:.2f} s of "
        f"{[round(t, 2) for t in whole]}, {findings} findings"
    )
    print(f"our part alone (convert + write + findings + waivers): best {best_ours:.2f} s")
    print(
        f"overhead we add: {best_ours / best_alone * 100:.1f} % of checkov alone (target < 20 %); "
        f"whole vs alone, noisier: {(best_whole - best_alone) / best_alone * 100:+.1f} %"
    )


def fold(stdout: str, conversion: PlanConversion, inventory: Inventory) -> None:
    report = parse_report(stdout)
    outcome = CheckovOutcome()
    outcome.findings, _ = resource_findings(
        report.checks(),
        addresses=conversion.addresses,
        inventory=inventory,
        severities=default_severities(),
        requirements=builtin_index(),
    )
    apply_platform_waivers(outcome, platform_waivers(), inventory)


if __name__ == "__main__":
    main()
