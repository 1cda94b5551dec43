"""Secrets Manager rotation of the CRM credential.

Third-party API tokens cannot be minted by AWS. An operator (or the provider's admin tooling) puts
the new token on the secret under the staging label ``SUPPORTOPS_STAGED``; at the next rotation this
function copies it into the pending version, tests it against the provider's API, promotes it and
clears the label. With nothing staged, createSecret fails: the failed rotation (an EventBridge/
CloudTrail event) is the reminder that the credential is due.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
from botocore.exceptions import ClientError

from .providers import Credential
from .settings import Settings
from .sync import ticket_client

STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")
STAGED_LABEL = "SUPPORTOPS_STAGED"
PENDING = "AWSPENDING"
CURRENT = "AWSCURRENT"


class RotationError(RuntimeError):
    pass


def _value(secrets: Any, secret_id: str, **version: str) -> dict[str, Any] | None:
    try:
        return secrets.get_secret_value(SecretId=secret_id, **version)  # type: ignore[no-any-return]
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            return None
        raise


def _stages(secrets: Any, secret_id: str) -> dict[str, list[str]]:
    return secrets.describe_secret(SecretId=secret_id).get("VersionIdsToStages", {})  # type: ignore[no-any-return]


def create_secret(secrets: Any, secret_id: str, token: str) -> None:
    if token in _stages(secrets, secret_id) and _value(
        secrets, secret_id, VersionId=token, VersionStage=PENDING
    ):
        return
    staged = _value(secrets, secret_id, VersionStage=STAGED_LABEL)
    if staged is None:
        raise RotationError(
            f"no new credential staged: put it on the secret with "
            f"`put-secret-value --version-stages {STAGED_LABEL}`, then rotate again"
        )
    secrets.put_secret_value(
        SecretId=secret_id,
        ClientRequestToken=token,
        SecretString=staged["SecretString"],
        VersionStages=[PENDING],
    )


def test_secret(secrets: Any, settings: Settings, secret_id: str, token: str) -> None:
    pending = _value(secrets, secret_id, VersionId=token, VersionStage=PENDING)
    if pending is None:
        raise RotationError(f"version {token} has no pending value to test")
    value = json.loads(pending["SecretString"])
    client = ticket_client(settings, Credential(user=str(value["user"]), token=str(value["token"])))
    client.find("supportops-rotation-check")  # any authenticated read proves the token works


def finish_secret(secrets: Any, secret_id: str, token: str) -> None:
    stages = _stages(secrets, secret_id)
    current = next((v for v, labels in stages.items() if CURRENT in labels), None)
    if current != token:
        secrets.update_secret_version_stage(
            SecretId=secret_id, VersionStage=CURRENT, MoveToVersionId=token, RemoveFromVersionId=current
        )
    staged = next((v for v, labels in stages.items() if STAGED_LABEL in labels), None)
    if staged is not None:
        secrets.update_secret_version_stage(
            SecretId=secret_id, VersionStage=STAGED_LABEL, RemoveFromVersionId=staged
        )


def rotate(secrets: Any, settings: Settings, event: dict[str, Any]) -> None:
    step, secret_id, token = event["Step"], event["SecretId"], event["ClientRequestToken"]
    if step == "createSecret":
        create_secret(secrets, secret_id, token)
    elif step == "setSecret":
        pass  # the provider already holds the token that was staged
    elif step == "testSecret":
        test_secret(secrets, settings, secret_id, token)
    elif step == "finishSecret":
        finish_secret(secrets, secret_id, token)
    else:
        raise RotationError(f"unknown rotation step {step!r}")


def handler(event: dict[str, Any], _context: Any) -> None:
    rotate(boto3.client("secretsmanager"), Settings.from_env(), event)
