"""checkov's secrets scan over a project: its stack config files and the whole repository (code
included). A plaintext secret is a FAIL (it fails the run unless a waiver with a reason covers it);
checkov unavailable is an ERROR, never a pass."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from supportops.findings import Finding, Severity, Status
from supportops.policies.checkov.findings import SOURCE, run_error, secret_findings
from supportops.policies.checkov.metadata import default_severities
from supportops.policies.checkov.report import CheckResult, parse_report
from supportops.policies.checkov.runner import DEFAULT_TIMEOUT_SECONDS, CheckovUnavailable, run_checkov
from supportops.policies.checkov.scan import CheckovOutcome, apply_platform_waivers, platform_waivers
from supportops.policies.frameworks.model import builtin_index
from supportops.policies.waivers import WaiverSpec

SECRETS_SCAN_CHECK_ID: Final = "CKV_SECRET_SCAN"  # the scan as a whole, when it found nothing
# Regular expressions (checkov --skip-path) for what is not the project's own text: virtual
# environments, build output and caches, the fixtures that are non-compliant on purpose (the
# checkov fixture stack; the corpus of programs our own rules are tested on), and the type
# table generated from the pulumi-aws SDK (property names only, such as "clientSecretArns", which
# checkov's keyword detector takes for assignments).
DEFAULT_EXCLUDES: Final = (
    r"(^|/)\.venv[^/]*/",
    r"(^|/)\.git/",
    r"(^|/)out/",
    r"(^|/)(build|dist)/",
    r"\.egg-info/",
    r"(^|/)\.(mypy|pytest|ruff)_cache/",
    r"(^|/)\.hypothesis/",  # hypothesis's example database: rewritten by every test run
    r"__pycache__/",
    r"(^|/)node_modules/",
    r"(^|/)tests/fixtures/noncompliant/",
    r"(^|/)tests/fixtures/programs/",
    r"(^|/)policies/supportops/policies/checkov/terraform-types\.json$",
)


def scan_secrets(
    root: Path,
    *,
    exclude: Sequence[str] = DEFAULT_EXCLUDES,
    executable: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    waivers: list[WaiverSpec] | None = None,
) -> CheckovOutcome:
    """Scan every file under ``root`` (a project: its ``Pulumi.<stack>.yaml`` config files and its
    code) for plaintext secrets. ``waivers`` default to the platform waivers; ``[]`` applies none."""
    if not root.is_dir():
        return secrets_outcome(None, root, "", failure=f"no such directory: {root}")
    args = ["--framework", "secrets", "-d", str(root), "--enable-secret-scan-all-files"]
    for pattern in exclude:
        args += ["--skip-path", pattern]
    try:
        report = parse_report(run_checkov(args, executable=executable, timeout=timeout, cwd=root).stdout)
    except CheckovUnavailable as error:
        return secrets_outcome(None, root, "", failure=str(error))
    outcome = secrets_outcome(report.checks(), root, report.checkov_version)
    apply_platform_waivers(outcome, platform_waivers() if waivers is None else waivers, None)
    return outcome


def secrets_outcome(
    checks: Sequence[CheckResult] | None, root: Path, version: str, *, failure: str | None = None
) -> CheckovOutcome:
    """The outcome of a secrets scan of ``root`` from checkov's results (FAIL per plaintext secret,
    one PASS when there is none), or, with ``failure``, the ERROR that stands for them."""
    subject = f"path:{root}"
    if failure is not None or checks is None:
        reason = failure or "checkov produced no secrets results"
        error = run_error(subject, reason, title="checkov secrets scan could not run")
        return CheckovOutcome(findings=[error], problems=[f"checkov secrets: {reason}"])
    outcome = CheckovOutcome(checkov_version=version)
    outcome.findings = secret_findings(checks, severities=default_severities(), requirements=builtin_index())
    if not outcome.findings:
        outcome.findings.append(
            Finding(
                check_id=SECRETS_SCAN_CHECK_ID,
                title="No plaintext secret in the stack config files and the repository",
                status=Status.PASS,
                severity=Severity.CRITICAL,
                subject=subject,
                subject_type="checkov:secrets-scan",
                message=f"checkov {version} secrets scan of {root} found no plaintext secret",
                source=SOURCE,
                category="secrets",
                requirements=builtin_index().requirements(SECRETS_SCAN_CHECK_ID),
            )
        )
    return outcome
