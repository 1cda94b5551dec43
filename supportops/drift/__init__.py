"""Drift between a stack's state export and the live account (``supportops drift``)."""
