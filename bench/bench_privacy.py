"""Erasing one subject from stores that hold many others: API calls per store and time, at two store
sizes, on a local moto endpoint and the CRM stand-in (started and stopped here). Calls and time should
grow with the subject's own data, not with the number of other subjects.

    .venv/bin/python bench/bench_privacy.py [--others 2000]

The other subjects are written with DynamoDB BatchWriteItem, a recording each under the same days as
the subject's, and their contact records into the lake's daily batch objects (seeding, not the
erasure, is what takes time here). Lookups by phone are keyed; an email or customer-id lookup would
Scan the context table (see docs/privacy.md). The lake's Athena query is answered by the local
stand-in (it reads the lake as Athena would, server side): our calls do not grow with the lake.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from supportops.runbooks.local_aws import local_aws_credentials, local_aws_endpoint
from supportops.runbooks.privacy.clients import Clients
from supportops.runbooks.privacy.crm import CrmGateway
from supportops.runbooks.privacy.demo import (
    CONTACTS_PER_SUBJECT,
    DEMO_OUTPUTS,
    LAKE_PREFIX,
    contact_start,
    demo_subjects,
    seed,
)
from supportops.runbooks.privacy.demo_athena import local_athena
from supportops.runbooks.privacy.demo_crm import fake_zendesk
from supportops.runbooks.privacy.request import run_request
from supportops.runbooks.privacy.schema import Holds, load_data_map
from supportops.runbooks.privacy.subject import Identifier, IdKind, load_hasher
from supportops.runbooks.privacy.targets import resolve
from supportops.stacks.config import load_stack_config

REPO = Path(__file__).resolve().parent.parent


def _add_others(clients: Clients, outputs: dict[str, Any], start: int, count: int) -> None:
    dynamodb, s3 = clients("dynamodb"), clients("s3")
    rows = [
        {
            "PutRequest": {
                "Item": {"phoneNumber": {"S": f"+1555{index:07d}"}, "contactIds": {"SS": [f"o{index}"]}}
            }
        }
        for index in range(start, start + count)
    ]
    for offset in range(0, len(rows), 25):
        dynamodb.batch_write_item(
            RequestItems={outputs["customerContextTableName"]: rows[offset : offset + 25]}
        )
    records = []
    for index in range(start, start + count):
        day = contact_start(index % CONTACTS_PER_SUBJECT)
        s3.put_object(
            Bucket=outputs["recordingsBucket"],
            Key=f"call-recordings/{day:%Y/%m/%d}/o{index}_{day:%Y%m%dT%H:%M}_UTC.wav",
            Body=b"audio",
        )
        records.append(
            {
                "ContactId": f"o{index}",
                "InitiationTimestamp": f"{day:%Y-%m-%dT%H:%M:%SZ}",
                "CustomerEndpoint": {"Address": f"+1555{index:07d}"},
            }
        )
    for offset in range(0, len(records), 500):  # Firehose-sized batches of other people's records
        body = b"".join(json.dumps(r).encode() + b"\n" for r in records[offset : offset + 500])
        s3.put_object(
            Bucket=outputs["dataLakeBucket"],
            Key=f"{LAKE_PREFIX}dt=2026-11-01/others-{start + offset}.gz",
            Body=gzip.compress(body, mtime=0),
        )


def _erase_once(
    clients: Clients, outputs: dict[str, Any], phone: str, work: Path
) -> tuple[float, dict[str, int]]:
    config = load_stack_config(REPO, "demo-analytics")
    targets = resolve(load_data_map(), outputs, config)
    started = time.perf_counter()
    result = run_request(
        targets, [Identifier(IdKind.PHONE, phone)], Holds(), clients, load_hasher(work), work / phone, "bench"
    )
    assert not result.failed, [(s.name, s.message) for s in result.stores if s.message]
    return time.perf_counter() - started, {s.name: s.calls for s in result.stores}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--others", type=int, default=2000)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with (
        local_aws_credentials(),
        local_aws_endpoint() as endpoint,
        fake_zendesk() as crm,
        tempfile.TemporaryDirectory() as temp,
        ExitStack() as stack,
    ):
        gateway = CrmGateway.create("zendesk", "example", "bench@example.com", "t", crm.url)
        local = Clients("us-east-1", endpoint)
        athena = stack.enter_context(local_athena(local("s3"), DEMO_OUTPUTS["dataLakeBucket"], LAKE_PREFIX))
        os.environ["AWS_ENDPOINT_URL_ATHENA"] = athena.url
        clients = Clients("us-east-1", endpoint, gateway)
        subjects = demo_subjects(2)
        seed(clients, subjects, DEMO_OUTPUTS, crm=crm)
        rows = []
        small = max(args.others // 10, 1)
        _add_others(clients, DEMO_OUTPUTS, 0, small)
        rows.append((small, *_erase_once(clients, DEMO_OUTPUTS, subjects[0].phone, Path(temp))))
        _add_others(clients, DEMO_OUTPUTS, small, args.others - small)
        rows.append((args.others, *_erase_once(clients, DEMO_OUTPUTS, subjects[1].phone, Path(temp))))
        for others, seconds, calls in rows:
            print(json.dumps({"otherSubjects": others, "seconds": round(seconds, 3), "callsPerStore": calls}))


if __name__ == "__main__":
    main()
