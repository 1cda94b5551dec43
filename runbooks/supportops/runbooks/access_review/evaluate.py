"""Evaluation: pure functions from collected records (and the time of the review) to findings per
principal. Nothing here calls AWS."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from supportops.findings import Evidence, Finding, Status
from supportops.runbooks.access_review.checks import CHECKS, COLLECTION_CHECK_ID, CONNECT, ROLE, ROOT, USER
from supportops.runbooks.access_review.inventory import (
    ConnectInventory,
    CredentialRow,
    Grant,
    IamInventory,
    IamRole,
    IamUser,
)
from supportops.runbooks.access_review.schema import Runbook

SOURCE = "access-review"
CREDENTIAL_CHECKS = (
    "iam_inactive_principal",
    "iam_access_key_not_rotated",
    "iam_access_key_never_used",
    "iam_console_user_without_mfa",
)
IAM_CHECKS = (
    *CREDENTIAL_CHECKS,
    "iam_root_account_used",
    "iam_admin_privilege",
    "iam_wildcard_privilege",
    "iam_role_unused",
    "iam_principal_without_owner",
    "break_glass_principal",
)
CONNECT_CHECKS = ("connect_admin_security_profile", "connect_unredacted_recordings", "break_glass_principal")


@dataclass(slots=True)
class Principal:
    """One principal of the campaign, with its findings and suggested changes."""

    account_id: str
    kind: str  # iam-user | iam-role | iam-root | connect-user
    name: str
    arn: str
    instance_id: str = ""
    region: str = ""
    protection: str = ""  # "" | allow-listed | break-glass | root
    findings: list[Finding] = field(default_factory=list)
    suggested: list[str] = field(default_factory=list)

    def failing_checks(self) -> list[str]:
        return [f.check_id for f in self.findings if f.status in (Status.FAIL, Status.ERROR)]


@dataclass(slots=True)
class Evaluation:
    principals: list[Principal] = field(default_factory=list)
    account_findings: list[Finding] = field(default_factory=list)


def finding(
    check_id: str, principal: Principal, status: Status, message: str, evidence: Iterable[Evidence] = ()
) -> Finding:
    check = CHECKS[check_id]
    return Finding(
        check_id=check_id,
        title=check.title,
        status=status,
        severity=check.severity,
        subject=principal.arn,
        subject_type=principal.kind,
        message=message,
        evidence=list(evidence),
        source=SOURCE,
        category="access",
        remediation=check.remediation,
    )


def account_finding(check_id: str, subject: str, status: Status, message: str) -> Finding:
    check = CHECKS.get(check_id)
    return Finding(
        check_id=check_id,
        title=check.title if check else "Access review data collection",
        status=status,
        severity=check.severity if check else CHECKS["iam_admin_privilege"].severity,
        subject=subject,
        subject_type="aws:account",
        message=message,
        source=SOURCE,
        category="access",
        remediation=check.remediation if check else "Grant the review role the documented permissions.",
    )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _days(now: datetime, then: datetime) -> int:
    return (now - then).days


def _protection(runbook: Runbook, arn: str) -> str:
    if runbook.break_glass_entry(arn) is not None:
        return "break-glass"
    return "allow-listed" if runbook.is_allow_listed(arn) else ""


def _effective_grants(
    user_or_role: IamUser | IamRole, inv: IamInventory, runbook: Runbook, groups: tuple[str, ...] = ()
) -> list[tuple[Grant, str]]:
    """Grants with the change that would remove each ("" when only revoke/manual can)."""
    out: list[tuple[Grant, str]] = [(g, "") for g in user_or_role.inline_grants]

    def managed(arn: str, prefix: str) -> list[Grant]:
        if arn in runbook.admin_policy_arns:
            return [
                Grant(f"{prefix}managed:{arn}", "admin", "administrator policy (runbook admin_policy_arns)")
            ]
        return [Grant(f"{prefix}{g.source}", g.level, g.detail) for g in inv.managed_grants.get(arn, ())]

    for arn in user_or_role.attached_policy_arns:
        out.extend((g, f"detach-policy={arn}") for g in managed(arn, ""))
    for name in groups:
        group = inv.groups.get(name)
        if group is None:
            continue
        change = f"remove-from-group={name}"
        out.extend(
            (Grant(f"group:{name}/{g.source}", g.level, g.detail), change) for g in group.inline_grants
        )
        for arn in group.attached_policy_arns:
            out.extend((g, change) for g in managed(arn, f"group:{name}/"))
    return out


def _privilege_findings(principal: Principal, grants: list[tuple[Grant, str]]) -> None:
    for level, check_id in (("admin", "iam_admin_privilege"), ("wildcard", "iam_wildcard_privilege")):
        hits = [(g, c) for g, c in grants if g.level == level]
        if not hits:
            continue
        evidence = [Evidence(path=g.source, observed=g.detail, expected="least privilege") for g, _ in hits]
        principal.findings.append(
            finding(
                check_id,
                principal,
                Status.FAIL,
                f"{len(hits)} {level} grant(s): {hits[0][0].source}",
                evidence,
            )
        )
        for _, change in hits:
            if change and change not in principal.suggested:
                principal.suggested.append(change)


def _owner_finding(principal: Principal, tags: dict[str, str], runbook: Runbook) -> None:
    key = runbook.owners.tag_key
    if not tags.get(key, "").strip():
        principal.findings.append(
            finding(
                "iam_principal_without_owner",
                principal,
                Status.FAIL,
                f"no {key!r} tag",
                [Evidence(path=f"Tags.{key}", observed=None, expected="accountable owner")],
            )
        )


def _break_glass_finding(
    principal: Principal, runbook: Runbook, last_used: datetime | None, now: datetime | None
) -> None:
    """``now`` is None where the source has no last-used date (Connect): only the justification counts."""
    entry = runbook.break_glass_entry(principal.arn)
    if entry is None:
        return
    limit = runbook.thresholds.inactive_days
    used_recently = last_used is not None and now is not None and _days(now, last_used) < limit
    evidence = [
        Evidence("runbook.break_glass.justification", entry.justification or None, "non-empty"),
        Evidence("lastUsed", _iso(last_used), None),
    ]
    if not entry.justification or used_recently:
        why = "used since the last review" if used_recently else "no justification in the runbook"
        principal.findings.append(
            finding(
                "break_glass_principal",
                principal,
                Status.FAIL,
                f"break-glass principal {why}: justify it in the campaign",
                evidence,
            )
        )
    else:
        principal.findings.append(
            finding(
                "break_glass_principal",
                principal,
                Status.PASS,
                "break-glass principal justified and unused",
                evidence,
            )
        )


def _credential_findings(principal: Principal, row: CredentialRow, runbook: Runbook, now: datetime) -> None:
    limits = runbook.thresholds
    last = row.last_activity()
    basis = last or row.created
    if basis is not None and _days(now, basis) >= limits.inactive_days:
        principal.findings.append(
            finding(
                "iam_inactive_principal",
                principal,
                Status.FAIL,
                f"no activity for {_days(now, basis)} days (limit {limits.inactive_days})",
                [
                    Evidence("password_last_used", _iso(row.password_last_used)),
                    *(Evidence(f"access_key_{k.slot}_last_used_date", _iso(k.last_used)) for k in row.keys),
                    Evidence("user_creation_time", _iso(row.created)),
                    Evidence("daysInactive", _days(now, basis), f"< {limits.inactive_days}"),
                ],
            )
        )
        principal.suggested.append("revoke")
    old = [
        k
        for k in row.keys
        if k.active
        and k.last_rotated is not None
        and _days(now, k.last_rotated) >= limits.access_key_max_age_days
    ]
    if old:
        principal.findings.append(
            finding(
                "iam_access_key_not_rotated",
                principal,
                Status.FAIL,
                f"access key(s) {', '.join(str(k.slot) for k in old)} older than "
                f"{limits.access_key_max_age_days} days",
                [
                    Evidence(
                        f"access_key_{k.slot}_last_rotated",
                        _iso(k.last_rotated),
                        f"within {limits.access_key_max_age_days} days",
                    )
                    for k in old
                ],
            )
        )
    unused = [
        k
        for k in row.keys
        if k.active
        and k.last_used is None
        and (k.last_rotated is None or _days(now, k.last_rotated) >= limits.unused_key_grace_days)
    ]
    if unused:
        principal.findings.append(
            finding(
                "iam_access_key_never_used",
                principal,
                Status.FAIL,
                f"active access key(s) {', '.join(str(k.slot) for k in unused)} never used",
                [
                    Evidence(f"access_key_{k.slot}_last_used_date", None, "used, or deactivated")
                    for k in unused
                ],
            )
        )
    if old or unused:
        principal.suggested.append("deactivate-access-keys")
    if row.password_enabled and not row.mfa_active:
        principal.findings.append(
            finding(
                "iam_console_user_without_mfa",
                principal,
                Status.FAIL,
                "console password without MFA",
                [Evidence("password_enabled", True), Evidence("mfa_active", False, "true")],
            )
        )
        principal.suggested.append("delete-login-profile")


def _root_principal(row: CredentialRow, account_id: str, runbook: Runbook, now: datetime) -> Principal:
    principal = Principal(
        account_id, ROOT, "<root_account>", row.arn or f"arn:aws:iam::{account_id}:root", protection="root"
    )
    days = runbook.thresholds.root_usage_days
    recent = [
        (p, d)
        for p, d in [
            ("password_last_used", row.password_last_used),
            *((f"access_key_{k.slot}_last_used_date", k.last_used) for k in row.keys),
        ]
        if d is not None and _days(now, d) < days
    ]
    active_keys = [k for k in row.keys if k.active]
    evidence = [Evidence(p, _iso(d), f"not within {days} days") for p, d in recent]
    evidence += [Evidence(f"access_key_{k.slot}_active", True, "false") for k in active_keys]
    if recent or active_keys:
        principal.findings.append(
            finding(
                "iam_root_account_used",
                principal,
                Status.FAIL,
                "root user used recently or has active access keys",
                evidence,
            )
        )
    else:
        principal.findings.append(
            finding(
                "iam_root_account_used",
                principal,
                Status.PASS,
                f"root not used in {days} days and has no active access keys",
            )
        )
    return principal


def evaluate_iam(
    inv: IamInventory,
    rows: Iterable[CredentialRow] | None,
    runbook: Runbook,
    now: datetime,
    report_problem: str | None = None,
) -> Evaluation:
    """Findings for every user, role and the root user of one account."""
    result = Evaluation()
    account = inv.account_id
    by_arn: dict[str, CredentialRow] = {}
    root_row: CredentialRow | None = None
    for line in rows or ():
        if line.is_root:
            root_row = line
        else:
            by_arn[line.arn] = line
    account_subject = f"arn:aws:iam::{account}:root"
    if rows is None:
        for check_id in (*CREDENTIAL_CHECKS, "iam_root_account_used"):
            result.account_findings.append(
                account_finding(
                    check_id,
                    account_subject,
                    Status.ERROR,
                    f"credential report unavailable: {report_problem}",
                )
            )
    if root_row is not None:
        result.principals.append(_root_principal(root_row, account, runbook, now))

    for user in sorted(inv.users.values(), key=lambda u: u.arn):
        principal = Principal(account, USER, user.name, user.arn, protection=_protection(runbook, user.arn))
        row = by_arn.get(user.arn)
        if row is not None:
            _credential_findings(principal, row, runbook, now)
        elif rows is not None:
            principal.findings.append(
                finding(
                    "iam_inactive_principal",
                    principal,
                    Status.ERROR,
                    "user missing from the credential report (created after it was generated?): "
                    "credential checks not evaluated",
                )
            )
        _privilege_findings(principal, _effective_grants(user, inv, runbook, user.groups))
        _owner_finding(principal, user.tags, runbook)
        _break_glass_finding(principal, runbook, row.last_activity() if row else None, now)
        result.principals.append(principal)

    for role in sorted(inv.roles, key=lambda r: r.arn):
        principal = Principal(account, ROLE, role.name, role.arn, protection=_protection(runbook, role.arn))
        if not role.service_linked:
            basis = role.last_used or role.created
            limit = runbook.thresholds.role_unused_days
            if basis is not None and _days(now, basis) >= limit:
                principal.findings.append(
                    finding(
                        "iam_role_unused",
                        principal,
                        Status.FAIL,
                        f"unused for {_days(now, basis)} days (limit {limit})",
                        [
                            Evidence(
                                "RoleLastUsed.LastUsedDate", _iso(role.last_used), f"within {limit} days"
                            ),
                            Evidence("CreateDate", _iso(role.created)),
                        ],
                    )
                )
                principal.suggested.append("revoke")
            _privilege_findings(principal, _effective_grants(role, inv, runbook))
            if runbook.owners.required_for_roles:
                _owner_finding(principal, role.tags, runbook)
        _break_glass_finding(principal, runbook, role.last_used, now)
        result.principals.append(principal)
    return result


def evaluate_connect(inv: ConnectInventory, runbook: Runbook) -> Evaluation:
    result = Evaluation()
    admin_perms = set(runbook.connect.admin_permissions)
    unredacted_perms = set(runbook.connect.unredacted_permissions)
    for user in sorted(inv.users, key=lambda u: u.arn):
        principal = Principal(
            inv.account_id,
            CONNECT,
            user.username,
            user.arn,
            instance_id=inv.instance_id,
            region=inv.region,
            protection=_protection(runbook, user.arn),
        )
        unknown = [p for p in user.security_profile_ids if p not in inv.profile_permissions]
        if unknown:
            principal.findings.append(
                finding(
                    "connect_admin_security_profile",
                    principal,
                    Status.ERROR,
                    f"security profile(s) not listed by the instance: {', '.join(unknown)}",
                )
            )
        risky: set[str] = set()
        for check_id, wanted in (
            ("connect_admin_security_profile", admin_perms),
            ("connect_unredacted_recordings", unredacted_perms),
        ):
            hits = {
                pid: sorted(inv.profile_permissions.get(pid, frozenset()) & wanted)
                for pid in user.security_profile_ids
            }
            hits = {pid: perms for pid, perms in hits.items() if perms}
            if hits:
                risky.update(hits)
                principal.findings.append(
                    finding(
                        check_id,
                        principal,
                        Status.FAIL,
                        "security profile(s) " + ", ".join(inv.profile_names.get(p, p) for p in sorted(hits)),
                        [
                            Evidence(
                                f"SecurityProfiles.{inv.profile_names.get(pid, pid)}", perms, "none of these"
                            )
                            for pid, perms in sorted(hits.items())
                        ],
                    )
                )
        keep = [p for p in user.security_profile_ids if p not in risky]
        if risky and keep:
            principal.suggested.append("set-security-profiles=" + ",".join(keep))
        _break_glass_finding(principal, runbook, None, None)
        result.principals.append(principal)
    return result


def summarize(evaluation: Evaluation, checks: Iterable[str], subject: str, kinds_present: set[str]) -> None:
    """One PASS finding per check that ran and failed nobody, so the report shows what was checked."""
    failed = {f.check_id for p in evaluation.principals for f in p.findings if f.status is not Status.PASS}
    failed |= {f.check_id for f in evaluation.account_findings}
    for check_id in checks:
        check = CHECKS[check_id]
        if (
            check_id in failed
            or not (set(check.applies_to) & kinds_present)
            or check_id == "break_glass_principal"
        ):
            continue
        if check_id == "iam_root_account_used":
            continue  # the root principal carries its own PASS/FAIL when the report has a root row
        evaluation.account_findings.append(
            account_finding(check_id, subject, Status.PASS, "no principal in scope fails this check")
        )


def collection_error(subject: str, message: str) -> Finding:
    return account_finding(COLLECTION_CHECK_ID, subject, Status.ERROR, message)
