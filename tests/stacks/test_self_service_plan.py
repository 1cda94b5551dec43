"""The automation phase as planned: the Lex bot's privacy and logging settings, its Connect
association, the self-service flow, and the CMK-encrypted knowledge base."""

from __future__ import annotations

import json

from supportops.inventory.model import Inventory, Resource
from supportops.stacks.components.self_service.intents import TIER_ONE_INTENTS
from supportops.stacks.config import DataClassName, StackConfig

CONFIG = StackConfig(environment="demo", phase="automation")


def _one(inventory: Inventory, type_token: str) -> Resource:
    (resource,) = inventory.of_type(type_token)
    return resource


def _key(foundation_plan: Inventory, data_class: DataClassName) -> str:
    return str(foundation_plan.outputs["kmsKeyArns"][data_class.value])


def test_bot_declares_data_privacy_and_a_bounded_session(automation_plan: Inventory) -> None:
    bot = _one(automation_plan, "aws-native:lex:Bot")
    assert bot.get("dataPrivacy") == {"childDirected": False}
    assert 60 <= bot.get("idleSessionTtlInSeconds") <= 86_400


def test_the_deployment_builds_the_locale_so_no_manual_step_is_needed(automation_plan: Inventory) -> None:
    bot = _one(automation_plan, "aws-native:lex:Bot")
    assert bot.get("autoBuildBotLocales") is True
    (locale,) = bot.get("botLocales")
    assert locale["localeId"] == CONFIG.contact_center.language.replace("-", "_")
    intents = {i["name"]: i for i in locale["intents"]}
    assert set(intents) == {i.name for i in TIER_ONE_INTENTS} | {"FallbackIntent"}
    assert intents["FallbackIntent"]["parentIntentSignature"] == "AMAZON.FallbackIntent"
    for definition in TIER_ONE_INTENTS:
        planned = intents[definition.name]
        assert [u["utterance"] for u in planned["sampleUtterances"]] == list(definition.utterances)
        message = planned["intentClosingSetting"]["closingResponse"]["messageGroupsList"][0]["message"]
        assert message["plainTextMessage"]["value"] == definition.reply
    version = _one(automation_plan, "aws-native:lex:BotVersion")
    assert version.get("botVersionLocaleSpecification") == [
        {"localeId": locale["localeId"], "botVersionLocaleDetails": {"sourceBotVersion": "DRAFT"}}
    ]


