"""Benchmark of the live collectors: API calls per resource and wall time on a local moto account.

    .venv/bin/python bench/bench_live.py [--resources 5000]

Section 1 (collection, issue 14 / A1): creates ``--resources`` live resources across three regions in
a local moto server (log groups and metric alarms per region, IAM roles once), then reads the account
with every collector of a service moto holds and prints API calls per resource by service. Log
groups, alarms and roles come from list calls that return everything a rule reads (tags from the
Resource Groups Tagging API in pages), so calls grow with pages, not with resources.

Section 2 (Prowler / Cloud Custodian side by side, A2): seeds the same resources into a fresh moto
server and runs `supportops comply --live` and Prowler (``--prowler PATH``, from its own venv:
``python -m venv /tmp/prowler-venv && /tmp/prowler-venv/bin/pip install prowler``) for the same
services, each as its own process; prints both wall times, the ratio and how many of the platform's
controls on those resources each covers. Cloud Custodian (``--custodian PATH``, ``pip install c7n``)
stands in when Prowler cannot run; a tool not installed is "skipped: <why>".
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import boto3  # noqa: E402

from supportops.inventory.live import LiveTarget, collect_live, registry  # noqa: E402
from supportops.inventory.live.reader import Scope  # noqa: E402
from supportops.runbooks.local_aws import (  # noqa: E402
    MOTO_LACKS_SERVICES,
    local_aws_credentials,
    local_aws_endpoint,
)

REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
MOTO_LACKS = sorted(MOTO_LACKS_SERVICES)
TAGS = {"owner": "support-platform-team", "environment": "bench", "data-classification": "internal"}


def seed(url: str, total: int) -> dict[str, int]:
    """Create ``total`` resources: 4 % IAM roles (global), the rest split between log groups and
    alarms in each region."""
    session = boto3.Session(region_name=REGIONS[0])
    roles = max(1, total // 25)
    per_region = (total - roles) // len(REGIONS)
    iam = session.client("iam", endpoint_url=url)
    trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}'  # noqa: E501
    for i in range(roles):
        iam.create_role(
            RoleName=f"bench-role-{i}",
            AssumeRolePolicyDocument=trust,
            Tags=[{"Key": k, "Value": v} for k, v in TAGS.items()],
        )
    counts = Counter({"iam roles": roles})
    for region in REGIONS:
        logs = session.client("logs", region_name=region, endpoint_url=url)
        cloudwatch = session.client("cloudwatch", region_name=region, endpoint_url=url)
        groups = per_region // 2
        for i in range(groups):
            logs.create_log_group(logGroupName=f"bench-{region}-{i}", tags=TAGS)
        for i in range(per_region - groups):
            cloudwatch.put_metric_alarm(
                AlarmName=f"bench-{region}-{i}",
                MetricName="Errors",
                Namespace="Bench",
                Statistic="Sum",
                Period=60,
                EvaluationPeriods=1,
                Threshold=1.0,
                ComparisonOperator="GreaterThanThreshold",
                Tags=[{"Key": k, "Value": v} for k, v in TAGS.items()],
            )
        counts[f"log groups ({region})"] = groups
        counts[f"alarms ({region})"] = per_region - groups
    return dict(counts)


def collection(total: int) -> None:
    print("== 1. live collection ==")
    with local_aws_credentials(), local_aws_endpoint() as url:
        started = time.perf_counter()
        counts = seed(url, total)
        print(f"seeded {sum(counts.values())} resources in {time.perf_counter() - started:.1f} s: {counts}")
        scopes: list[Scope] = []
        target = LiveTarget(boto3.Session(region_name=REGIONS[0]), None, REGIONS, url)
        # Every collector of a service moto holds (the others answer 500 there: tested with Stubber).
        services = [name for name in registry.services() if name not in MOTO_LACKS]
        print(f"collectors: {len(services)} services; not in moto, not benchmarked: {', '.join(MOTO_LACKS)}")
        started = time.perf_counter()
        collected = collect_live([target], services=services, scopes=scopes)
        seconds = time.perf_counter() - started
    resources = len(collected.inventory)
    calls: Counter[str] = Counter()
    for scope in scopes:
        for (service, operation), n in scope.calls.items():
            calls[f"{service}:{operation}"] += n
    total_calls = sum(calls.values())
    print(f"collected {resources} resources in {seconds:.2f} s ({resources / seconds:.0f} resources/s)")
    print(
        f"API calls: {total_calls} = {total_calls / max(resources, 1):.3f} per resource; faults: "
        f"{len(collected.faults)}"
    )
    for name, n in sorted(calls.items(), key=lambda item: -item[1]):
        print(f"  {n:6d}  {name}")


# == 2. Prowler / Cloud Custodian side by side (A2) ===============================================
#
# Same moto account (seeded by seed() above), same services, both run as a fresh process from the
# command line (each pays its own start-up, as a user or a CI job does). The reference tool comes from
# its own virtual environment; nothing is installed by the bench:
#
#     python -m venv /tmp/prowler-venv && /tmp/prowler-venv/bin/pip install prowler
#     .venv/bin/python bench/bench_live.py --prowler /tmp/prowler-venv/bin/prowler
#
# (or --custodian /tmp/c7n-venv/bin/custodian after `pip install c7n`). Without either the column says
# "skipped: <why>" and the bench still passes.

# Our services (boto3 names) and Prowler's for the seeded resources (log groups, alarms, IAM roles).
OUR_SERVICES = ("logs", "cloudwatch", "iam")
PROWLER_SERVICES = ("cloudwatch", "iam")
# The platform's controls on these resource types (our catalog rules), and the Prowler check that
# states the same control, if any: the coverage column counts these.
PLATFORM_CONTROLS: dict[str, str | None] = {
    "log_group_cmk_encryption": "cloudwatch_log_group_kms_encryption_enabled",
    "log_group_retention_minimum": "cloudwatch_log_group_retention_policy_specific_days_enabled",
    "log_group_retention_maximum": None,  # GDPR storage limitation: an upper bound Prowler never checks
    "cloudwatch_alarm_actions_enabled": "cloudwatch_alarm_actions_enabled",
    "iam_role_trust_no_wildcard_principal": "iam_role_cross_service_confused_deputy_prevention",
    "iam_policy_no_full_admin": "iam_inline_policy_no_administrative_privileges",
    "iam_no_admin_managed_policy_attachment": "iam_role_administratoraccess_policy",
    "required_tags": None,  # the platform's own tag set (owner, cost-center, classification ...)
    "data_store_classified": None,
    "resource_region_allowed": None,  # data residency allow-list from the stack config
}
CONFIG = REPO / "Pulumi.demo-foundation.yaml"


class Column:
    def __init__(
        self,
        name: str,
        seconds: float | None = None,
        findings: int = 0,
        checks: set[str] | None = None,
        skipped: str = "",
    ) -> None:
        self.name, self.seconds, self.findings = name, seconds, findings
        self.checks, self.skipped = checks or set(), skipped


def _clean_env(url: str, home: Path) -> dict[str, str]:
    """Only what an AWS CLI tool needs: dummy credentials and the local endpoint (no user profile)."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGIONS[0],
        "AWS_ENDPOINT_URL": url,
        "AWS_CONFIG_FILE": str(home / "none"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "none"),
    }


