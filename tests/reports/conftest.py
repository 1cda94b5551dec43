"""Fixtures of the report tests: a moto server on loopback and asymmetric KMS keys in it (see
signing_helpers.py)."""

from signing_helpers import kms_keys, moto_server, moto_url

__all__ = ["kms_keys", "moto_server", "moto_url"]
