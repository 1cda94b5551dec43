"""Fixtures for privacy request tests (see privacy_helpers)."""

from privacy_helpers import crm, crm_token, endpoint

__all__ = ["crm", "crm_token", "endpoint"]