def _ours(url: str, scratch: Path) -> Column:
    import json
    import subprocess

    out = scratch / "comply-live.json"
    regions = [arg for region in REGIONS for arg in ("--region", region)]
    command = [
        sys.executable,
        "-m",
        "supportops.cli.main",
        "comply",
        "--live",
        "--endpoint-url",
        url,
        *regions,
        "--service",
        ",".join(OUR_SERVICES),
        "--config",
        str(CONFIG),
        "--no-checkov",
        "-f",
        "json",
        "-o",
        str(out),
    ]
    env = {**_clean_env(url, scratch), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    started = time.perf_counter()
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800, check=False)
    seconds = time.perf_counter() - started
    if run.returncode not in (0, 1, 3) or not out.is_file():
        why = f"failed (exit {run.returncode}): {run.stderr[-300:]}"
        return Column("supportops comply --live", skipped=why)
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    checks = {f["checkId"] for f in findings if f["status"] in ("PASS", "FAIL")}
    return Column("supportops comply --live", seconds, len(findings), checks)


def _prowler(executable: str | None, url: str, scratch: Path) -> Column:
    import json
    import shutil
    import subprocess

    name = "Prowler"
    found = executable or shutil.which("prowler")
    if not found or not Path(found).exists():
        return Column(name, skipped="prowler is not installed (see the install command of section 2)")
    out_dir = scratch / "prowler"
    command = [
        found,
        "aws",
        "--service",
        *PROWLER_SERVICES,
        "--region",
        *REGIONS,
        "--no-banner",
        "-M",
        "json-ocsf",
        "--output-directory",
        str(out_dir),
        "--output-filename",
        "bench",
        "--ignore-exit-code-3",
    ]
    started = time.perf_counter()
    run = subprocess.run(
        command, env=_clean_env(url, scratch), capture_output=True, text=True, timeout=3600, check=False
    )
    seconds = time.perf_counter() - started
    report = out_dir / "bench.ocsf.json"
    if run.returncode != 0 or not report.is_file():
        return Column(
            name,
            skipped=f"prowler failed against the local endpoint (exit {run.returncode}): "
            f"{(run.stderr or run.stdout)[-400:]}",
        )
    findings = json.loads(report.read_text(encoding="utf-8"))
    checks = {f["metadata"]["event_code"] for f in findings}
    return Column(f"{name} {_version(found)}", seconds, len(findings), checks)


