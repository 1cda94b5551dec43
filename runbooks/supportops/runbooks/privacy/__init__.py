"""GDPR data-subject requests: find a subject in every store of the data map, erase or export.

``data_map.yaml`` (beside this file) says, per store, how a subject is found and how their data is
erased; :mod:`.request` plans, executes (journalled, resumable) and verifies a request.
"""
