"""What a run leaves behind: the bundle in the Object Lock bucket, CloudWatch metrics, and (only on
FAIL, ERROR or a missed target) one notification on the topic."""

from __future__ import annotations

import datetime as dt
import hashlib
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from supportops.runbooks.ops.sessions import CLIENT_CONFIG

SUBJECT_LIMIT = 100  # SNS subject: at most 100 printable ASCII characters


@dataclass(frozen=True)
class Destination:
    bucket: str
    prefix: str  # "<job>/<account>/<run id>/"
    retain_until: dt.datetime

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"


def upload_tree(s3: Any, root: Path, destination: Destination, skip: Iterable[str] = ()) -> list[str]:
    """Put every file under ``root`` at ``prefix + relative path``, locked in COMPLIANCE mode until
    ``retain_until`` (nobody, root included, can delete or overwrite it before then)."""
    skipped = set(skip)
    keys = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if relative in skipped:
            continue
        keys.append(put_locked(s3, path, destination, relative))
    return keys


def put_locked(s3: Any, path: Path, destination: Destination, relative: str) -> str:
    key = destination.prefix + relative
    body = path.read_bytes()
    s3.put_object(
        Bucket=destination.bucket,
        Key=key,
        Body=body,
        ContentType=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
        # Object Lock puts need an integrity checksum; SHA-256 also lets a reader verify the manifest.
        ChecksumAlgorithm="SHA256",
        ObjectLockMode="COMPLIANCE",
        ObjectLockRetainUntilDate=destination.retain_until,
        Metadata={"sha256": hashlib.sha256(body).hexdigest()},
    )
    return key


@dataclass(frozen=True)
class Metric:
    name: str
    value: float
    unit: str
    dimensions: tuple[tuple[str, str], ...]


def put_metrics(cloudwatch: Any, namespace: str, metrics: list[Metric], at: dt.datetime) -> None:
    data = [
        {
            "MetricName": m.name,
            "Value": m.value,
            "Unit": m.unit,
            "Timestamp": at,
            "Dimensions": [{"Name": name, "Value": value} for name, value in m.dimensions],
        }
        for m in metrics
    ]
    for start in range(0, len(data), 500):  # PutMetricData takes at most 1,000 values per call
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=data[start : start + 500])


def notify(sns: Any, topic_arn: str, subject: str, message: str) -> str:
    subject = "".join(c if 32 <= ord(c) < 127 else "?" for c in subject)[:SUBJECT_LIMIT]
    return str(sns.publish(TopicArn=topic_arn, Subject=subject, Message=message)["MessageId"])


def clients(session: Any, endpoint_url: str | None, region: str) -> tuple[Any, Any, Any]:
    def make(service: str) -> Any:
        return session.client(service, endpoint_url=endpoint_url, region_name=region, config=CLIENT_CONFIG)

    return make("s3"), make("cloudwatch"), make("sns")
