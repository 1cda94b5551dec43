"""What GitHub code scanning enforces on an uploaded SARIF file, one function per rule.

Each rule returns the list of violations in a SARIF document (empty: GitHub accepts it on that
count). Sources: GitHub's "SARIF support for code scanning" reference (required properties of
``tool.driver``, ``reportingDescriptor``, ``result``, ``location``, ``physicalLocation``, ``region``)
and "SARIF results exceed one or more limits" (hard limits that reject a whole upload: 20 runs per
file, 25,000 results per run, 25,000 rules per run, 1,000 locations per result, 20 tags per rule,
100 tool extensions per run; gzip-compressed file at most 10 MB). GitHub also shows every result as
an alert whatever its ``kind`` (a pass would be an alert), and rejects an upload when one result has
no location ("locationFromSarifResult: expected at least one location").
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from typing import Any

Rule = Callable[[dict[str, Any]], list[str]]

MAX_RUNS = 20
MAX_RESULTS = 25_000
SHOWN_RESULTS = 5_000  # above this GitHub keeps only the top results by severity
MAX_RULES = 25_000
MAX_LOCATIONS = 1_000
MAX_TAGS = 20
SHOWN_TAGS = 10
MAX_EXTENSIONS = 100
MAX_GZIP_BYTES = 10 * 1024 * 1024
LEVELS = {"error", "warning", "note", "none"}
DEFAULT_LEVELS = {"error", "warning", "note"}
ALERT_KINDS = {"fail", "review", "open"}


def _runs(document: dict[str, Any]) -> list[dict[str, Any]]:
    runs = document.get("runs")
    return runs if isinstance(runs, list) else []


def _results(document: dict[str, Any]) -> list[tuple[int, int, dict[str, Any]]]:
    return [
        (r, i, result)
        for r, run in enumerate(_runs(document))
        for i, result in enumerate(run.get("results") or [])
    ]


def version_and_runs(document: dict[str, Any]) -> list[str]:
    problems = []
    if document.get("version") != "2.1.0":
        problems.append(f"version is {document.get('version')!r}, GitHub accepts only 2.1.0")
    if not isinstance(document.get("runs"), list) or not document["runs"]:
        problems.append("runs must be a non-empty array")
    return problems


def runs_per_file(document: dict[str, Any]) -> list[str]:
    return [f"{len(_runs(document))} runs (max {MAX_RUNS})"] if len(_runs(document)) > MAX_RUNS else []


def driver_name(document: dict[str, Any]) -> list[str]:
    return [
        f"runs[{r}].tool.driver.name is required"
        for r, run in enumerate(_runs(document))
        if not (run.get("tool", {}).get("driver", {}).get("name") or "").strip()
    ]


def results_per_run(document: dict[str, Any]) -> list[str]:
    return [
        f"runs[{r}] has {len(run.get('results') or [])} results (max {MAX_RESULTS})"
        for r, run in enumerate(_runs(document))
        if len(run.get("results") or []) > MAX_RESULTS
    ]


def results_all_shown(document: dict[str, Any]) -> list[str]:
    return [
        f"runs[{r}] has {len(run.get('results') or [])} results: GitHub shows only {SHOWN_RESULTS}"
        for r, run in enumerate(_runs(document))
        if len(run.get("results") or []) > SHOWN_RESULTS
    ]


def rules_per_run(document: dict[str, Any]) -> list[str]:
    return [
        f"runs[{r}] has too many rules"
        for r, run in enumerate(_runs(document))
        if len(run.get("tool", {}).get("driver", {}).get("rules") or []) > MAX_RULES
    ]


def extensions_per_run(document: dict[str, Any]) -> list[str]:
    return [
        f"runs[{r}] has too many tool extensions"
        for r, run in enumerate(_runs(document))
        if len(run.get("tool", {}).get("extensions") or []) > MAX_EXTENSIONS
    ]


def rule_ids_exist(document: dict[str, Any]) -> list[str]:
    """Every result names a rule the driver declares (by id, and by index when given)."""
    problems = []
    for r, i, result in _results(document):
        rules = _runs(document)[r].get("tool", {}).get("driver", {}).get("rules") or []
        ids = [rule.get("id") for rule in rules]
        rule_id = result.get("ruleId")
        if not rule_id:
            problems.append(f"runs[{r}].results[{i}] has no ruleId")
        elif rule_id not in ids:
            problems.append(f"runs[{r}].results[{i}].ruleId {rule_id!r} is not in tool.driver.rules")
        index = result.get("ruleIndex")
        if index is not None and (not 0 <= index < len(ids) or ids[index] != rule_id):
            problems.append(f"runs[{r}].results[{i}].ruleIndex {index} does not point at {rule_id!r}")
    return problems


def unique_rule_ids(document: dict[str, Any]) -> list[str]:
    problems = []
    for r, run in enumerate(_runs(document)):
        ids = [rule.get("id") for rule in run.get("tool", {}).get("driver", {}).get("rules") or []]
        if len(ids) != len(set(ids)):
            problems.append(f"runs[{r}] declares a rule id twice")
    return problems


def message_text(document: dict[str, Any]) -> list[str]:
    return [
        f"runs[{r}].results[{i}].message.text is required"
        for r, i, result in _results(document)
        if not (result.get("message", {}).get("text") or "").strip()
    ]


def a_physical_location(document: dict[str, Any]) -> list[str]:
    """At least one location; GitHub annotates the first one, which needs a physicalLocation."""
    problems = []
    for r, i, result in _results(document):
        locations = result.get("locations") or []
        if not locations:
            problems.append(f"runs[{r}].results[{i}] has no location")
        elif "physicalLocation" not in locations[0]:
            problems.append(f"runs[{r}].results[{i}].locations[0] has no physicalLocation")
        if len(locations) > MAX_LOCATIONS:
            problems.append(f"runs[{r}].results[{i}] has {len(locations)} locations (max {MAX_LOCATIONS})")
    return problems


def _physical_locations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for r, i, result in _results(document):
        for key in ("locations", "relatedLocations"):
            for j, location in enumerate(result.get(key) or []):
                if "physicalLocation" in location:
                    found.append((f"runs[{r}].results[{i}].{key}[{j}]", location["physicalLocation"]))
    return found


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def relative_uris(document: dict[str, Any]) -> list[str]:
    """``artifactLocation.uri`` relative to the repository root (GitHub matches it to a file)."""
    problems = []
    for where, physical in _physical_locations(document):
        artifact = physical.get("artifactLocation") or {}
        uri = artifact.get("uri")
        if not isinstance(uri, str) or not uri:
            problems.append(f"{where}: artifactLocation.uri is required")
            continue
        if _SCHEME.match(uri) and "uriBaseId" not in artifact:
            problems.append(f"{where}: absolute uri {uri!r} without uriBaseId")
        if uri.startswith("/") or "\\" in uri or ".." in uri.split("/"):
            problems.append(f"{where}: uri {uri!r} is not a repository-relative path")
        if artifact.get("uriBaseId") not in (None, "%SRCROOT%"):
            problems.append(f"{where}: uriBaseId {artifact.get('uriBaseId')!r} (GitHub knows %SRCROOT%)")
    return problems


def regions(document: dict[str, Any]) -> list[str]:
    """``region.startLine`` >= 1; other coordinates >= 1 and ordered."""
    problems = []
    for where, physical in _physical_locations(document):
        region = physical.get("region")
        if not isinstance(region, dict) or not isinstance(region.get("startLine"), int):
            problems.append(f"{where}: region.startLine is required")
            continue
        start, end = region["startLine"], region.get("endLine", region["startLine"])
        if start < 1:
            problems.append(f"{where}: startLine {start} < 1")
        for key in ("startColumn", "endColumn", "endLine"):
            if key in region and (not isinstance(region[key], int) or region[key] < 1):
                problems.append(f"{where}: {key} {region[key]!r} < 1")
        if end < start:
            problems.append(f"{where}: endLine {end} before startLine {start}")
        columns = "startColumn" in region and "endColumn" in region
        if end == start and columns and region["endColumn"] <= region["startColumn"]:
            problems.append(f"{where}: empty or reversed column span")
    return problems


def levels(document: dict[str, Any]) -> list[str]:
    problems = []
    for r, i, result in _results(document):
        if "level" in result and result["level"] not in LEVELS:
            problems.append(f"runs[{r}].results[{i}].level {result['level']!r}")
    for r, run in enumerate(_runs(document)):
        for rule in run.get("tool", {}).get("driver", {}).get("rules") or []:
            level = rule.get("defaultConfiguration", {}).get("level", "warning")
            if level not in DEFAULT_LEVELS:
                problems.append(f"runs[{r}] rule {rule.get('id')}: defaultConfiguration.level {level!r}")
    return problems


def only_alerts(document: dict[str, Any]) -> list[str]:
    """GitHub turns every result into an alert: a pass or not-applicable result would be one."""
    return [
        f"runs[{r}].results[{i}] has kind {result.get('kind')!r}"
        for r, i, result in _results(document)
        if result.get("kind", "fail") not in ALERT_KINDS
    ]


def rule_descriptions(document: dict[str, Any]) -> list[str]:
    """GitHub shows shortDescription, fullDescription and help on each alert (all required)."""
    problems = []
    for r, run in enumerate(_runs(document)):
        for rule in run.get("tool", {}).get("driver", {}).get("rules") or []:
            for key in ("shortDescription", "fullDescription", "help"):
                if not (rule.get(key, {}).get("text") or "").strip():
                    problems.append(f"runs[{r}] rule {rule.get('id')}: {key}.text is required")
            if not (rule.get("help", {}).get("markdown") or "").strip():
                problems.append(f"runs[{r}] rule {rule.get('id')}: no help.markdown")
            uri = rule.get("helpUri") or ""
            if not uri.startswith("https://"):
                problems.append(f"runs[{r}] rule {rule.get('id')}: helpUri {uri!r} is not an https URL")
    return problems


def security_severity(document: dict[str, Any]) -> list[str]:
    """``properties.security-severity``: a number 0.0-10.0 given as a string."""
    problems = []
    for run in _runs(document):
        for rule in run.get("tool", {}).get("driver", {}).get("rules") or []:
            value = rule.get("properties", {}).get("security-severity")
            if value is None:
                continue
            try:
                number = float(value)
            except (TypeError, ValueError):
                problems.append(f"rule {rule.get('id')}: security-severity {value!r} is not a number")
                continue
            if not isinstance(value, str) or not 0.0 <= number <= 10.0:
                problems.append(f"rule {rule.get('id')}: security-severity {value!r} outside 0.0-10.0")
    return problems


def tags_per_rule(document: dict[str, Any]) -> list[str]:
    return [
        f"rule {rule.get('id')}: {len(rule['properties']['tags'])} tags (max {SHOWN_TAGS} shown)"
        for run in _runs(document)
        for rule in run.get("tool", {}).get("driver", {}).get("rules") or []
        if len(rule.get("properties", {}).get("tags") or []) > SHOWN_TAGS
    ]


def fingerprints(document: dict[str, Any]) -> list[str]:
    """``partialFingerprints`` values are strings, and no two results of a run share one."""
    problems = []
    for r, run in enumerate(_runs(document)):
        seen: dict[tuple[str, str], int] = {}
        for i, result in enumerate(run.get("results") or []):
            for key, value in (result.get("partialFingerprints") or {}).items():
                if not isinstance(value, str) or not value:
                    problems.append(f"runs[{r}].results[{i}].partialFingerprints.{key} is not a string")
                elif (key, value) in seen:
                    problems.append(
                        f"runs[{r}].results[{i}] repeats the fingerprint of results[{seen[key, value]}]"
                    )
                else:
                    seen[key, value] = i
    return problems


def gzip_size(document: dict[str, Any]) -> list[str]:
    size = len(gzip.compress(json.dumps(document).encode("utf-8")))
    return [f"{size:,} bytes gzip-compressed (max {MAX_GZIP_BYTES:,})"] if size > MAX_GZIP_BYTES else []


RULES: dict[str, Rule] = {
    "version 2.1.0 and runs": version_and_runs,
    "at most 20 runs per file": runs_per_file,
    "tool.driver.name required": driver_name,
    "at most 25,000 results per run": results_per_run,
    "every result shown (at most 5,000)": results_all_shown,
    "at most 25,000 rules per run": rules_per_run,
    "at most 100 tool extensions per run": extensions_per_run,
    "ruleId declared in tool.driver.rules": rule_ids_exist,
    "rule ids unique": unique_rule_ids,
    "message.text required": message_text,
    "a location with physicalLocation (at most 1,000)": a_physical_location,
    "artifactLocation.uri repository-relative": relative_uris,
    "region.startLine >= 1": regions,
    "levels error/warning/note(/none)": levels,
    "results are alerts (no pass, no notApplicable)": only_alerts,
    "rules have short/full description, help and helpUri": rule_descriptions,
    "security-severity between 0.0 and 10.0": security_severity,
    "at most 10 tags per rule (20 hard)": tags_per_rule,
    "partialFingerprints strings, unique per run": fingerprints,
    "at most 10 MB gzip-compressed": gzip_size,
}
