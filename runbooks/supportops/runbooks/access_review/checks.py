"""The access-review checks: id, title, severity, PCI DSS 4.0 requirements and remediation (data only)."""

from __future__ import annotations

from dataclasses import dataclass

from supportops.findings import Severity


@dataclass(frozen=True)
class Check:
    check_id: str
    title: str
    severity: Severity
    requirements: tuple[str, ...]
    remediation: str
    applies_to: tuple[str, ...]  # principal kinds


def _pci(*ids: str) -> tuple[str, ...]:
    return tuple(f"pci-dss-4.0:{i}" for i in ids)


USER, ROLE, ROOT, CONNECT = "iam-user", "iam-role", "iam-root", "connect-user"

CHECKS: dict[str, Check] = {
    c.check_id: c
    for c in (
        Check(
            "iam_inactive_principal",
            "IAM user inactive beyond the allowed period",
            Severity.HIGH,
            _pci("8.2.6"),
            "Remove or disable user accounts inactive for the runbook's inactive_days (PCI 8.2.6: 90 days).",
            (USER,),
        ),
        Check(
            "iam_access_key_not_rotated",
            "Active access key older than the allowed age",
            Severity.HIGH,
            _pci("8.3.9", "8.6.3"),
            "Rotate the access key (create a new one, switch, deactivate the old one).",
            (USER,),
        ),
        Check(
            "iam_access_key_never_used",
            "Active access key never used",
            Severity.MEDIUM,
            _pci("8.2.6", "8.6.3"),
            "Deactivate access keys that are not used.",
            (USER,),
        ),
        Check(
            "iam_console_user_without_mfa",
            "Console user without MFA",
            Severity.HIGH,
            _pci("8.4.2"),
            "Enable MFA for the user or remove the console password.",
            (USER,),
        ),
        Check(
            "iam_root_account_used",
            "Root user used recently or has active access keys",
            Severity.CRITICAL,
            _pci("8.2.2", "8.6.1"),
            "Stop using the root user; delete root access keys; use named roles.",
            (ROOT,),
        ),
        Check(
            "iam_admin_privilege",
            "Principal has administrator privileges",
            Severity.HIGH,
            _pci("7.2.1", "7.2.2"),
            "Grant least privilege: replace administrator access with scoped policies.",
            (USER, ROLE),
        ),
        Check(
            "iam_wildcard_privilege",
            "Principal has wildcard (service-wide) privileges",
            Severity.MEDIUM,
            _pci("7.2.2"),
            "Replace service:* and NotAction grants with the actions needed.",
            (USER, ROLE),
        ),
        Check(
            "iam_role_unused",
            "Role unused beyond the allowed period",
            Severity.MEDIUM,
            _pci("7.2.4", "7.2.5.1"),
            "Delete roles that are no longer used, or detach their policies.",
            (ROLE,),
        ),
        Check(
            "iam_principal_without_owner",
            "Principal without an owner tag",
            Severity.LOW,
            _pci("7.2.4", "8.2.1"),
            "Tag the principal with its accountable owner (runbook owners.tag_key).",
            (USER, ROLE),
        ),
        Check(
            "connect_admin_security_profile",
            "Connect user with an administrative security profile",
            Severity.HIGH,
            _pci("7.2.1", "7.2.2"),
            "Assign the agent or supervisor profile the job needs; keep administration to named admins.",
            (CONNECT,),
        ),
        Check(
            "connect_unredacted_recordings",
            "Connect user can access unredacted recordings or transcripts",
            Severity.HIGH,
            _pci("3.4.1", "7.2.2"),
            "Remove unredacted recording/transcript permissions; agents must never see raw card data.",
            (CONNECT,),
        ),
        Check(
            "break_glass_principal",
            "Break-glass principal: needs justification",
            Severity.MEDIUM,
            _pci("7.2.4", "8.2.2"),
            "Record the justification in the runbook and the campaign comment; break-glass access is never "
            "revoked by apply.",
            (USER, ROLE, CONNECT),
        ),
    )
}

COLLECTION_CHECK_ID = "access_review_collection"
