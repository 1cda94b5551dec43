"""Helpers for DR drill tests: moto's server on loopback (started here, stopped after), boto3
clients pointed at it, the CLI run as a subprocess, fingerprints of source data."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
import pytest

from supportops.runbooks.local_aws import local_aws_endpoint

REPO_ROOT = Path(__file__).resolve().parents[3]
REGION = "us-east-1"
CLI_TIMEOUT = 120

# No profile files: a path that does not exist (botocore skips it). Not os.devnull: a tool that writes
# "atomically" to /dev/null replaces it with a regular file, which botocore then fails to parse.
_NO_FILE = str(Path(tempfile.gettempdir()) / "supportops-dr-tests-no-such-dir" / "none")
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": _NO_FILE,
    "AWS_SHARED_CREDENTIALS_FILE": _NO_FILE,
}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """A moto server on 127.0.0.1 for the module's tests."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request otherwise
    saved = {key: os.environ.get(key) for key in AWS_ENV}
    os.environ.update(AWS_ENV)
    try:
        with local_aws_endpoint() as url:
            yield url
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class Clients:
    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint

    def __call__(self, service: str, region: str = REGION) -> Any:
        return boto3.session.Session().client(
            service,
            region_name=region,
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )


@pytest.fixture(scope="module")
def aws(endpoint: str) -> Clients:
    return Clients(endpoint)


def cli_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENV)
    env["COLUMNS"] = "200"
    return env


def run_cli(
    *args: str, cwd: Path = REPO_ROOT, timeout: float = CLI_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    """``supportops ARGS`` as a subprocess (what an ops scheduler runs)."""
    return subprocess.run(
        [sys.executable, "-m", "supportops.cli.main", *args],
        cwd=cwd,
        env=cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def write_runbook(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")  # JSON is YAML
    return path


def table_fingerprint(ddb: Any, table: str) -> str:
    """SHA-256 over every item of the table (sorted), read with consistent scans."""
    items: list[str] = []
    kwargs: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        page = ddb.scan(**kwargs)
        items.extend(json.dumps(item, sort_keys=True) for item in page.get("Items", []))
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return hashlib.sha256("\n".join(sorted(items)).encode()).hexdigest()


def bucket_fingerprint(s3: Any, bucket: str) -> str:
    """SHA-256 over every object version (key, version id, etag) and delete marker in the bucket."""
    entries: list[str] = []
    page = s3.list_object_versions(Bucket=bucket)
    for version in page.get("Versions", []):
        entries.append(f"v {version['Key']} {version['VersionId']} {version['ETag']}")
    for marker in page.get("DeleteMarkers", []):
        entries.append(f"d {marker['Key']} {marker['VersionId']}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def drill_tables(ddb: Any) -> list[str]:
    return [name for name in ddb.list_tables()["TableNames"] if name.startswith("dr-")]


def tagged_drill_resources(aws: Clients) -> list[str]:
    tagging = aws("resourcegroupstaggingapi")
    found = tagging.get_resources(TagFilters=[{"Key": "supportops:dr-drill"}])["ResourceTagMappingList"]
    return [entry["ResourceARN"] for entry in found]


def report_of(out_dir: Path) -> dict[str, Any]:
    reports = sorted(out_dir.glob("dr-*/report.json"))
    assert len(reports) == 1, reports
    document: dict[str, Any] = json.loads(reports[0].read_text(encoding="utf-8"))
    return document


def findings_by_check(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(f["subject"], f["checkId"]): f for f in report["findings"]}


def sources_fingerprint(aws: Clients, names: Mapping[str, Any]) -> tuple[str, ...]:
    """Checksums of a drill's sources (table, bucket, replica): equal before and after means untouched."""
    s3 = aws("s3")
    return (
        table_fingerprint(aws("dynamodb"), names["table"]),
        bucket_fingerprint(s3, names["bucket"]),
        bucket_fingerprint(s3, f"{names['bucket']}-replica"),
    )


def drill_leftovers(aws: Clients) -> list[str]:
    """Every drill resource still in the account: restored tables, dr-* DB instances, tagged resources."""
    instances = [d["DBInstanceIdentifier"] for d in aws("rds").describe_db_instances()["DBInstances"]]
    return (
        drill_tables(aws("dynamodb"))
        + [i for i in instances if i.startswith("dr-")]
        + tagged_drill_resources(aws)
    )
