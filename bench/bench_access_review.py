"""Access review at scale: an account with 5,000 IAM users and 2,000 roles on a local moto endpoint
(started and stopped here). The review runs as the real CLI in a child process; this prints the API calls
it made (counted through botocore's before-call event), its wall time and its peak memory (RSS of the
child), at full size and at a fifth of it, to show cost grows with pages, not principals, and memory
grows only with the compact per-principal records.

    .venv/bin/python bench/bench_access_review.py [--users 5000] [--roles 2000] [--seed-via-api]

Seeding goes straight into moto's in-process backend (fast) unless --seed-via-api, which creates every
principal through the IAM API. The child's progress bar shows when stderr is a terminal.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
ACCOUNT = "123456789012"
ADMIN = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def seed_backend(users: int, roles: int) -> None:
    from moto.iam.models import iam_backends

    backend = iam_backends[ACCOUNT]["global"]
    policy = backend.create_policy("", "/", ADMIN, "BenchAdmin", [])
    for i in range(users):
        tags = [{"Key": "owner", "Value": f"team-{i % 17}"}] if i % 10 else []
        backend.create_user("us-east-1", f"user-{i:05d}", tags=tags)
        if i % 3 == 0:
            backend.create_access_key(f"user-{i:05d}")
        if i % 5 == 0:
            backend.create_login_profile(f"user-{i:05d}", "Bench-Passw0rd!")
    for i in range(roles):
        backend.create_role(f"role-{i:05d}", TRUST, "/", None, "", [], None)
        if i % 50 == 0:
            backend.attach_role_policy(policy.arn, f"role-{i:05d}")


def seed_api(url: str, users: int, roles: int) -> None:
    from supportops.runbooks.access_review.demo import fake_session

    iam = fake_session().client("iam", endpoint_url=url)
    arn = iam.create_policy(PolicyName="BenchAdmin", PolicyDocument=ADMIN)["Policy"]["Arn"]
    for i in range(users):
        tags = [{"Key": "owner", "Value": f"team-{i % 17}"}] if i % 10 else []
        iam.create_user(UserName=f"user-{i:05d}", Tags=tags)
        if i % 3 == 0:
            iam.create_access_key(UserName=f"user-{i:05d}")
        if i % 5 == 0:
            iam.create_login_profile(UserName=f"user-{i:05d}", Password="Bench-Passw0rd!")
    for i in range(roles):
        iam.create_role(RoleName=f"role-{i:05d}", AssumeRolePolicyDocument=TRUST)
        if i % 50 == 0:
            iam.attach_role_policy(RoleName=f"role-{i:05d}", PolicyArn=arn)


def run_review(url: str, work: Path) -> dict[str, Any]:
    runbook = work / "bench.yaml"
    runbook.write_text(
        yaml.safe_dump(
            {
                "version": 1,
                "name": "bench",
                "scope": {"accounts": [{"id": ACCOUNT}]},
                "credential_report": {"max_attempts": 5, "delay_seconds": 1},
            }
        ),
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    out = work / "out"
    command = [
        sys.executable,
        "-m",
        "supportops.cli.main",
        "access-review",
        "run",
        "--runbook",
        str(runbook),
        "--endpoint-url",
        url,
        "--out",
        str(out),
        "--format",
        "json",
    ]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, env=env, cwd=REPO)  # stderr: the progress bar
    assert child.stdout is not None
    stdout = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if child.returncode not in (0, 1):
        raise SystemExit(f"review failed with exit {child.returncode}")
    summary = json.loads(stdout)
    return {
        "wall": wall,
        "rss_mb": usage.ru_maxrss / 1024,
        "summary": summary,
        "campaign_mb": (out / "campaign.csv").stat().st_size / 1e6,
    }


def measure(users: int, roles: int, via_api: bool) -> dict[str, Any]:
    from supportops.runbooks.local_aws import local_aws_endpoint

    with local_aws_endpoint() as url, tempfile.TemporaryDirectory() as tmp:
        urllib.request.urlopen(
            urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10
        ).close()
        start = time.perf_counter()
        if via_api:
            seed_api(url, users, roles)
        else:
            seed_backend(users, roles)
        seeded = time.perf_counter() - start
        result = run_review(url, Path(tmp))
        result["seed_s"] = seeded
        return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--roles", type=int, default=2000)
    parser.add_argument("--seed-via-api", action="store_true")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    rows = []
    for users, roles in ((args.users // 5, args.roles // 5), (args.users, args.roles)):
        result = measure(users, roles, args.seed_via_api)
        summary = result["summary"]
        rows.append((users, roles, result))
        print(
            f"{users:>6} users + {roles:>5} roles: {summary['apiCalls']} API calls, "
            f"{result['wall']:.1f} s wall (CLI incl. start-up), peak RSS {result['rss_mb']:.0f} MB, "
            f"campaign.csv {result['campaign_mb']:.1f} MB, principals {summary['principals']}, "
            f"FAIL {summary['findings']['FAIL']}  [seeded in {result['seed_s']:.1f} s]",
            flush=True,
        )
    (u1, r1, small), (u2, r2, large) = rows
    per_k = (large["rss_mb"] - small["rss_mb"]) / ((u2 + r2 - u1 - r1) / 1000)
    print(
        f"API calls: {small['summary']['apiCalls']} -> {large['summary']['apiCalls']} for "
        f"{u1 + r1} -> {u2 + r2} principals (pages, not principals); memory: {per_k:.1f} MB per 1,000 more "
        f"principals (compact records + findings; no raw pages kept)"
    )


if __name__ == "__main__":
    main()
