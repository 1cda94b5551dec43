"""Erase what a search found. Every action is idempotent: deleting an item or an object version that is
already gone succeeds, and a redaction never re-creates an item that was deleted meanwhile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from supportops.runbooks.privacy.clients import AwsFailure, Clients
from supportops.runbooks.privacy.lake import is_subjects, read_records, write_records
from supportops.runbooks.privacy.schema import EraseMode, IdKind, Service
from supportops.runbooks.privacy.search import Hit, failure_message
from supportops.runbooks.privacy.targets import Target
from supportops.stacks.functions.ticket_sync.http_client import HttpError

S3_BATCH = 1000  # DeleteObjects takes at most 1,000 keys


def batches(target: Target, hits: Sequence[Hit]) -> list[list[Hit]]:
    size = S3_BATCH if target.store.service is Service.S3 else 1
    return [list(hits[i : i + size]) for i in range(0, len(hits), size)]


def erase(target: Target, batch: Sequence[Hit], clients: Clients) -> int:
    """Erase one batch; returns AWS calls made. Raises :class:`AwsFailure` on any error, partial ones too."""
    try:
        if target.store.service is Service.S3:
            return _delete_versions(batch, clients)
        if target.store.service is Service.LAKE:
            return sum(_rewrite(target, hit, clients) for hit in batch)
        if target.store.service is Service.PROFILES:
            for hit in batch:
                _delete_profile(str(target.resource), str(hit.profile_id), clients)
            return len(batch)
        if target.store.service is Service.CRM:
            for hit in batch:
                assert clients.crm is not None and hit.crm_ticket is not None  # found by this gateway
                clients.crm.delete(hit.crm_ticket)
            return len(batch)
        for hit in batch:
            _dynamodb(target, hit, clients)
        return len(batch)
    except (ClientError, BotoCoreError, HttpError, OSError) as exc:
        raise AwsFailure(failure_message(exc)) from None


def _dynamodb(target: Target, hit: Hit, clients: Clients) -> None:
    dynamodb, table = clients("dynamodb"), target.resource
    if target.store.erase is EraseMode.DELETE:
        dynamodb.delete_item(TableName=table, Key=hit.key)
        return
    names = {f"#r{i}": name for i, name in enumerate(hit.redact)}
    try:
        dynamodb.update_item(
            TableName=table,
            Key=hit.key,
            UpdateExpression="REMOVE " + ", ".join(names),
            ConditionExpression="attribute_exists(#k)",
            ExpressionAttributeNames={**names, "#k": str(target.store.key_attribute)},
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise  # the item is gone already: nothing to redact


def _delete_profile(domain: str, profile_id: str, clients: Clients) -> None:
    try:
        clients("customer-profiles").delete_profile(ProfileId=profile_id, DomainName=domain)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
            raise  # a profile already gone is erased


def _delete_versions(batch: Sequence[Hit], clients: Clients) -> int:
    objects = [{"Key": h.bucket_object[1], "VersionId": h.bucket_object[2]} for h in batch if h.bucket_object]
    if not objects:
        return 0
    bucket = batch[0].bucket_object[0] if batch[0].bucket_object else ""
    response = clients("s3").delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
    errors = response.get("Errors") or []
    if errors:
        codes = sorted({str(e.get("Code")) for e in errors})
        raise AwsFailure(f"DeleteObjects failed for {len(errors)} object versions ({', '.join(codes)})")
    return 1


def _rewrite(target: Target, hit: Hit, clients: Clients) -> int:
    """Rewrite one lake object without the subject's records, then delete every other version of it
    (they still hold the records). Idempotent: an object already rewritten is not written again, and
    an object that held only the subject's records is deleted with all its versions."""
    assert hit.bucket_object is not None and target.store.lake is not None
    bucket, key, _ = hit.bucket_object
    s3, calls = clients("s3"), 1
    wanted: dict[IdKind, set[str]] = {}
    for kind, value in hit.subject_values:
        wanted.setdefault(kind, set()).add(value)
    keep_version: str | None = None
    try:
        current = s3.get_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("NoSuchKey", "404"):
            raise
        current = None  # only older versions (or a delete marker) are left
    if current is not None:
        records = read_records(current["Body"].read())
        kept = [r for r in records.records if not is_subjects(r, target.store.lake.record_fields, wanted)]
        if len(kept) == len(records.records):
            keep_version = current.get("VersionId")  # rewritten by an earlier run: keep it as it is
        elif kept:
            encryption = {
                name: current[name] for name in ("ServerSideEncryption", "SSEKMSKeyId") if current.get(name)
            }
            calls += 1
            written = s3.put_object(
                Bucket=bucket, Key=key, Body=write_records(kept, records.gzipped), **encryption
            )
            keep_version = written.get("VersionId")
    stale: list[dict[str, str]] = []
    request: dict[str, Any] = {"Bucket": bucket, "Prefix": key}
    while True:
        calls += 1
        page = s3.list_object_versions(**request)
        stale += [
            {"Key": key, "VersionId": entry["VersionId"]}
            for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
            if entry["Key"] == key and entry.get("VersionId") != keep_version
        ]
        if not page.get("IsTruncated"):
            break
        request["KeyMarker"] = page.get("NextKeyMarker")
        request["VersionIdMarker"] = page.get("NextVersionIdMarker")
    for start in range(0, len(stale), S3_BATCH):
        calls += 1
        response = s3.delete_objects(
            Bucket=bucket, Delete={"Objects": stale[start : start + S3_BATCH], "Quiet": True}
        )
        if response.get("Errors"):
            failed = len(response["Errors"])
            raise AwsFailure(f"DeleteObjects failed for {failed} older versions of a lake object")
    return calls
