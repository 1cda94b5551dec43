"""A data subject's identifiers: parsed strictly, and never shown except as keyed hashes.

Hashes are HMAC-SHA256 under a key kept beside the requests (``.hash-key``, mode 0600): a phone number
has too little entropy for a plain hash to hide it, the keyed hash does, and whoever holds the key
can still check that a filed report is about a given person.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from supportops.errors import BadInput
from supportops.runbooks.privacy.schema import IdKind

_PATTERNS = {
    IdKind.PHONE: (re.compile(r"^\+[1-9][0-9]{6,14}$"), "not an E.164 phone number (+ then 7 to 15 digits)"),
    IdKind.EMAIL: (
        re.compile(
            r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
        ),
        "not an email address",
    ),
    IdKind.CUSTOMER: (
        re.compile(r"^[A-Za-z0-9._:-]{1,128}$"),
        "not a customer id (letters, digits, . _ : -)",
    ),
}
HASH_KEY_NAME = ".hash-key"


@dataclass(frozen=True, order=True)
class Identifier:
    kind: IdKind
    value: str

    def spelled(self) -> str:
        return f"{self.kind.value}:{self.value}"


def parse_identifier(text: str, option: str = "--subject") -> Identifier:
    """``phone:+4915112345678``, ``email:a@example.com`` or ``customer:C-1``; the value is never echoed."""
    kind_text, sep, value = text.strip().partition(":")
    kinds = ", ".join(k.value for k in _PATTERNS)
    if not sep or kind_text not in {k.value for k in _PATTERNS}:
        raise BadInput.at(option, "", f"expected KIND:VALUE with KIND one of {kinds}")
    kind = IdKind(kind_text)
    pattern, problem = _PATTERNS[kind]
    value = value.strip()
    if kind is IdKind.EMAIL:
        value = value.lower()
    if len(value) > 254 or not pattern.fullmatch(value):
        raise BadInput.at(option, "", f"{kind.value} identifier is {problem}")
    return Identifier(kind, value)


@dataclass(frozen=True)
class Hasher:
    key: bytes

    def __call__(self, text: str) -> str:
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()

    def of(self, identifier: Identifier) -> str:
        return self(identifier.spelled())


def load_hasher(directory: Path) -> Hasher:
    """The key under ``directory``, created once (atomically: two first runs agree on one key)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / HASH_KEY_NAME
    if not path.exists():
        temporary = directory / f".{HASH_KEY_NAME}.{secrets.token_hex(4)}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, secrets.token_hex(32).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)  # fails if another run created it first: theirs wins
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    text = path.read_text().strip()
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise BadInput.at(path, "", "the hash key is not 64 hex digits")
    return Hasher(bytes.fromhex(text))
