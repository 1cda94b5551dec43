"""Security profiles as RBAC roles: each role's Amazon Connect permission list, kept as data.

Permission names are the API names of Amazon Connect's security-profile permissions
(ListSecurityProfilePermissions). Lists are least privilege for the role's job; the unredacted
recording/transcript permissions are held by no role, and agents and supervisors are checked never
to hold them (redacted output is what Contact Lens produces anyway: AnalyticsRedactionResults
RedactedOnly in every flow).
"""

from __future__ import annotations

from types import MappingProxyType

from supportops.stacks.config.model import SecurityRole

# Listening to / downloading / deleting original (unredacted) recordings and transcripts.
UNREDACTED_CONTENT_PERMISSIONS = frozenset(
    # ScreenRecording.Access also plays the unredacted call audio alongside the screen recording.
    {"ListenCallRecordings", "DownloadCallRecordings", "DeleteCallRecordings", "ScreenRecording.Access"}
)
REDACTED_CONTENT_PERMISSION = "RedactedData.View"

_AGENT = (
    "BasicAgentAccess",
    "OutboundCallAccess",
    "TransferDestinations.View",
    "ContactAttributes.View",
    "MyContacts.View",
    "CustomerProfiles.View",
)

_SUPERVISOR = (
    *_AGENT,
    "AccessMetrics",
    "RealtimeContactLens.View",
    "ContactLensPostContactSummary.View",
    "ContactSearch.View",
    REDACTED_CONTENT_PERMISSION,
    "ManagerListenIn",
    "Queues.View",
    "RoutingPolicies.View",
    "Users.View",
    "MetricsReports.View",
)

_ADMINISTRATOR = (
    "Queues.Create",
    "Queues.Edit",
    "Queues.View",
    "RoutingPolicies.Create",
    "RoutingPolicies.Edit",
    "RoutingPolicies.View",
    "TransferDestinations.Create",
    "TransferDestinations.Edit",
    "TransferDestinations.View",
    "HoursOfOperation.Create",
    "HoursOfOperation.Edit",
    "HoursOfOperation.View",
    "ContactFlows.View",
    "ContactFlowModules.View",
    "Users.Create",
    "Users.Edit",
    "Users.View",
    "SecurityProfiles.View",
    "AccessMetrics",
)

_AUDITOR = (
    "Queues.View",
    "RoutingPolicies.View",
    "TransferDestinations.View",
    "HoursOfOperation.View",
    "ContactFlows.View",
    "ContactFlowModules.View",
    "Users.View",
    "SecurityProfiles.View",
    "ContactSearch.View",
    REDACTED_CONTENT_PERMISSION,
    "MetricsReports.View",
)

ROLE_PERMISSIONS: MappingProxyType[SecurityRole, tuple[str, ...]] = MappingProxyType(
    {
        SecurityRole.AGENT: _AGENT,
        SecurityRole.SUPERVISOR: _SUPERVISOR,
        SecurityRole.ADMINISTRATOR: _ADMINISTRATOR,
        SecurityRole.AUDITOR: _AUDITOR,
    }
)

ROLE_DESCRIPTIONS: MappingProxyType[SecurityRole, str] = MappingProxyType(
    {
        SecurityRole.AGENT: "Handles contacts in the agent workspace; no recording access",
        SecurityRole.SUPERVISOR: "Monitors queues and agents; redacted recordings and transcripts only",
        SecurityRole.ADMINISTRATOR: "Configures queues, routing, hours and users; no contact content",
        SecurityRole.AUDITOR: "Read-only review of configuration and redacted contacts",
    }
)

# Roles that must never be able to reach unredacted customer content.
NO_UNREDACTED_ACCESS = frozenset({SecurityRole.AGENT, SecurityRole.SUPERVISOR})


def permissions_for(role: SecurityRole) -> list[str]:
    """The role's permissions, sorted (a stable diff in plans)."""
    permissions = sorted(set(ROLE_PERMISSIONS[role]))
    if role in NO_UNREDACTED_ACCESS and UNREDACTED_CONTENT_PERMISSIONS & set(permissions):
        raise ValueError(f"role {role.value} must not hold unredacted recording or transcript access")
    return permissions
