"""Only the administrator security profile may change Connect configuration."""

from __future__ import annotations

from collections.abc import Iterable

from supportops.findings import Finding, Severity
from supportops.inventory.model import Resource
from supportops.policies import relations as rel
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.policies.rules.connect_profile_no_unredacted_access import profile_role

META = RuleMeta(
    profile=Profile.PLATFORM,
    id="connect_admin_permissions_admin_profile_only",
    title="Connect configuration permissions are held only by the administrator profile",
    severity=Severity.HIGH,
    category=Category.ACCESS_CONTROL,
    rationale=(
        "Creating or editing users, security profiles, flows, queues or routing is administration; "
        "an agent, supervisor or auditor holding it can grant itself more access (PCI DSS 7.2.1, "
        "7.2.2, separation of duties)."
    ),
    remediation=(
        "permissions_for(SecurityRole.SUPERVISOR)  # view and monitor only; *.Create/*.Edit/*.Delete\n"
        "# stay in the administrator profile"
    ),
    resource_types=("aws:connect/securityProfile:SecurityProfile", "aws-native:connect:SecurityProfile"),
)

ADMIN_AREAS = frozenset(
    {
        "Users",
        "SecurityProfiles",
        "RoutingPolicies",
        "Queues",
        "HoursOfOperation",
        "ContactFlows",
        "ContactFlowModules",
        "TransferDestinations",
        "AgentStates",
        "AgentHierarchy",
        "AgentGrouping",
        "PhoneNumbers",
        "Prompts",
        "Rules",
        "TaskTemplates",
        "Views",
        "EvaluationForms",
        "PredefinedAttributes",
        "ChatTestMode",
    }
)
ADMIN_VERBS = frozenset({"Create", "Edit", "Delete", "EnableAndDisable", "Publish", "Claim", "Release"})


def is_admin_permission(permission: str) -> bool:
    area, _, verb = permission.partition(".")
    return area in ADMIN_AREAS and verb in ADMIN_VERBS


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    index = rel.relations(context.inventory)

    def check(profile: Resource) -> rel.Verdict:
        permissions = profile.prop("permissions", None)
        if rel.is_unknown(permissions):
            return rel.unknown("permissions")
        role = profile_role(profile, index)
        admin = sorted(p for p in rel.strings(permissions, "permissions") if is_admin_permission(p))
        if role == "administrator":
            return rel.passed("the administrator profile", rel.ev("permissions", admin))
        if admin:
            return rel.failed(
                f"the {role or 'unidentified'} profile holds {', '.join(admin)}",
                rel.ev("permissions", admin, "administration only in the administrator profile"),
            )
        return rel.passed(f"the {role or 'unidentified'} profile holds no administration permission")

    return rel.each(context, META, check)
