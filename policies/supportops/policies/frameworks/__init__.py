"""Compliance frameworks as data: one YAML file per framework mapping requirements to rule ids
(``model.py`` validates and loads them, ``coverage.py`` turns findings into requirement results)."""
