"""The one exit point for values that leave an inventory: every report, document and text written
by supportops passes through here first (see :mod:`supportops.inventory.secrets`).

Reports are scrubbed as data, before any format renders them, so that a secret cannot be split by
wrapping or escaped into a form the text scrub would miss; text is scrubbed again where it is
written (stdout, ``--out``) as a second line of defence.
"""

from __future__ import annotations

from typing import Any

from supportops.findings import Report
from supportops.inventory.secrets import SecretSet, known_secrets


def redact_report(report: Report, secrets: SecretSet | None = None) -> Report:
    """A copy of ``report`` without secret objects or any known secret (the current scope's by
    default): findings' evidence and messages, problems, inputs, details, waivers."""
    redacted: Report = (known_secrets() if secrets is None else secrets).scrub(report)
    return redacted


def redact_document(document: Any, secrets: SecretSet | None = None) -> Any:
    """JSON-like data (an inventory, a summary) with secrets removed."""
    return (known_secrets() if secrets is None else secrets).scrub(document)


def redact_text(text: str, secrets: SecretSet | None = None) -> str:
    return (known_secrets() if secrets is None else secrets).scrub_text(text)
