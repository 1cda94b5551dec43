"""Seed a local endpoint (moto) with the stores of the data map and a few synthetic subjects.

Every value is invented (+1555 numbers, example.com addresses). Returns the stack outputs the
seeded resources answer to, as ``pulumi stack output --json`` would."""

from __future__ import annotations

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
    "ticketSyncFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:demo-ticket-sync",
}


@dataclass(frozen=True)
class DemoSubject:
    phone: str
    email: str
    customer_id: str
    contact_ids: tuple[str, ...]


def demo_subjects(count: int = 4) -> list[DemoSubject]:
    return [
        DemoSubject(
            f"+1555010{index:04d}",
            f"subject{index}@example.com",
            f"C-{index:05d}",
            tuple(f"c{index:04d}-{n}" for n in range(2)),
        )
        for index in range(count)
    ]


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
    for index, subject in enumerate(subjects):
        dynamodb.put_item(
            TableName=outputs["customerContextTableName"],
            Item={
                "phoneNumber": {"S": subject.phone},
                "email": {"S": subject.email},
                "customerId": {"S": subject.customer_id},
                "name": {"S": f"Demo Person {index}"},
                "openTicketId": {"S": f"T-{index}"},
                "contactIds": {"SS": list(subject.contact_ids)},
            },
        )
        for contact in subject.contact_ids:
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
            recording = f"recordings/{contact}/call.wav"
            s3.put_object(
                Bucket=outputs["recordingsBucket"], Key=recording, Body=f"audio v1 {contact}".encode()
            )
            s3.put_object(
                Bucket=outputs["recordingsBucket"], Key=recording, Body=f"audio v2 {contact}".encode()
            )
            s3.put_object(
                Bucket=outputs["transcriptsBucket"],
                Key=f"transcripts/{contact}/chat.json",
                Body=b'{"transcript": "hello"}',
            )
            s3.delete_object(Bucket=outputs["transcriptsBucket"], Key=f"transcripts/{contact}/chat.json")
            s3.put_object(
                Bucket=outputs["dataLakeBucket"],
                Key=f"ctr/contact_id={contact}/ctr.json",
                Body=f'{{"customerEndpoint": "{subject.phone}"}}'.encode(),
            )
