"""The access-review checks: id, title, severity and remediation (data only). Which framework requirements
they evidence is the framework files' business (``runbookChecks: [access-review:<check id>]``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from supportops.findings import Severity, runbook_check_id


@dataclass(frozen=True)
class Check:
    check_id: str
    title: str
    severity: Severity
    remediation: str
    applies_to: tuple[str, ...]  # principal kinds


USER, ROLE, ROOT, CONNECT = "iam-user", "iam-role", "iam-root", "connect-user"

CHECKS: dict[str, Check] = {
    c.check_id: c
    for c in (
        Check(
            "iam_inactive_principal",
            "IAM user inactive beyond the allowed period",
            Severity.HIGH,
            "Remove or disable user accounts inactive for the runbook's inactive_days (PCI 8.2.6: 90 days).",
            (USER,),
        ),
        Check(
            "iam_access_key_not_rotated",
            "Active access key older than the allowed age",
            Severity.HIGH,
            "Rotate the access key (create a new one, switch, deactivate the old one).",
            (USER,),
        ),
        Check(
            "iam_access_key_never_used",
            "Active access key never used",
            Severity.MEDIUM,
            "Deactivate access keys that are not used.",
            (USER,),
        ),
        Check(
            "iam_console_user_without_mfa",
            "Console user without MFA",
            Severity.HIGH,
            "Enable MFA for the user or remove the console password.",
            (USER,),
        ),
        Check(
            "iam_root_account_used",
            "Root user used recently or has active access keys",
            Severity.CRITICAL,
            "Stop using the root user; delete root access keys; use named roles.",
            (ROOT,),
        ),
        Check(
            "iam_admin_privilege",
            "Principal has administrator privileges",
            Severity.HIGH,
            "Grant least privilege: replace administrator access with scoped policies.",
            (USER, ROLE),
        ),
        Check(
            "iam_wildcard_privilege",
            "Principal has wildcard (service-wide) privileges",
            Severity.MEDIUM,
            "Replace service:* and NotAction grants with the actions needed.",
            (USER, ROLE),
        ),
        Check(
            "iam_role_unused",
            "Role unused beyond the allowed period",
            Severity.MEDIUM,
            "Delete roles that are no longer used, or detach their policies.",
            (ROLE,),
        ),
        Check(
            "iam_principal_without_owner",
            "Principal without an owner tag",
            Severity.LOW,
            "Tag the principal with its accountable owner (runbook owners.tag_key).",
            (USER, ROLE),
        ),
        Check(
            "connect_admin_security_profile",
            "Connect user with an administrative security profile",
            Severity.HIGH,
            "Assign the agent or supervisor profile the job needs; keep administration to named admins.",
            (CONNECT,),
        ),
        Check(
            "connect_unredacted_recordings",
            "Connect user can access unredacted recordings or transcripts",
            Severity.HIGH,
            "Remove unredacted recording/transcript permissions; agents must never see raw card data.",
            (CONNECT,),
        ),
        Check(
            "break_glass_principal",
            "Break-glass principal: needs justification",
            Severity.MEDIUM,
            "Record the justification in the runbook and the campaign comment; break-glass access is never "
            "revoked by apply.",
            (USER, ROLE, CONNECT),
        ),
    )
}

COLLECTION_CHECK_ID = "access_review_collection"
CHANGE_CHECK_ID = "access_review_change"  # one applied (or failed) revocation of a signed campaign
KIND: Final = "access-review"
#: Every id the access review's reports carry (``access-review:<check>``): what frameworks may map.
CHECK_IDS: Final = frozenset(
    runbook_check_id(KIND, check) for check in (*CHECKS, COLLECTION_CHECK_ID, CHANGE_CHECK_ID)
)
