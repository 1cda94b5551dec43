"""Fixtures for privacy request tests (see privacy_helpers)."""

from privacy_helpers import close_worlds, crm, crm_token, endpoint

__all__ = ["close_worlds", "crm", "crm_token", "endpoint"]
