"""A moto server over HTTP, seeded worlds with unique names per test, and checksums of every stored
byte (DynamoDB items, every S3 object version and delete marker)."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from supportops.cli.app import create_app
from supportops.runbooks.local_aws import local_aws_credentials, local_aws_endpoint
from supportops.runbooks.privacy.clients import Clients
from supportops.runbooks.privacy.crm import TOKEN_ENV
from supportops.runbooks.privacy.demo import DEMO_OUTPUTS, LAKE_PREFIX, DemoSubject, demo_subjects, seed
from supportops.runbooks.privacy.demo_athena import LocalAthena, local_athena
from supportops.runbooks.privacy.demo_crm import FakeZendesk, fake_zendesk

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def endpoint() -> Iterator[str]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with local_aws_credentials(), local_aws_endpoint() as url:
        os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        yield url


@pytest.fixture
def crm() -> Iterator[FakeZendesk]:
    """A CRM stand-in per test (the seeded contact ids repeat from world to world)."""
    with fake_zendesk() as api:
        yield api


@pytest.fixture(autouse=True)
def crm_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_ENV, "test-token")


_OPEN_WORLDS: list[World] = []


@pytest.fixture(autouse=True)
def close_worlds() -> Iterator[None]:
    """Each world's Athena stand-in stops with the test that made it."""
    yield
    while _OPEN_WORLDS:
        _OPEN_WORLDS.pop().close()


@dataclass
class World:
    endpoint: str
    clients: Clients
    outputs: dict[str, Any]
    outputs_path: Path
    subjects: list[DemoSubject]
    out: Path
    crm: FakeZendesk
    athena: LocalAthena
    _servers: ExitStack = field(default_factory=ExitStack)

    @property
    def env(self) -> dict[str, str]:
        """The lake's queries go to the Athena stand-in (moto's Athena runs no SQL)."""
        return {"AWS_ENDPOINT_URL_ATHENA": self.athena.url}

    def close(self) -> None:
        self._servers.close()

    def cli(self, *args: str) -> Any:
        base = ["privacy", *args]
        if args[0] in ("erase", "export"):
            base += [
                "--stack",
                "demo-analytics",
                "--project",
                str(REPO),
                "--outputs",
                str(self.outputs_path),
                "--endpoint-url",
                self.endpoint,
                "--out",
                str(self.out),
                "--crm-url",
                self.crm.url,
            ]
        return CliRunner().invoke(create_app(), base, env=self.env)

    def snapshot(self) -> dict[str, str]:
        """Every item and every object version, by a name that carries its identity, to a checksum."""
        found: dict[str, str] = {}
        dynamodb, s3 = self.clients("dynamodb"), self.clients("s3")
        for output in ("customerContextTableName", "idempotencyTableName"):
            for item in dynamodb.scan(TableName=self.outputs[output], ConsistentRead=True)["Items"]:
                key = item.get("phoneNumber", item.get("idempotencyKey"))["S"]
                found[f"{output}/{key}"] = _sha(json.dumps(item, sort_keys=True).encode())
        for output in ("recordingsBucket", "transcriptsBucket"):
            bucket = self.outputs[output]
            page = s3.list_object_versions(Bucket=bucket)
            for version in page.get("Versions", []):
                body = s3.get_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])[
                    "Body"
                ]
                found[f"{bucket}/{version['Key']}@{version['VersionId']}"] = _sha(body.read())
            for marker in page.get("DeleteMarkers", []):
                found[f"{bucket}/{marker['Key']}@{marker['VersionId']}"] = "delete-marker"
        found.update(self.lake_records())
        for ticket_id, ticket in list(self.crm.tickets.items()):
            digest = _sha(json.dumps(ticket, sort_keys=True).encode())
            found[f"crm/{ticket['external_id']}/{ticket_id}"] = digest
        return found

    def lake_records(self) -> dict[str, str]:
        """Every record of every version of every lake object (objects are shared by subjects, so
        records are what must stay byte-identical), named by its contact and customer number."""
        s3, bucket = self.clients("s3"), self.outputs["dataLakeBucket"]
        found: dict[str, str] = {}
        for version in s3.list_object_versions(Bucket=bucket).get("Versions", []):
            body = s3.get_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])["Body"]
            for line in gzip.decompress(body.read()).splitlines():
                record = json.loads(line)
                name = f"lake/{record['ContactId']}/{record['CustomerEndpoint']['Address']}"
                found[name] = _sha(line)
        return found

    def lake_versions(self) -> dict[str, int]:
        s3, bucket = self.clients("s3"), self.outputs["dataLakeBucket"]
        page = s3.list_object_versions(Bucket=bucket)
        counts: dict[str, int] = {}
        for entry in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
            counts[entry["Key"]] = counts.get(entry["Key"], 0) + 1
        return counts


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def belongs_to(name: str, subject: DemoSubject) -> bool:
    return subject.phone in name or any(contact in name for contact in subject.contact_ids)


def make_world(endpoint: str, crm: FakeZendesk, tmp_path: Path, count: int = 4, seeded: bool = True) -> World:
    tag = uuid.uuid4().hex[:8]
    outputs = {
        name: (f"{value}-{tag}" if not value.startswith("arn:") else value)
        for name, value in DEMO_OUTPUTS.items()
    }
    clients = Clients("us-east-1", endpoint)
    subjects = demo_subjects(count)
    if seeded:
        seed(clients, subjects, outputs, crm=crm)
    path = tmp_path / "stack-outputs.json"
    path.write_text(json.dumps(outputs))
    servers = ExitStack()
    athena = servers.enter_context(local_athena(clients("s3"), outputs["dataLakeBucket"], LAKE_PREFIX))
    world = World(endpoint, clients, outputs, path, subjects, tmp_path / "requests", crm, athena, servers)
    _OPEN_WORLDS.append(world)
    return world


def personal_strings(subject: DemoSubject) -> list[str]:
    return [subject.phone, subject.email, subject.customer_id, *subject.contact_ids, "Demo Person"]


def assert_no_personal_data(text: str, subjects: list[DemoSubject]) -> None:
    for subject in subjects:
        for value in personal_strings(subject):
            assert value not in text, "personal data in an output"
