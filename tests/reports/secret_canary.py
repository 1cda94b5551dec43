"""A canary secret planted in every form a secret takes in Pulumi's files, and every encoding of it
that an output could carry: the redaction tests check that none of them appears in any byte written."""

from __future__ import annotations

import base64
import json
import urllib.parse
from pathlib import Path
from typing import Any

from supportops.inventory.model import SECRET_SIG, SIG_KEY

CANARY = "c4n4ry-S3cr3t/value+with=odd&chars\"quote"
# A second one only the stack config holds (a `secure:` ciphertext) and a third a plaintext config key.
CONFIG_CIPHERTEXT = "v1:AAABBB:canaryCIPHERTEXTzzz0123456789=="
CONFIG_PLAINTEXT = "plain-config-canary-9f3e1d"
STACK = "canary-foundation"
PROJECT = "supportops"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def forbidden() -> list[str]:
    """Substrings no output may hold. Each survives the escaping of any format (HTML, XML, CSV, JSON),
    so a secret that slipped through would be found whatever format wrapped it."""
    user_b64 = _b64("user:" + CANARY)
    return [
        "c4n4ry",  # the canary verbatim, JSON-escaped, HTML/XML-escaped or URL-encoded
        _b64(CANARY)[:16],  # base64 (standard and URL-safe agree on this prefix)
        user_b64[8:24],  # base64 of a larger text holding it
        "canaryCIPHERTEXT",  # the `secure:` ciphertext of the stack config
        _b64(CONFIG_CIPHERTEXT)[:16],
        "plain-config-canary",  # a credential config key given in plain text
        _b64(CONFIG_PLAINTEXT)[:16],
    ]


def _secret(**form: Any) -> dict[str, Any]:
    return {SIG_KEY: SECRET_SIG, **form}


def _urn(type_: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


def _resources() -> list[dict[str, Any]]:
    provider = _urn("pulumi:providers:aws", "default")
    # The rules show these tags as evidence: each holds a copy of the canary in another encoding.
    copies = {
        "owner": CANARY,  # verbatim
        "environment": f"rotated from <{CANARY}> last week",  # inside a larger string
        "phase": json.dumps({"token": CANARY}),  # JSON-escaped inside a string
        "data-classification": "Basic " + _b64("user:" + CANARY),  # base64 inside a larger base64 text
    }
    encoded = {
        "owner": urllib.parse.quote(CANARY, safe=""),
        "environment": "https://crm.example.com/hook?key=" + urllib.parse.quote_plus(CANARY),
        "phase": _b64(CANARY),
        "data-classification": base64.urlsafe_b64encode(CANARY.encode()).decode().rstrip("="),
    }
    return [
        {"urn": _urn("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}"), "type": "pulumi:pulumi:Stack",
         "custom": False, "outputs": {"crmToken": _secret(plaintext=json.dumps(CANARY))}},
        {"urn": provider, "type": "pulumi:providers:aws", "custom": True, "id": "prov-1",
         "inputs": {"region": "us-east-1"}, "outputs": {"region": "us-east-1"}},
        {"urn": _urn("aws:cloudwatch/logGroup:LogGroup", "plaintext-form"),
         "type": "aws:cloudwatch/logGroup:LogGroup", "custom": True, "id": "lg-1",
         "provider": f"{provider}::prov-1",
         "inputs": {"kmsKeyId": _secret(plaintext=json.dumps(CANARY)), "retentionInDays": 1, "tags": copies},
         "outputs": {}},
        {"urn": _urn("aws:cloudwatch/logGroup:LogGroup", "value-form"),
         "type": "aws:cloudwatch/logGroup:LogGroup", "custom": True, "id": "lg-2",
         "provider": f"{provider}::prov-1",
         "inputs": {"kmsKeyId": _secret(value=CANARY), "retentionInDays": 1, "tags": encoded},
         "outputs": {}},
        {"urn": _urn("aws:cloudwatch/logGroup:LogGroup", "ciphertext-form"),
         "type": "aws:cloudwatch/logGroup:LogGroup", "custom": True, "id": "lg-3",
         "provider": f"{provider}::prov-1",
         "inputs": {"kmsKeyId": _secret(ciphertext=CONFIG_CIPHERTEXT), "retentionInDays": 1,
                    "tags": {"owner": CONFIG_CIPHERTEXT, "environment": CONFIG_PLAINTEXT}},
         "outputs": {}},
    ]


def state_export() -> dict[str, Any]:
    return {"version": 3, "deployment": {"manifest": {"version": "v3.200.0"},
                                         "resources": _resources()}}


def preview(config: dict[str, str] | None = None) -> dict[str, Any]:
    steps = [{"op": "create", "urn": r["urn"], "newState": r} for r in _resources()]
    return {"config": config or {}, "steps": steps, "changeSummary": {"create": len(steps)}}


def stack_config(path: Path, *, plaintext_credential: bool = False) -> Path:
    """``Pulumi.canary-foundation.yaml`` with a ``secure:`` value and a plaintext credential key."""
    lines = [
        "config:",
        "  aws:region: us-east-1",
        "  supportops:environment: canary",
        "  supportops:phase: foundation",
        "  supportops:crmApiToken:",
        f"    secure: {CONFIG_CIPHERTEXT}",
        f"  aws:secretKey: {CONFIG_PLAINTEXT}",
    ]
    if plaintext_credential:
        lines.append(f"  supportops:crmWebhookSigningKey: {CONFIG_PLAINTEXT}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path
