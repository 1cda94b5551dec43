"""Entries that hold secret values are stored sealed, never in cleartext.

A planned inventory may carry the value of a credential the stack config sets in plaintext (a
``crmApiToken`` written without ``--secret``) and its copies in resource inputs. ``plan
--inventory-out`` writes such values as ``[secret]``; the cache must keep them (a rule may judge the
value) without becoming a place where they rest readable. So the entry is encrypted with a key derived
from the secret values themselves: whoever reads the cache without the config cannot read them, and
the run that has the config derives the same key and gets the exact inventory back.

The cipher is SHAKE-256 used as a keystream (key and a random nonce in, as many bytes as the payload
out) with an HMAC-SHA-256 tag over nonce and ciphertext (encrypt-then-MAC): standard-library
primitives only, since the toolkit does not depend on a cryptography package.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable
from typing import Final

MAGIC: Final = b"sealed1\n"
_NONCE_BYTES: Final = 16
_TAG_BYTES: Final = 32


class Unsealable(Exception):
    """The payload was sealed with other secrets, or was altered."""


def _keys(secrets: Iterable[str], context: str) -> tuple[bytes, bytes]:
    material = "\0".join(sorted(set(secrets))).encode("utf-8", "surrogatepass")
    master = hmac.new(material, b"supportops-cache-seal\0" + context.encode(), hashlib.sha256).digest()
    encryption = hmac.new(master, b"encrypt", hashlib.sha256).digest()
    authentication = hmac.new(master, b"authenticate", hashlib.sha256).digest()
    return encryption, authentication


def _xor(data: bytes, key: bytes, nonce: bytes) -> bytes:
    stream = hashlib.shake_256(key + nonce).digest(len(data))
    return (int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")).to_bytes(len(data), "big")


def seal(payload: bytes, secrets: Iterable[str], context: str) -> bytes:
    encryption, authentication = _keys(secrets, context)
    nonce = os.urandom(_NONCE_BYTES)
    body = nonce + _xor(payload, encryption, nonce)
    return MAGIC + hmac.new(authentication, body, hashlib.sha256).digest() + body


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC)


def unseal(data: bytes, secrets: Iterable[str], context: str) -> bytes:
    if not is_sealed(data) or len(data) < len(MAGIC) + _TAG_BYTES + _NONCE_BYTES:
        raise Unsealable("not a sealed entry")
    encryption, authentication = _keys(secrets, context)
    tag = data[len(MAGIC) : len(MAGIC) + _TAG_BYTES]
    body = data[len(MAGIC) + _TAG_BYTES :]
    if not hmac.compare_digest(tag, hmac.new(authentication, body, hashlib.sha256).digest()):
        raise Unsealable("sealed with other secret values, or altered")
    nonce, ciphertext = body[:_NONCE_BYTES], body[_NONCE_BYTES:]
    return _xor(ciphertext, encryption, nonce)