# The platform controls Cloud Custodian can state on these resources, as c7n policies (rule id = name).
C7N_POLICIES: dict[str, dict[str, object]] = {
    "log_group_cmk_encryption": {"resource": "aws.log-group", "filters": [{"kmsKeyId": "absent"}]},
    "log_group_retention_minimum": {"resource": "aws.log-group", "filters": [{"retentionInDays": "absent"}]},
    "cloudwatch_alarm_actions_enabled": {"resource": "aws.alarm", "filters": [{"ActionsEnabled": False}]},
    "iam_role_trust_no_wildcard_principal": {
        "resource": "aws.iam-role",
        "filters": [{"type": "cross-account"}],
    },
}


def _custodian(executable: str | None, url: str, scratch: Path) -> Column:
    """Cloud Custodian with one policy per platform control it can state on these resources."""
    import json
    import shutil
    import subprocess

    found = executable or shutil.which("custodian")
    if not found or not Path(found).exists():
        return Column("Cloud Custodian", skipped="custodian is not installed (pip install c7n)")
    policies = scratch / "c7n.json"
    policies.write_text(
        json.dumps({"policies": [{"name": n, **p} for n, p in C7N_POLICIES.items()]}), encoding="utf-8"
    )
    out_dir = scratch / "c7n-out"
    command = [found, "run", "-s", str(out_dir), *(f"--region={r}" for r in REGIONS), str(policies)]
    started = time.perf_counter()
    run = subprocess.run(
        command, env=_clean_env(url, scratch), capture_output=True, text=True, timeout=3600, check=False
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        why = (run.stderr or run.stdout)[-400:]
        return Column("Cloud Custodian", skipped=f"custodian failed (exit {run.returncode}): {why}")
    matched = sum(len(json.loads(f.read_text(encoding="utf-8"))) for f in out_dir.rglob("resources.json"))
    return Column("Cloud Custodian", seconds, matched, set(C7N_POLICIES))


def _version(executable: str) -> str:
    import subprocess

    run = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=120, check=False)
    return run.stdout.strip().split()[-1] if run.stdout.strip() else ""


def _covered(column: Column, ours: bool) -> int:
    """How many of the platform's controls on these resources the column evaluated."""
    if ours or column.name.startswith("Cloud Custodian"):  # checks named by our rule ids
        return sum(1 for rule in PLATFORM_CONTROLS if rule in column.checks)
    return sum(1 for check in PLATFORM_CONTROLS.values() if check and check in column.checks)


def _has(column: Column, ours: bool) -> int:
    """How many of the platform's controls the tool has a check for at all."""
    if ours:
        from supportops.policies.catalog import all_rules

        return len(set(PLATFORM_CONTROLS) & {rule.META.id for rule in all_rules()})
    if column.name.startswith("Cloud Custodian"):
        return len(C7N_POLICIES)
    return sum(1 for check in PLATFORM_CONTROLS.values() if check)


def comparison(total: int, prowler: str | None, custodian: str | None) -> None:
    import tempfile
    import urllib.request

    print("== 2. side by side on the same moto account ==")
    # Prowler calls APIs moto lacks: the in-process server would print a traceback for each.
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    with (
        tempfile.TemporaryDirectory(prefix="bench-live-") as scratch_dir,
        local_aws_credentials(),
        local_aws_endpoint() as url,
    ):
        scratch = Path(scratch_dir)
        # moto keeps one state per process: start from an empty account (section 1 seeded one too).
        request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=30).close()
        started = time.perf_counter()
        counts = seed(url, total)
        print(f"seeded {sum(counts.values())} resources in {time.perf_counter() - started:.1f} s")
        ours = _ours(url, scratch)
        reference = _prowler(prowler, url, scratch)
        if reference.skipped:
            print(f"Prowler: skipped: {reference.skipped}")
            reference = _custodian(custodian, url, scratch)
    controls = len(PLATFORM_CONTROLS)
    for column, is_ours in ((ours, True), (reference, False)):
        if column.skipped:
            print(f"  {column.name:34s} skipped: {column.skipped}")
            continue
        print(
            f"  {column.name:34s} {column.seconds:8.1f} s  {column.findings:6d} findings  "
            f"platform controls: {_has(column, is_ours)}/{controls} checked by the tool, "
            f"{_covered(column, is_ours)}/{controls} evaluated on these resources"
        )
    if ours.seconds and reference.seconds and not (ours.skipped or reference.skipped):
        ratio = reference.seconds / ours.seconds
        verdict = "met" if ratio >= 10 and _covered(ours, True) >= _covered(reference, False) else "NOT met"
        print(f"  ratio: {ratio:.1f}x faster (goal >= 10x at equal or better coverage: {verdict})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--prowler", help="Prowler executable (its own venv); default: prowler on PATH")
    parser.add_argument("--custodian", help="Cloud Custodian executable; used when Prowler cannot run")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    collection(args.resources)
    comparison(args.resources, args.prowler, args.custodian)  # section 2 (A2)


if __name__ == "__main__":
    main()
