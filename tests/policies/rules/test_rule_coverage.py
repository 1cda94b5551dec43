"""Coverage of every resource type the three demo phases plan: each is evaluated by a rule (beyond
data residency, which covers every regional type), is evaluated through the resource it configures,
or is listed here with the reason it carries no control of its own."""

from __future__ import annotations

from supportops.inventory.model import Inventory
from supportops.policies.catalog import all_rules
from supportops.policies.relations import BUCKET_SETTING_TYPES, S3_POLICY

# Types whose settings are judged on the resource they configure.
THROUGH_RELATIONS = {
    **dict.fromkeys(set(BUCKET_SETTING_TYPES) - {S3_POLICY}, "judged on its bucket by the s3_bucket_* rules"),
    "aws:kms/alias:Alias": "key references resolve through aliases (customer-managed key checks)",
    "aws:backup/vaultLockConfiguration:VaultLockConfiguration": "judged on its vault (backup_vault_locked)",
    "aws:secretsmanager/secretRotation:SecretRotation": "judged on its secret (rotation rule)",
    "aws:backup/selection:Selection": "selects by tag; the plan it feeds is judged by backup_plan_* rules",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": "dead-letter wiring (sqs_queue_dead_letter_queue)",
}
# Types with no security-relevant setting of their own.
NO_CONTROL = {
    "aws:acm/certificateValidation:CertificateValidation": "waits for DNS validation; no configuration",
    "aws:apigatewayv2/apiMapping:ApiMapping": "maps the TLS 1.2 domain to a stage",
    "aws:lambda/eventSourceMapping:EventSourceMapping": "polls a queue the sqs rules judge",
    "aws:connect/lambdaFunctionAssociation:LambdaFunctionAssociation": "lets flows call a function",
    "aws-native:lex:Bot": "conversation design (locale, intents); its logs are judged on the alias",
    "aws-native:lex:BotVersion": "an immutable snapshot of the bot",
    "aws-native:connect:IntegrationAssociation": "attaches a bot or assistant to the instance",
    "aws-native:wisdom:AssistantAssociation": "links the assistant to its knowledge base",
    "aws:athena/namedQuery:NamedQuery": "saved SQL text; results are judged on the workgroup",
    "aws:glue/catalogTable:CatalogTable": "metadata encrypted by the catalog's encryption settings",
    "aws:cloudwatch/logStream:LogStream": "a stream inside a log group the log_group_* rules judge",
    "aws:cloudwatch/dashboard:Dashboard": "metric widgets; no data at rest",
}


def _evaluated_types() -> set[str]:
    return {
        t
        for rule in all_rules()
        if rule.META.id != "resource_region_allowed"
        for t in rule.META.resource_types
    }


def test_every_planned_type_is_covered(
    foundation_plan: Inventory, automation_plan: Inventory, analytics_plan: Inventory
) -> None:
    planned = {
        r.type
        for plan in (foundation_plan, automation_plan, analytics_plan)
        for r in plan
        if r.custom and not r.type.startswith("pulumi:")
    }
    uncovered = planned - _evaluated_types() - set(THROUGH_RELATIONS) - set(NO_CONTROL)
    assert uncovered == set(), "give these types a rule, or a reason in this file"


def test_exemptions_are_not_stale() -> None:
    assert _evaluated_types() & (set(THROUGH_RELATIONS) | set(NO_CONTROL)) == set()
