"""Compliance frameworks as data: one YAML file per framework listing, per requirement, the checks of
every source that evidence it (rules, checkov ids, runbook checks). ``model.py`` validates and loads
them, ``coverage.py`` turns findings into requirement results (the control matrix), ``combined.py``
builds one matrix over several evidence bundles."""
