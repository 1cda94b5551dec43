"""Change tokens a reviewer writes in a campaign's ``changes`` column for a ``modify`` decision, and what
``revoke`` means for each principal kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from supportops.runbooks.access_review.checks import CONNECT, ROLE, USER

# token -> principal kinds it applies to; "=" marks tokens that take a value
TOKENS: dict[str, tuple[str, ...]] = {
    "deactivate-access-keys": (USER,),
    "deactivate-access-key=": (USER,),
    "delete-login-profile": (USER,),
    "detach-policy=": (USER, ROLE),
    "remove-from-group=": (USER,),
    "set-security-profiles=": (CONNECT,),
}
REVOKE: dict[str, tuple[str, ...]] = {
    USER: ("deactivate-access-keys", "delete-login-profile", "remove-from-all-groups", "detach-all-policies"),
    ROLE: ("detach-all-policies",),
    CONNECT: ("set-security-profiles=<runbook revoke_security_profile_id>",),
}
_POLICY_ARN = re.compile(r"^arn:aws[a-z-]*:iam::(aws|\d{12}):policy/.+$")
_KEY_ID = re.compile(r"^[A-Z0-9]{16,128}$")
_PROFILE_IDS = re.compile(r"^[A-Za-z0-9-]{1,100}(,[A-Za-z0-9-]{1,100}){0,9}$")


@dataclass(frozen=True, slots=True)
class Change:
    action: str  # deactivate-access-keys | deactivate-access-key | delete-login-profile | detach-policy |
    #              remove-from-group | set-security-profiles | remove-from-all-groups | detach-all-policies
    value: str = ""

    def token(self) -> str:
        return f"{self.action}={self.value}" if self.value else self.action


def parse_changes(text: str, kind: str) -> list[Change]:
    """``a;b=c`` -> changes; ValueError naming the bad token."""
    changes: list[Change] = []
    for raw in (t.strip() for t in text.split(";")):
        if not raw:
            continue
        action, sep, value = raw.partition("=")
        key = action + sep
        if key not in TOKENS:
            raise ValueError(f"unknown change {raw!r}; known: {', '.join(sorted(TOKENS))}")
        if kind not in TOKENS[key]:
            raise ValueError(f"change {action!r} does not apply to a {kind}")
        if sep and not value:
            raise ValueError(f"change {action!r} needs a value")
        if action == "detach-policy" and not _POLICY_ARN.match(value):
            raise ValueError(f"{value!r} is not a policy ARN")
        if action == "deactivate-access-key" and not _KEY_ID.match(value):
            raise ValueError(f"{value!r} is not an access key id")
        if action == "set-security-profiles" and not _PROFILE_IDS.match(value):
            raise ValueError(f"{value!r} is not a comma-separated list of 1-10 security profile ids")
        change = Change(action, value)
        if change not in changes:
            changes.append(change)
    return changes


def revoke_changes(kind: str, revoke_profile_id: str | None) -> list[Change]:
    if kind == USER:
        return [
            Change("deactivate-access-keys"),
            Change("delete-login-profile"),
            Change("remove-from-all-groups"),
            Change("detach-all-policies"),
        ]
    if kind == ROLE:
        return [Change("detach-all-policies")]
    if kind == CONNECT:
        if not revoke_profile_id:
            raise ValueError(
                "revoking a Connect user needs connect_instances[].revoke_security_profile_id in the "
                "runbook (Connect users keep at least one security profile)"
            )
        return [Change("set-security-profiles", revoke_profile_id)]
    raise ValueError(f"a {kind} cannot be revoked or modified by apply")
