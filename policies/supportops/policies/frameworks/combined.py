"""One control matrix over several evidence bundles: a compliance run and the access reviews, DR drills
and privacy requests that evidence the procedural requirements.

Every bundle is verified before it is read (:func:`supportops.reports.reader.load_bundle`); the
findings of all of them are mapped afresh through today's framework files (the one mapping), so a
requirement whose runbook evidence is among the bundles is evidence-backed, and one whose evidence is
missing still says so (MANUAL with the evidence to collect).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from supportops.findings import Finding, InputRecord, Report
from supportops.policies.frameworks.coverage import control_matrix
from supportops.policies.frameworks.model import Framework, builtin_framework_paths, builtin_frameworks
from supportops.reports.evidence import sha256_file
from supportops.reports.reader import LoadedBundle, load_bundle
from supportops.version import __version__

KIND = "control-matrix"


def combined_report(
    paths: Sequence[Path], frameworks: Sequence[Framework] | None = None
) -> Report:
    """The control matrix of the bundles at ``paths`` (each verified first)."""
    bundles = [load_bundle(path) for path in paths]
    chosen = list(builtin_frameworks() if frameworks is None else frameworks)
    findings: list[Finding] = []
    problems: list[str] = []
    inputs: list[InputRecord] = []
    for bundle in bundles:
        report = bundle.report
        for finding in report.findings:
            finding.requirements = []  # mapped again below, by the framework files of this run
            findings.append(finding)
        problems.extend(f"{bundle.path.name}: {problem}" for problem in report.problems)
        left_out = report.details.get("belowMinSeverity")
        if isinstance(left_out, int) and left_out > 0:
            problems.append(f"{bundle.path.name}: {left_out} findings below the run's --min-severity are not "
                            "in the bundle and not counted here")
        manifest = str(bundle.path / "manifest.json")
        inputs.append(InputRecord(manifest, bundle.manifest_sha256, "evidence-bundle"))
        inputs.extend(i for i in report.inputs if i not in inputs)
    known = {p.stem: p for p in builtin_framework_paths()}
    inputs.extend(InputRecord(f"{f.id}.yaml", sha256_file(known[f.id]), "framework")
                  for f in chosen if f.id in known)
    reports = [b.report for b in bundles]
    return Report(
        kind=KIND,
        title=f"Control matrix of {len(reports)} evidence bundle{'s' * (len(reports) != 1)}: "
        + ", ".join(_kinds(reports)),
        subject=", ".join(dict.fromkeys(r.subject for r in reports)),
        generated_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        findings=findings,
        frameworks=control_matrix(findings, chosen),
        waivers=[w for r in reports for w in r.waivers],
        inputs=inputs,
        problems=problems,
        details={"bundles": [_bundle_details(b) for b in bundles]},
    )


def _kinds(reports: Sequence[Report]) -> list[str]:
    counts = Counter(r.kind for r in reports)
    return [f"{n} {kind}" if n > 1 else kind for kind, n in counts.items()]


def _bundle_details(bundle: LoadedBundle) -> dict[str, Any]:
    report = bundle.report
    return {
        "path": str(bundle.path),
        "kind": report.kind,
        "subject": report.subject,
        "generatedAt": report.generated_at,
        "manifestSha256": bundle.manifest_sha256,
        "findings": len(report.findings),
    }