def test_conversation_logs_go_to_encrypted_destinations_with_foundation_keys(
    automation_plan: Inventory, foundation_plan: Inventory
) -> None:
    alias = _one(automation_plan, "aws-native:lex:BotAlias")
    settings = alias.get("conversationLogSettings")
    (text,) = settings["textLogSettings"]
    (audio,) = settings["audioLogSettings"]
    assert text["enabled"] is True and audio["enabled"] is True
    group = _one(automation_plan, "aws:cloudwatch/logGroup:LogGroup")
    assert text["destination"]["cloudWatch"]["cloudWatchLogGroupArn"] == group.outputs["arn"]
    assert group.get("kmsKeyId") == _key(foundation_plan, DataClassName.APPLICATION_LOGS)
    bounds = CONFIG.data_class(DataClassName.APPLICATION_LOGS)
    assert bounds.min_days <= group.get("retentionInDays") <= bounds.max_days
    s3 = audio["destination"]["s3Bucket"]
    recordings_key = _key(foundation_plan, DataClassName.CALL_RECORDINGS)
    assert s3["kmsKeyArn"] == recordings_key
    audio_bucket = next(
        b for b in automation_plan.of_type("aws:s3/bucket:Bucket") if b.outputs["arn"] == s3["s3BucketArn"]
    )
    sse = next(
        s
        for s in automation_plan.of_type(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
        )
        if s.get("bucket") == audio_bucket.outputs["bucket"]
    )
    assert sse.get("rules")[0]["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == recordings_key
    # Audio is call-recording data: replicated to the replica region like the foundation's recordings.
    replication = next(
        r
        for r in automation_plan.of_type("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
        if r.get("bucket") == audio_bucket.outputs["bucket"]
    )
    replica = next(
        b
        for b in automation_plan.of_type("aws:s3/bucket:Bucket")
        if b.outputs["arn"] == replication.get("rules")[0]["destination"]["bucket"]
    )
    assert replica.region == CONFIG.resilience.replica_region


def test_bot_and_knowledge_base_are_associated_with_the_foundation_instance(
    automation_plan: Inventory, foundation_plan: Inventory
) -> None:
    associations = {
        a.get("integrationType"): a
        for a in automation_plan.of_type("aws-native:connect:IntegrationAssociation")
    }
    assert set(associations) == {"LEX_BOT", "WISDOM_ASSISTANT", "WISDOM_KNOWLEDGE_BASE"}
    assert {a.get("instanceId") for a in associations.values()} == {
        foundation_plan.outputs["connectInstanceArn"]
    }
    alias = _one(automation_plan, "aws-native:lex:BotAlias")
    assert associations["LEX_BOT"].get("integrationArn") == alias.outputs["arn"]
    kb = _one(automation_plan, "aws-native:wisdom:KnowledgeBase")
    assert associations["WISDOM_KNOWLEDGE_BASE"].get("integrationArn") == kb.outputs["knowledgeBaseArn"]


def test_self_service_flow_talks_to_the_live_alias_and_waits_for_the_association(
    automation_plan: Inventory, foundation_plan: Inventory
) -> None:
    flow = _one(automation_plan, "aws:connect/contactFlow:ContactFlow")
    assert flow.get("instanceId") == foundation_plan.outputs["connectInstanceId"]
    actions = {a["Identifier"]: a for a in json.loads(flow.get("content"))["Actions"]}
    alias = _one(automation_plan, "aws-native:lex:BotAlias")
    assert actions["bot"]["Parameters"]["LexV2Bot"]["AliasArn"] == alias.outputs["arn"]
    association = next(
        a
        for a in automation_plan.of_type("aws-native:connect:IntegrationAssociation")
        if a.get("integrationType") == "LEX_BOT"
    )
    assert association.urn in flow.dependencies


def test_planned_flow_runs_the_configured_bot_pilot(automation_plan: Inventory) -> None:
    flow = _one(automation_plan, "aws:connect/contactFlow:ContactFlow")
    actions = {a["Identifier"]: a for a in json.loads(flow.get("content"))["Actions"]}
    (split,) = actions["pilot-split"]["Transitions"]["Conditions"]
    # the demo stack keeps the defaults: 10 % of callers to the bot, answers below 0.7 to an agent
    assert split["Condition"]["Operands"] == [str(CONFIG.bot_pilot.traffic_percent + 1)] == ["11"]
    (floor,) = actions["confidence"]["Transitions"]["Conditions"]
    assert floor["Condition"]["Operands"] == ["0.7"]


def test_knowledge_base_content_and_integration_use_one_customer_managed_key(
    automation_plan: Inventory, foundation_plan: Inventory
) -> None:
    key = _key(foundation_plan, DataClassName.TICKETS)
    kb = _one(automation_plan, "aws-native:wisdom:KnowledgeBase")
    assert kb.get("serverSideEncryptionConfiguration") == {"kmsKeyId": key}
    assert _one(automation_plan, "aws-native:wisdom:Assistant").get("serverSideEncryptionConfiguration") == {
        "kmsKeyId": key
    }
    integration = _one(automation_plan, "aws-native:appintegrations:DataIntegration")
    assert integration.get("kmsKey") == key
    assert (
        kb.get("sourceConfiguration")["appIntegrations"]["appIntegrationArn"]
        == integration.outputs["dataIntegrationArn"]
    )
    content = next(
        b
        for b in automation_plan.of_type("aws:s3/bucket:Bucket")
        if b.outputs["bucket"].startswith("demo-knowledge-content")
    )
    assert integration.get("sourceUri") == f"s3://{content.outputs['bucket']}"
    policy = next(
        p
        for p in automation_plan.of_type("aws:s3/bucketPolicy:BucketPolicy")
        if p.get("bucket") == content.outputs["bucket"]
    )
    reader = next(
        s
        for s in json.loads(policy.get("policy"))["Statement"]
        if s.get("Sid") == "AppIntegrationsReadsArticles"
    )
    assert reader["Principal"] == {"Service": "app-integrations.amazonaws.com"}
    assert reader["Condition"]["StringEquals"]["aws:SourceAccount"]


def test_native_resources_use_an_explicit_tagged_provider(automation_plan: Inventory) -> None:
    (provider,) = automation_plan.of_type("pulumi:providers:aws-native")
    assert provider.get("region") == CONFIG.region
    tags = json.loads(provider.get("defaultTags"))["tags"]
    assert tags["phase"] == "automation" and tags["environment"] == "demo"
    for resource in automation_plan:
        if resource.custom and resource.type.startswith("aws-native:"):
            assert resource.provider == provider.urn, resource.urn
