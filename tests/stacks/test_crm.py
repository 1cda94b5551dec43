"""Security properties of the planned CRM integration, read from the recorded inventory."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import yaml

from supportops.inventory.model import REDACTED, Inventory, Resource, is_secret
from supportops.inventory.offline_plan import PlanRequest, plan_program
from supportops.stacks.config import DataClassName, StackConfig
from supportops.stacks.config.tag_keys import BACKUP, BACKUP_PROTECTED

QUEUE = "aws:sqs/queue:Queue"
TABLE = "aws:dynamodb/table:Table"
SECRET = "aws:secretsmanager/secret:Secret"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
CONFIG = StackConfig(environment="demo", phase="foundation")


def key_arn(plan: Inventory, data_class: DataClassName) -> str:
    return str(plan.outputs["kmsKeyArns"][data_class.value])


def one(plan: Inventory, type_token: str) -> Resource:
    (resource,) = plan.of_type(type_token)
    return resource


def queues(plan: Inventory) -> dict[str, Resource]:
    return {q.get("name"): q for q in plan.of_type(QUEUE)}


def test_every_queue_is_encrypted_with_a_customer_managed_key(foundation_plan: Inventory) -> None:
    assert set(queues(foundation_plan)) == {
        "demo-crm-ticket-sync",
        "demo-crm-ticket-sync-dlq",
        "demo-crm-profiles-dlq",
        "demo-security-findings-alerts-dlq",  # the security baseline's findings routing
    }
    classes = {
        "demo-crm-ticket-sync": DataClassName.TICKETS,
        "demo-crm-ticket-sync-dlq": DataClassName.TICKETS,
        "demo-crm-profiles-dlq": DataClassName.CUSTOMER_PROFILES,
        "demo-security-findings-alerts-dlq": DataClassName.AUDIT_LOGS,
    }
    for name, queue in queues(foundation_plan).items():
        assert queue.get("kmsMasterKeyId") == key_arn(foundation_plan, classes[name])
        assert queue.get("tags")["data-classification"] == classes[name].tag_value


def test_the_ticket_queue_redrives_to_its_dead_letter_queue(foundation_plan: Inventory) -> None:
    by_name = queues(foundation_plan)
    redrive = json.loads(by_name["demo-crm-ticket-sync"].get("redrivePolicy"))
    assert redrive == {
        "deadLetterTargetArn": by_name["demo-crm-ticket-sync-dlq"].outputs["arn"],
        "maxReceiveCount": 5,
    }
    functions = {f.get("name"): f for f in foundation_plan.of_type("aws:lambda/function:Function")}
    timeout = functions["demo-crm-ticket-sync"].get("timeout")
    assert by_name["demo-crm-ticket-sync"].get("visibilityTimeoutSeconds") >= 6 * timeout
    mapping = one(foundation_plan, "aws:lambda/eventSourceMapping:EventSourceMapping")
    assert mapping.get("eventSourceArn") == by_name["demo-crm-ticket-sync"].outputs["arn"]
    assert mapping.get("functionResponseTypes") == ["ReportBatchItemFailures"]


def test_contact_events_reach_the_queue_through_a_kms_encrypted_custom_bus(
    foundation_plan: Inventory,
) -> None:
    bus = one(foundation_plan, "aws:cloudwatch/eventBus:EventBus")
    assert bus.get("kmsKeyIdentifier") == key_arn(foundation_plan, DataClassName.TICKETS)
    assert foundation_plan.outputs["eventBusName"] == bus.get("name")
    assert foundation_plan.outputs["eventBusArn"] == bus.outputs["arn"]
    rules = crm_resources(foundation_plan, "aws:cloudwatch/eventRule:EventRule")
    assert {r.get("eventBusName", None) for r in rules} == {None, bus.get("name")}  # default bus -> ours
    for rule in rules:
        assert json.loads(rule.get("eventPattern")) == {
            "detail-type": ["Amazon Connect Contact Event"],
            "source": ["aws.connect"],
        }
    targets = crm_resources(foundation_plan, "aws:cloudwatch/eventTarget:EventTarget")
    ticket_queues = queues(foundation_plan)
    assert {t.get("arn") for t in targets} == {
        bus.outputs["arn"],
        ticket_queues["demo-crm-ticket-sync"].outputs["arn"],
    }
    for target in targets:
        # Undeliverable events are parked, not dropped.
        assert target.get("deadLetterConfig") == {
            "arn": ticket_queues["demo-crm-ticket-sync-dlq"].outputs["arn"]
        }
        assert target.get("retryPolicy")["maximumEventAgeInSeconds"] == 86400


def crm_resources(plan: Inventory, type_token: str) -> list[Resource]:
    return [r for r in plan.of_type(type_token) if "supportops:crm:CrmIntegration" in r.urn]


def test_tables_have_pitr_the_class_key_and_the_backup_tag(foundation_plan: Inventory) -> None:
    tables = {t.get("name"): t for t in foundation_plan.of_type(TABLE)}
    expected = {
        foundation_plan.outputs["idempotencyTableName"]: DataClassName.TICKETS,
        foundation_plan.outputs["customerContextTableName"]: DataClassName.CUSTOMER_PROFILES,
    }
    assert set(expected) <= set(tables)
    for name, data_class in expected.items():
        table = tables[name]
        assert table.get("pointInTimeRecovery") == {"enabled": True}
        assert table.get("serverSideEncryption") == {
            "enabled": True,
            "kmsKeyArn": key_arn(foundation_plan, data_class),
        }
        assert table.get("tags")[BACKUP] == BACKUP_PROTECTED
        assert table.get("deletionProtectionEnabled") is True
    # Idempotency records and (personal) customer context both expire.
    for name in expected:
        assert tables[name].get("ttl") == {"attributeName": "expiresAt", "enabled": True}


def test_the_crm_credential_is_a_secret_under_a_cmk_with_rotation(foundation_plan: Inventory) -> None:
    secret = one(foundation_plan, SECRET)
    assert secret.get("kmsKeyId") == key_arn(foundation_plan, DataClassName.TICKETS)
    (version,) = foundation_plan.of_type("aws:secretsmanager/secretVersion:SecretVersion")
    assert is_secret(version.inputs["secretString"])
    rotation = one(foundation_plan, "aws:secretsmanager/secretRotation:SecretRotation")
    assert rotation.get("rotationRules") == {"automaticallyAfterDays": CONFIG.crm.credential_rotation_days}
    functions = {f.get("name"): f for f in foundation_plan.of_type("aws:lambda/function:Function")}
    assert rotation.get("rotationLambdaArn") == functions["demo-crm-crm-credential-rotation"].outputs["arn"]


def plain_occurrences(value: Any, needle: str) -> int:
    """How often ``needle`` appears in plain (non-secret) strings of ``value``."""
    if is_secret(value):
        return 0
    if isinstance(value, dict):
        return sum(plain_occurrences(v, needle) for v in value.values())
    if isinstance(value, list):
        return sum(plain_occurrences(v, needle) for v in value)
    return int(isinstance(value, str) and needle in value)


def test_the_credential_never_appears_in_plain_anywhere_in_the_plan(foundation_plan: Inventory) -> None:
    # The offline plan hands the program REDACTED as the credential's value: find it unwrapped.
    leaks = [r.urn for r in foundation_plan if plain_occurrences(r.inputs, REDACTED)]
    assert leaks == []
    profile = one(foundation_plan, "aws:appflow/connectorProfile:ConnectorProfile")
    assert is_secret(profile.inputs["connectorProfileConfig"])


def test_functions_log_to_kms_groups_and_encrypt_their_environment(foundation_plan: Inventory) -> None:
    groups = {g.get("name"): g for g in foundation_plan.of_type(LOG_GROUP)}
    for function in foundation_plan.of_type("aws:lambda/function:Function"):
        log_group = function.get("loggingConfig")["logGroup"]
        assert groups[log_group].get("kmsKeyId") == key_arn(foundation_plan, DataClassName.APPLICATION_LOGS)
        assert function.get("kmsKeyArn") == key_arn(foundation_plan, DataClassName.TICKETS)
        assert function.get("handler").startswith("ticket_sync.")


def test_the_webhook_uses_tls_1_2_jwt_kms_access_logs_and_no_default_endpoint(
    foundation_plan: Inventory,
) -> None:
    api = one(foundation_plan, "aws:apigatewayv2/api:Api")
    assert api.get("protocolType") == "HTTP"
    assert api.get("disableExecuteApiEndpoint") is True
    domain = one(foundation_plan, "aws:apigatewayv2/domainName:DomainName")
    assert domain.get("domainName") == CONFIG.crm.webhook.domain_name
    assert domain.get("domainNameConfiguration")["securityPolicy"] == "TLS_1_2"
    authorizer = one(foundation_plan, "aws:apigatewayv2/authorizer:Authorizer")
    assert authorizer.get("authorizerType") == "JWT"
    assert authorizer.get("jwtConfiguration") == {
        "issuer": CONFIG.crm.webhook.jwt_issuer,
        "audiences": CONFIG.crm.webhook.jwt_audience,
    }
    routes = foundation_plan.of_type("aws:apigatewayv2/route:Route")
    assert {(r.get("authorizationType"), r.get("authorizerId")) for r in routes} == {("JWT", authorizer.id)}
    stage = one(foundation_plan, "aws:apigatewayv2/stage:Stage")
    destination = stage.get("accessLogSettings")["destinationArn"]
    (group,) = [g for g in foundation_plan.of_type(LOG_GROUP) if g.outputs["arn"] == destination]
    assert group.get("kmsKeyId") == key_arn(foundation_plan, DataClassName.APPLICATION_LOGS)


def test_customer_profiles_domain_uses_its_cmk_retention_and_a_dlq(foundation_plan: Inventory) -> None:
    domain = one(foundation_plan, "aws:customerprofiles/domain:Domain")
    assert domain.get("domainName") == foundation_plan.outputs["customerProfilesDomain"]
    assert domain.get("defaultEncryptionKey") == key_arn(foundation_plan, DataClassName.CUSTOMER_PROFILES)
    assert (
        domain.get("defaultExpirationDays")
        == CONFIG.data_class(DataClassName.CUSTOMER_PROFILES).retention_days
    )
    assert domain.get("deadLetterQueueUrl") == queues(foundation_plan)["demo-crm-profiles-dlq"].outputs["url"]
    flow = one(foundation_plan, "aws:appflow/flow:Flow")
    assert flow.get("kmsArn") == key_arn(foundation_plan, DataClassName.CUSTOMER_PROFILES)
    (destination,) = flow.get("destinationFlowConfigs")
    assert destination["destinationConnectorProperties"]["customerProfiles"]["domainName"] == domain.get(
        "domainName"
    )
    assert flow.get("sourceFlowConfig")["connectorType"] == "Zendesk"


def test_stack_outputs_later_phases_read(foundation_plan: Inventory) -> None:
    expected = {
        "connectInstanceArn",
        "connectInstanceId",
        "ctrStreamArn",
        "agentEventsStreamArn",
        "eventBusName",
        "eventBusArn",
        "customerProfilesDomain",
        "recordingsBucket",
        "transcriptsBucket",
        "reportsBucket",
        "ticketSyncFunctionArn",
        "customerContextTableName",
        "idempotencyTableName",
        "kmsKeyArns",
        "accessLogBucket",
        "auditBucket",
        "auditTrailArn",
    }
    assert expected <= set(foundation_plan.outputs)
    missing = {k for k in expected if not foundation_plan.outputs[k]}
    assert missing == set()


def test_functions_ship_the_ticket_sync_sources_and_name_a_handler_that_exists(
    foundation_plan: Inventory,
) -> None:
    functions = foundation_plan.of_type("aws:lambda/function:Function")
    assert functions
    for function in functions:
        archive = function.get("code")["archive"]
        shipped = {name: Path(entry["asset"]) for name, entry in archive.items()}
        (folder,) = {path.parent for path in shipped.values()}
        # Every source file of the package, and nothing else (no __pycache__ in the code hash).
        assert set(shipped) == {f"ticket_sync/{p.name}" for p in folder.glob("*.py")}
        assert "ticket_sync/__init__.py" in shipped
        package, module, attribute = function.get("handler").split(".")
        assert package == "ticket_sync"
        assert f"ticket_sync/{module}.py" in shipped
        imported = importlib.import_module(f"supportops.stacks.functions.ticket_sync.{module}")
        assert callable(getattr(imported, attribute))


def test_hmac_mode_puts_a_signature_authorizer_on_the_route_and_the_key_in_a_secret(
    tmp_path: Path, repo_root: Path
) -> None:
    (tmp_path / "Pulumi.yaml").write_text(
        f"name: supportops\nruntime: python\nmain: {repo_root / 'stacks'}\n", encoding="utf-8"
    )
    stack = yaml.safe_load((repo_root / "Pulumi.demo-foundation.yaml").read_text(encoding="utf-8"))
    stack["config"]["supportops:crm"] = {"webhook": {"auth": "hmac"}}
    stack["config"]["supportops:crmWebhookSigningKey"] = {"secure": "v1:bm9uY2U=:c2lnbmluZw=="}
    (tmp_path / "Pulumi.demo-foundation.yaml").write_text(yaml.safe_dump(stack), encoding="utf-8")

    plan = plan_program(PlanRequest(tmp_path, "demo-foundation"))

    authorizer = one(plan, "aws:apigatewayv2/authorizer:Authorizer")
    assert authorizer.get("authorizerType") == "REQUEST"
    assert authorizer.get("identitySources") == [
        "$request.header.x-zendesk-webhook-signature",
        "$request.header.x-zendesk-webhook-signature-timestamp",
    ]
    assert authorizer.get("authorizerResultTtlInSeconds") == 0
    functions = {f.get("name"): f for f in plan.of_type("aws:lambda/function:Function")}
    assert authorizer.get("authorizerUri") == functions["demo-crm-webhook-authorizer"].outputs["invokeArn"]
    (route,) = plan.of_type("aws:apigatewayv2/route:Route")
    assert (route.get("authorizationType"), route.get("authorizerId")) == ("CUSTOM", authorizer.id)
    secrets = {s.get("name"): s for s in plan.of_type(SECRET)}
    signing = secrets["demo-crm/crm/webhook-signing-key"]
    assert signing.get("kmsKeyId") == key_arn(plan, DataClassName.TICKETS)
    environment = functions["demo-crm-ticket-sync"].get("environment")["variables"]
    assert environment["WEBHOOK_SIGNING_SECRET_ARN"] == signing.outputs["arn"]
    versions = plan.of_type("aws:secretsmanager/secretVersion:SecretVersion")
    assert len(versions) == 2 and all(is_secret(v.inputs["secretString"]) for v in versions)
