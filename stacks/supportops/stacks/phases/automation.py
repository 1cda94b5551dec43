"""Phase 2, Automation & Self-Service: the Lex V2 support bot with encrypted conversation logs, the
self-service IVR flow in the foundation's Connect instance, the knowledge base, and backups of the
phase's data stores sized from the RPO/RTO."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from supportops.stacks.components.resilience.backup_protection import build_backup_protection
from supportops.stacks.components.resilience.replica_site import replication_target
from supportops.stacks.components.self_service.intents import TIER_ONE_INTENTS
from supportops.stacks.components.self_service.knowledge_base import (
    SupportKnowledgeBase,
    SupportKnowledgeBaseArgs,
)
from supportops.stacks.components.self_service.native_provider import native_provider
from supportops.stacks.components.self_service.self_service_flow import SelfServiceEntry, SelfServiceEntryArgs
from supportops.stacks.components.self_service.support_bot import SupportBot, SupportBotArgs
from supportops.stacks.config import DataClassName
from supportops.stacks.context import PlatformContext
from supportops.stacks.phases.foundation_outputs import FoundationOutputs

# Knowledge articles are support content: kept with the tickets class's key, for its longest period.
KNOWLEDGE_CLASS = DataClassName.TICKETS


def build(context: PlatformContext) -> Mapping[str, Any]:
    config = context.config
    foundation = FoundationOutputs.of(context)
    opts = pulumi.ResourceOptions(providers=[context.provider, native_provider(config)])
    language = config.contact_center.language
    bot = SupportBot(
        context.name("support-bot"),
        SupportBotArgs(
            intents=TIER_ONE_INTENTS,
            language=language,
            text_log_key_arn=foundation.key_arn(DataClassName.APPLICATION_LOGS),
            text_log_retention_days=context.retention_days(DataClassName.APPLICATION_LOGS),
            audio_log_key_arn=foundation.key_arn(DataClassName.CALL_RECORDINGS),
            audio_log_retention_days=context.retention_days(DataClassName.CALL_RECORDINGS),
            access_log_bucket=foundation.access_log_bucket,
            audio_replication=replication_target(context),
        ),
        opts=opts,
    )
    entry = SelfServiceEntry(
        context.name("self-service"),
        SelfServiceEntryArgs(
            connect_instance_id=foundation.connect_instance_id,
            connect_instance_arn=foundation.connect_instance_arn,
            bot_alias_arn=bot.alias.arn,
            intents=TIER_ONE_INTENTS,
            tiers=config.sla_tiers,
            language=language,
            pilot=config.bot_pilot,
        ),
        opts=opts,
    )
    knowledge = SupportKnowledgeBase(
        context.name("knowledge"),
        SupportKnowledgeBaseArgs(
            connect_instance_arn=foundation.connect_instance_arn,
            kms_key_arn=foundation.key_arn(KNOWLEDGE_CLASS),
            data_class=KNOWLEDGE_CLASS,
            retention_days=config.data_class(KNOWLEDGE_CLASS).max_days,
            access_log_bucket=foundation.access_log_bucket,
            account_id=context.account_id,
        ),
        opts=opts,
    )
    backups = build_backup_protection(context, foundation.key_arn(KNOWLEDGE_CLASS), KNOWLEDGE_CLASS)
    return {
        "botId": bot.bot.id,
        "botAliasArn": bot.alias.arn,
        "selfServiceFlowArn": entry.flow.arn,
        "knowledgeBaseArn": knowledge.knowledge_base.knowledge_base_arn,
        "knowledgeContentBucket": knowledge.content.name,
        "backupVaultArn": backups.vault.arn,
    }
