"""One checkov process for a whole run: the plans of every stack and the repository secrets scan,
each answered from the cache where nothing changed.

A plan is cut into units (:mod:`.units`); a unit whose key is cached needs no scan. The secrets scan
lists its files (:mod:`.secret_files`); a file whose content is cached needs no scan. Whatever is left
(partial plans of the changed units, the changed files) goes to ONE checkov invocation with both
frameworks, and its results are routed back by file and stored. With nothing left, checkov does not
run at all. Results are assembled in the same order whether they came from the cache or from checkov,
so a cached run and a ``--no-cache`` run give the same findings.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from supportops.cache.keys import digest
from supportops.cache.store import Cache
from supportops.inventory.model import Inventory
from supportops.policies.checkov.findings import resource_findings, run_error
from supportops.policies.checkov.metadata import default_severities
from supportops.policies.checkov.plan import PlanConversion, sanitize_name, to_terraform_plan
from supportops.policies.checkov.report import CheckovReport, CheckResult, CheckResultValue, parse_report
from supportops.policies.checkov.runner import (
    DEFAULT_TIMEOUT_SECONDS,
    OFFLINE_ARGS,
    CheckovProcess,
    CheckovUnavailable,
    find_checkov,
    installed_checkov_version,
    offline_environment,
)
from supportops.policies.checkov.scan import CheckovOutcome, apply_platform_waivers, platform_waivers
from supportops.policies.checkov.secret_files import content_digests, scanned_files
from supportops.policies.checkov.secrets import DEFAULT_EXCLUDES, secrets_outcome
from supportops.policies.checkov.units import Unit, partial_plan, plan_units
from supportops.policies.frameworks.model import builtin_index
from supportops.policies.waivers import WaiverSpec
from supportops.version import __version__

PLAN_NAMESPACE: Final = "checkov-plan"
SECRETS_NAMESPACE: Final = "checkov-secrets"
SECRETS_ARGS: Final = ("--enable-secret-scan-all-files",)
_RESULT_ORDER: Final = {CheckResultValue.FAILED: 0, CheckResultValue.PASSED: 1, CheckResultValue.SKIPPED: 2}
_KEPT_FIELDS: Final = {
    "check_id", "check_name", "check_result", "resource", "resource_address", "file_line_range", "guideline",
}


@dataclass
class JointScan:
    plans: dict[str, CheckovOutcome] = field(default_factory=dict)  # by stack
    secrets: CheckovOutcome | None = None
    resources_scanned: int = 0
    resources_cached: int = 0
    files_scanned: int = 0
    files_cached: int = 0
    checkov_runs: int = 0
    checkov_seconds: float = 0.0


def checkov_identity(executable: Path | None) -> dict[str, Any]:
    """What checkov's results depend on besides their input: its version (or, for an executable we
    cannot read a version from, its content), our version and arguments, its environment knobs."""
    try:
        program = executable or find_checkov()
    except CheckovUnavailable:
        program = None
    version: str | None = None
    if program is not None:
        version = installed_checkov_version(program)
        if version is None:
            try:
                version = "sha256:" + hashlib.sha256(program.read_bytes()).hexdigest()
            except OSError:
                version = None
    knobs = {k: v for k, v in offline_environment().items() if k.startswith(("CKV_", "BC_", "CHECKOV_"))}
    return {"checkov": version, "supportops": __version__, "args": OFFLINE_ARGS, "env": knobs}


@dataclass
class _PlanJob:
    stack: str
    inventory: Inventory
    conversion: PlanConversion
    units: list[Unit]
    cached: dict[str, list[CheckResult]]  # unit key -> results
    stale: list[Unit]
    file: Path | None = None
    fresh: list[CheckResult] = field(default_factory=list)
    parsing_errors: int = 0


def _load_results(cache: Cache, namespace: str, key: str) -> list[CheckResult] | None:
    payload = cache.get(namespace, key)
    if payload is None:
        return None
    try:
        return [CheckResult.model_validate(item) for item in json.loads(payload)]
    except (ValueError, TypeError, ValidationError) as error:
        cache.discard(namespace, key, f"unusable checkov results ({type(error).__name__})")
        return None


def _dump(results: Sequence[CheckResult]) -> list[dict[str, Any]]:
    return [r.model_dump(include=_KEPT_FIELDS, mode="json") for r in results]


def _address(check: CheckResult) -> str:
    return check.resource_address or check.resource


def _ordered(results: Sequence[CheckResult]) -> list[CheckResult]:
    return sorted(results, key=lambda c: (_address(c), _RESULT_ORDER[c.check_result.result], c.check_id))


def _plan_job(stack: str, inventory: Inventory, cache: Cache, context: dict[str, Any]) -> _PlanJob:
    conversion = to_terraform_plan(inventory)
    planned = {r["address"] for r in conversion.plan["planned_values"]["root_module"]["resources"]}
    providers = sorted(a for a in conversion.addresses if a not in planned)
    units = plan_units(conversion.plan, providers, context)
    cached: dict[str, list[CheckResult]] = {}
    stale: list[Unit] = []
    for unit in units:
        found = _load_results(cache, PLAN_NAMESPACE, unit.key)
        if found is None:
            stale.append(unit)
        else:
            cached[unit.key] = found
    return _PlanJob(stack, inventory, conversion, units, cached, stale)


def scan_stacks(
    inventories: Mapping[str, Inventory],
    *,
    secrets_root: Path | None,
    cache: Cache,
    process: CheckovProcess | None = None,
    executable: Path | None = None,
    exclude: Sequence[str] = DEFAULT_EXCLUDES,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    waivers: list[WaiverSpec] | None = None,
) -> JointScan:
    """checkov over every inventory (by stack) and the secrets of ``secrets_root``, in one process."""
    process = process or CheckovProcess(executable)
    context = checkov_identity(executable)
    joint = JointScan()
    jobs = [_plan_job(stack, inventory, cache, context) for stack, inventory in inventories.items()]
    secrets = _SecretsJob.prepare(secrets_root, exclude, cache, context) if secrets_root is not None else None
    with tempfile.TemporaryDirectory(prefix="supportops-checkov-") as workdir:
        args: list[str] = []
        frameworks: list[str] = []
        for index, job in enumerate(jobs):
            if not job.stale:
                continue
            addresses = {a for unit in job.stale if _is_resource_unit(unit) for a in unit.addresses}
            job.file = Path(workdir) / f"{index}-{sanitize_name(job.stack)}.json"
            plan = partial_plan(job.conversion.plan, addresses)
            job.file.write_text(json.dumps(plan, separators=(",", ":")), encoding="utf-8")
            args += ["-f", str(job.file)]
        if args:
            frameworks.append("terraform_plan")
        if secrets is not None and secrets.stale:
            frameworks.append("secrets")
            args += [*SECRETS_ARGS, *(item for name in secrets.stale for item in ("-f", name))]
        failure: str | None = None
        report = CheckovReport()
        if frameworks:
            cwd = secrets.root if secrets is not None else Path(workdir)
            started = time.perf_counter()
            try:
                run = process.run(["--framework", *frameworks, *args], cwd=cwd, timeout=timeout)
                report = parse_report(run.stdout)
            except CheckovUnavailable as error:
                failure = str(error)
            joint.checkov_runs = 1
            joint.checkov_seconds = time.perf_counter() - started
        else:
            process.close()
        _route(report, jobs, secrets)
    version = report.checkov_version or str(context["checkov"] or "")
    specs = platform_waivers() if waivers is None else waivers  # read once for every outcome
    for job in jobs:
        outcome = _plan_outcome(job, cache, failure, version)
        apply_platform_waivers(outcome, specs, job.inventory)
        joint.plans[job.stack] = outcome
        stale = {a for unit in job.stale if _is_resource_unit(unit) for a in unit.addresses}
        joint.resources_scanned += len(stale)
        joint.resources_cached += job.conversion.resource_count - len(stale)
    if secrets is not None:
        joint.secrets = secrets.outcome(cache, failure, version)
        apply_platform_waivers(joint.secrets, specs, None)
        joint.files_scanned = len(secrets.stale)
        joint.files_cached = len(secrets.files) - len(secrets.stale)
    cache.trim()
    return joint


def _is_resource_unit(unit: Unit) -> bool:
    return not unit.providers


def _route(report: CheckovReport, jobs: list[_PlanJob], secrets: _SecretsJob | None) -> None:
    by_file = {str(job.file.resolve()): job for job in jobs if job.file is not None}
    for framework in report.frameworks:
        results = framework.results
        checks = [*results.failed_checks, *results.passed_checks, *results.skipped_checks]
        if framework.check_type == "terraform_plan":
            for check in checks:
                job = by_file.get(_real(check.file_abs_path))
                if job is not None:
                    job.fresh.append(check)
            for error in results.parsing_errors:
                job = by_file.get(_real(error))
                if job is not None:
                    job.parsing_errors += 1
        elif framework.check_type == "secrets" and secrets is not None:
            for check in results.failed_checks:
                secrets.add(check)


def _real(path: str | None) -> str:
    return os.path.realpath(path) if path else ""


def _plan_outcome(job: _PlanJob, cache: Cache, failure: str | None, version: str) -> CheckovOutcome:
    subject = f"stack:{job.stack}"
    outcome = CheckovOutcome(problems=job.conversion.problems(), checkov_version=version)
    if job.stale and failure is not None:
        outcome.problems.append(f"checkov: {failure}")
        outcome.findings.append(run_error(subject, failure))
        return outcome
    fresh_by_address: dict[str, list[CheckResult]] = defaultdict(list)
    for check in job.fresh:
        fresh_by_address[_address(check)].append(check)
    # Nothing is stored from a plan checkov could not parse, or on whose resources it ran no check.
    storable = job.parsing_errors == 0 and (bool(job.fresh) or not any(map(_is_resource_unit, job.stale)))
    checks: list[CheckResult] = []
    claimed: set[str] = set()
    for unit in job.units:
        if unit.key in job.cached:
            unit_checks = job.cached[unit.key]
        else:
            unit_checks = _ordered([c for a in unit.addresses for c in fresh_by_address.get(a, [])])
            if storable:
                cache.put(PLAN_NAMESPACE, unit.key, json.dumps(_dump(unit_checks)).encode("utf-8"))
        claimed |= unit.addresses
        checks.extend(unit_checks)
    checks.extend(c for c in job.fresh if _address(c) not in claimed)  # reported as "not in the plan"
    findings, problems = resource_findings(
        checks,
        addresses=job.conversion.addresses,
        inventory=job.inventory,
        severities=default_severities(),
        requirements=builtin_index(),
    )
    outcome.findings.extend(findings)
    outcome.problems.extend(problems)
    if job.parsing_errors:
        reason = f"checkov could not parse the plan ({job.parsing_errors} parsing error(s))"
        outcome.problems.append(f"checkov: {reason}")
        outcome.findings.append(run_error(subject, reason))
    elif job.conversion.resource_count and not findings:
        reason = f"checkov ran no check on the {job.conversion.resource_count} resources of the plan"
        outcome.problems.append(f"checkov: {reason}")
        outcome.findings.append(run_error(subject, reason))
    return outcome


@dataclass
class _SecretsJob:
    root: Path
    shown: Path  # the root as the user gave it (reports name it so)
    key: str
    files: list[str]
    digests: dict[str, str | None]
    index: dict[str, Any]  # path -> {"sha": ..., "results": [...]}
    stale: list[str]
    fresh: dict[str, list[CheckResult]] = field(default_factory=dict)

    @classmethod
    def prepare(
        cls, shown: Path, exclude: Sequence[str], cache: Cache, context: dict[str, Any]
    ) -> _SecretsJob:
        root = shown.resolve()
        key = digest(context, SECRETS_NAMESPACE, SECRETS_ARGS, str(root), list(exclude))
        files = scanned_files(root, exclude) if root.is_dir() else []
        digests = content_digests(root, files)
        index: dict[str, Any] = {}
        payload = cache.get(SECRETS_NAMESPACE, key)
        if payload is not None:
            try:
                loaded = json.loads(payload)
                index = loaded if isinstance(loaded, dict) else {}
            except ValueError:
                cache.discard(SECRETS_NAMESPACE, key, "unusable secrets index")
        stale = [name for name in files if digests[name] is None or _sha(index.get(name)) != digests[name]]
        return cls(root, shown, key, files, digests, index, stale)

    def add(self, check: CheckResult) -> None:
        path = _real(check.file_abs_path)
        try:
            relative = Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return  # one of our plan files, scanned by the same process: not the repository's
        if relative in self.stale:
            self.fresh.setdefault(relative, []).append(check)

    def outcome(self, cache: Cache, failure: str | None, version: str) -> CheckovOutcome:
        if not self.root.is_dir():
            return secrets_outcome(None, self.shown, version, failure=f"no such directory: {self.root}")
        if self.stale and failure is not None:
            return secrets_outcome(None, self.shown, version, failure=failure)
        checks: list[CheckResult] = []
        index: dict[str, Any] = {}
        for name in self.files:
            if name in self.stale:
                results = sorted(
                    self.fresh.get(name, []), key=lambda c: (c.file_line_range, c.check_id, c.resource)
                )
                for check in results:
                    check.file_path = f"/{name}"
                    check.file_abs_path = None
            else:
                try:
                    results = [CheckResult.model_validate(r) for r in self.index[name]["results"]]
                    for check in results:
                        check.file_path = f"/{name}"
                except (ValidationError, TypeError, KeyError):
                    cache.discard(SECRETS_NAMESPACE, self.key, "unusable secrets index entry")
                    reason = "the cached secrets index was unusable"
                    return secrets_outcome(None, self.shown, version, failure=reason)
            if self.digests[name] is not None:
                index[name] = {"sha": self.digests[name], "results": _dump(results)}
            checks.extend(results)
        if self.stale:
            cache.put(SECRETS_NAMESPACE, self.key, json.dumps(index, separators=(",", ":")).encode("utf-8"))
        return secrets_outcome(checks, self.shown, version)


def _sha(entry: Any) -> Any:
    return entry.get("sha") if isinstance(entry, dict) else None
