"""Agent and supervisor security profiles cannot reach unredacted recordings or transcripts."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="connect_profile_no_unredacted_access",
    title="Agent and supervisor security profiles have no unredacted recording access",
    severity=Severity.CRITICAL,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "Agents must never see raw card numbers (PCI DSS 3.4.1, 7.2.2): listening to, downloading or "
        "deleting original recordings and transcripts is reserved; supervisors get the redacted "
        "view (RedactedData.View). A profile whose role cannot be told is held to the agent rule."
    ),
    remediation=(
        "aws.connect.SecurityProfile('agent', instance_id=instance.id, name='agent',\n"
        "    permissions=['BasicAgentAccess', 'OutboundCallAccess'], tags={'rbac-role': 'agent'})"
    ),
    resource_types=("aws:connect/securityProfile:SecurityProfile", "aws-native:connect:SecurityProfile"),
)

# Original recordings (listen, download, delete), and screen recordings, which Connect merges with
# the unredacted call audio (AWS: "List of security profile permissions", ScreenRecording.Access).
UNREDACTED_PERMISSIONS = frozenset(
    {"ListenCallRecordings", "DownloadCallRecordings", "DeleteCallRecordings", "ScreenRecording.Access"}
)
PRIVILEGED_ROLES = frozenset({"administrator", "auditor"})


def profile_role(profile: Resource, index: rel.Relations) -> str | None:
    """The RBAC role of a security profile: its ``rbac-role`` tag, else a role word in its name."""
    tagged = index.tags(profile).get("rbac-role")
    if isinstance(tagged, str):
        return tagged.lower()
    name = profile.prop("name", None) or profile.prop("securityProfileName", None) or profile.name
    lowered = str(name).lower()
    for role in ("administrator", "admin", "auditor", "supervisor", "agent"):
        if role in lowered:
            return "administrator" if role == "admin" else role
    return None


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(profile: Resource) -> rel.Verdict:
        role = profile_role(profile, index)
        if role in PRIVILEGED_ROLES:
            return rel.not_applicable(f"the {role} profile is not an agent or supervisor profile")
        permissions = profile.prop("permissions", None)
        if rel.is_unknown(permissions):
            return rel.unknown("permissions")
        held = sorted(UNREDACTED_PERMISSIONS & set(rel.strings(permissions, "permissions")))
        shown = role or "unidentified (treated as agent)"
        if held:
            return rel.failed(
                f"the {shown} profile holds {', '.join(held)}",
                rel.ev("permissions", held, "no unredacted recording permission"),
            )
        return rel.passed(f"the {shown} profile has no unredacted recording access")

    return rel.each(context, META, check)
