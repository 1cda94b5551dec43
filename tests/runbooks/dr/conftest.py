"""Fixtures for DR drill tests (see dr_helpers)."""

from dr_helpers import aws, endpoint

__all__ = ["aws", "endpoint"]
