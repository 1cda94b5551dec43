"""Seed a local endpoint (moto) with the stores of the data map and a few synthetic subjects.

Every value is invented (+1555 numbers, example.com addresses). Returns the stack outputs the
seeded resources answer to, as ``pulumi stack output --json`` would."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from dataclasses import dataclass
from typing import Any

from supportops.runbooks.privacy.clients import Clients
from supportops.runbooks.privacy.demo_crm import FakeZendesk

DEMO_OUTPUTS = {
    "customerContextTableName": "demo-customer-context",
    "idempotencyTableName": "demo-ticket-sync-idempotency",
    "recordingsBucket": "demo-call-recordings",
    "transcriptsBucket": "demo-chat-transcripts",
    "dataLakeBucket": "demo-ctr-lake",
    "glueDatabase": "demo_contact_lake",
    "athenaWorkgroup": "demo-kpi",
    "ticketSyncFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:demo-ticket-sync",
}
LAKE_PREFIX = "contact-records/"
CONTACTS_PER_SUBJECT = 3
KNOWN_TO_CONTEXT = 2  # the last contact is in the lake only: found through the customer's number


@dataclass(frozen=True)
class DemoSubject:
    phone: str
    email: str
    customer_id: str
    contact_ids: tuple[str, ...]

    @property
    def context_contacts(self) -> tuple[str, ...]:
        """The contacts the customer-context item lists (the others are found in the lake)."""
        return self.contact_ids[:KNOWN_TO_CONTEXT]


def demo_subjects(count: int = 4) -> list[DemoSubject]:
    return [
        DemoSubject(
            f"+1555010{index:04d}",
            f"subject{index}@example.com",
            f"C-{index:05d}",
            tuple(f"c{index:04d}-{n}" for n in range(CONTACTS_PER_SUBJECT)),
        )
        for index in range(count)
    ]


def contact_start(n: int) -> dt.datetime:
    """Contact n of every subject starts on 2026-11-0(n+1); contact 1 just before midnight, so its
    recording is filed under the next day (as Connect does for a call that goes on past midnight)."""
    return dt.datetime(2026, 11, n + 1, 23 if n == 1 else 10, 58 if n == 1 else 0, tzinfo=dt.UTC)


def _filed(start: dt.datetime, n: int) -> dt.datetime:
    return start + dt.timedelta(minutes=5 if n == 1 else 0)


def seed(
    clients: Clients,
    subjects: list[DemoSubject],
    outputs: dict[str, Any] = DEMO_OUTPUTS,
    crm: FakeZendesk | None = None,
) -> None:
    dynamodb, s3 = clients("dynamodb"), clients("s3")
    for table, key in (
        (outputs["customerContextTableName"], "phoneNumber"),
        (outputs["idempotencyTableName"], "idempotencyKey"),
    ):
        dynamodb.create_table(
            TableName=table,
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
        )
    for name in ("recordingsBucket", "transcriptsBucket", "dataLakeBucket"):
        s3.create_bucket(Bucket=outputs[name])
        s3.put_bucket_versioning(Bucket=outputs[name], VersioningConfiguration={"Status": "Enabled"})
    lake_batches: dict[dt.date, list[bytes]] = {}
    for index, subject in enumerate(subjects):
        dynamodb.put_item(
            TableName=outputs["customerContextTableName"],
            Item={
                "phoneNumber": {"S": subject.phone},
                "email": {"S": subject.email},
                "customerId": {"S": subject.customer_id},
                "name": {"S": f"Demo Person {index}"},
                "openTicketId": {"S": f"T-{index}"},
                "contactIds": {"SS": list(subject.context_contacts)},
            },
        )
        for n, contact in enumerate(subject.contact_ids):
            if crm is not None:
                crm.add(contact, f"Call from {subject.phone}")
            dynamodb.put_item(
                TableName=outputs["idempotencyTableName"],
                Item={
                    "idempotencyKey": {"S": f"contact#{contact}"},
                    "ticketId": {"S": f"T-{index}"},
                    "expiresAt": {"N": "2000000000"},
                },
            )
            start = contact_start(n)
            _seed_contact_objects(s3, outputs, contact, _filed(start, n))
            record = {
                "ContactId": contact,
                "Channel": "VOICE",
                "InitiationTimestamp": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "CustomerEndpoint": {"Address": subject.phone, "Type": "TELEPHONE_NUMBER"},
                "Attributes": {"pilotArm": "bot"},
            }
            lake_batches.setdefault(start.date(), []).append(json.dumps(record, sort_keys=True).encode())
    # Firehose batches: one object per day holding every subject's contacts of that day.
    for day, records in sorted(lake_batches.items()):
        s3.put_object(
            Bucket=outputs["dataLakeBucket"],
            Key=f"{LAKE_PREFIX}dt={day.isoformat()}/ctr-delivery-1-{day.isoformat()}-10-00-00-batch.gz",
            Body=gzip.compress(b"".join(r + b"\n" for r in records), mtime=0),
        )


def _seed_contact_objects(s3: Any, outputs: dict[str, Any], contact: str, filed: dt.datetime) -> None:
    """What Connect and Contact Lens write for one contact, under the day it is filed."""
    day, stamp = filed.strftime("%Y/%m/%d"), filed.strftime("%Y%m%dT%H:%M")
    recordings, transcripts = outputs["recordingsBucket"], outputs["transcriptsBucket"]
    recording = f"call-recordings/{day}/{contact}_{stamp}_UTC.wav"
    s3.put_object(Bucket=recordings, Key=recording, Body=f"audio v1 {contact}".encode())
    s3.put_object(Bucket=recordings, Key=recording, Body=f"audio v2 {contact}".encode())
    analysis = filed.strftime("%Y-%m-%dT%H:%M:%SZ")
    s3.put_object(
        Bucket=recordings,
        Key=f"Analysis/Voice/{day}/{contact}_analysis_{analysis}.json",
        Body=b'{"Transcript": []}',
    )
    s3.put_object(
        Bucket=recordings,
        Key=f"Analysis/Voice/Redacted/{day}/{contact}_call_recording_redacted_{analysis}.wav",
        Body=f"redacted audio {contact}".encode(),
    )
    transcript = f"chat-transcripts/{day}/{contact}_{stamp}.json"
    s3.put_object(Bucket=transcripts, Key=transcript, Body=b'{"transcript": "hello"}')
    s3.delete_object(Bucket=transcripts, Key=transcript)
