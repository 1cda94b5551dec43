"""Benchmark of DR drill measurements: resolution, and the tool's own overhead on top of the restore.

    .venv/bin/python bench/bench_dr.py [--runs 5] [--items 1000] [--restore-seconds 2] [--poll 0.2]

1. Measurement resolution: the clocks a drill uses (monotonic for durations, wall for points in time
   compared with AWS timestamps), their declared resolution and the granularity observed here, and
   the resolution of each measured figure (set by poll and canary intervals, not by the clock).
2. Overhead: a DynamoDB PITR drill in-process against a local moto server whose restore is made to
   take a known time (the drill table reads CREATING for ``--restore-seconds`` after the request).
   Overhead on the RTO = measured RTO - that restore time (poll lag + verification); the rest of the
   drill (baseline, canaries, cleanup) is reported beside it.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from supportops.runbooks.dr.aws import BotoClients  # noqa: E402
from supportops.runbooks.dr.clock import clock_info  # noqa: E402
from supportops.runbooks.dr.executor import DrillOptions, load, run_drill  # noqa: E402
from supportops.runbooks.dr.local_demo import seed_table  # noqa: E402
from supportops.runbooks.local_aws import local_aws_credentials, local_aws_endpoint  # noqa: E402


def observed_granularity_ns(read: Any, samples: int = 200_000) -> int:
    """Smallest non-zero step between consecutive readings."""
    smallest = None
    last = read()
    for _ in range(samples):
        value = read()
        if value != last:
            step = value - last
            smallest = step if smallest is None else min(smallest, step)
            last = value
    return smallest or 0


class SlowRestore:
    """A DynamoDB client whose drill tables read CREATING for ``seconds`` after the restore request."""

    def __init__(self, client: Any, seconds: float) -> None:
        self._client = client
        self._seconds = seconds
        self.requested: dict[str, float] = {}

    def restore_table_to_point_in_time(self, **kwargs: Any) -> Any:
        self.requested[kwargs["TargetTableName"]] = time.monotonic()
        return self._client.restore_table_to_point_in_time(**kwargs)

    def describe_table(self, **kwargs: Any) -> Any:
        answer = self._client.describe_table(**kwargs)
        started = self.requested.get(kwargs["TableName"])
        if started is not None and time.monotonic() - started < self._seconds:
            answer["Table"]["TableStatus"] = "CREATING"
        return answer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def event_time(report: Any, event: str) -> float:
    return float(next(e["elapsedSeconds"] for e in report.details["timeline"] if e["event"] == event))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--restore-seconds", type=float, default=2.0)
    parser.add_argument("--poll", type=float, default=0.2)
    parser.add_argument("--sample", type=int, default=50)
    args = parser.parse_args()

    print("== measurement resolution")
    for name, info in clock_info().items():
        print(
            f"  time.{name}: {info['implementation']}, declared resolution {info['resolutionSeconds']:g} s, "
            f"adjustable={info['adjustable']}"
        )
    print(
        "  smallest observed step (includes reading the clock): "
        f"monotonic_ns {observed_granularity_ns(time.monotonic_ns)} ns, "
        f"time_ns {observed_granularity_ns(time.time_ns)} ns"
    )
    print("  figure resolution (what bounds each measurement, not the clock):")
    print(f"    RTO: poll interval ({args.poll:g} s here; pollSeconds, fixed: no backoff on measured waits)")
    print("    RPO (DynamoDB): canary spacing (canaries.intervalSeconds) plus wall-clock skew to AWS")
    print("    S3 replication lag: poll interval; AWS Backup RTO: poll interval; RPO: AWS timestamps (1 ms)")

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    rows = []
    with local_aws_credentials(), local_aws_endpoint() as endpoint, tempfile.TemporaryDirectory() as tmp:
        boto = BotoClients(endpoint)
        seed_table(boto("dynamodb", "us-east-1"), "bench-orders", items=args.items, key="pk")
        runbook = Path(tmp) / "bench.yaml"
        runbook.write_text(
            json.dumps(
                {
                    "name": "bench",
                    "region": "us-east-1",
                    "steps": [
                        {
                            "name": "orders-pitr",
                            "type": "dynamodb-pitr",
                            "table": "bench-orders",
                            "canaries": {"count": 3, "intervalSeconds": 0.0},
                            "restorableWaitSeconds": 0,
                            "verify": {"sampleSize": args.sample},
                            "timeoutSeconds": 600,
                            "pollSeconds": args.poll,
                        }
                    ],
                }
            )
        )
        loaded = load(runbook, REPO)
        for _ in range(args.runs):
            slow = SlowRestore(boto("dynamodb", "us-east-1"), args.restore_seconds)

            def clients(service: str, region: str, slow: SlowRestore = slow) -> Any:
                return slow if service == "dynamodb" else boto(service, region)

            started = time.monotonic()
            outcome = run_drill(loaded, DrillOptions(clients=clients))
            total = time.monotonic() - started
            report = outcome.report
            assert not outcome.failed, [f.message for f in report.findings]
            rto = report.details["steps"][0]["measurements"]["rtoSeconds"]
            requested = event_time(report, "restore requested")
            rows.append(
                {
                    "rto": rto,
                    "overhead": rto - args.restore_seconds,
                    "poll_lag": event_time(report, "drill table active") - requested - args.restore_seconds,
                    "verify": event_time(report, "verified") - event_time(report, "drill table active"),
                    "before_restore": requested - event_time(report, "step started"),
                    "cleanup": event_time(report, "cleanup finished") - event_time(report, "cleanup started"),
                    "total": total,
                }
            )

    print(
        f"\n== overhead on top of the restore ({args.runs} runs, {args.items} items, sample {args.sample}, "
        f"poll {args.poll:g} s, simulated restore {args.restore_seconds:g} s)"
    )
    for key, label in [
        ("rto", "measured RTO (request -> verified)"),
        ("overhead", "tool overhead on the RTO (RTO - restore time)"),
        ("poll_lag", "  of which poll lag (ACTIVE seen - restore done)"),
        ("verify", "  of which verification (canaries, sample, counts)"),
        ("before_restore", "before the restore (baseline scan, canaries)"),
        ("cleanup", "cleanup (drill table, canaries)"),
        ("total", "whole drill, wall time"),
    ]:
        values = [row[key] for row in rows]
        print(
            f"  {label:<50} median {statistics.median(values) * 1000:9.1f} ms   "
            f"max {max(values) * 1000:9.1f} ms"
        )


if __name__ == "__main__":
    main()
