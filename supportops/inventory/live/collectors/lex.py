"""Lex V2 bot aliases with their conversation log settings (aws-native:lex:BotAlias; boto3 service
'lexv2-models')."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "lexv2-models"
BOT_ALIAS: Final = "aws-native:lex:BotAlias"
TYPES: Final = (BOT_ALIAS,)
GLOBAL: Final = False
CALLS: Final = (
    ("lexv2-models", "ListBots"),
    ("lexv2-models", "ListBotAliases"),
    ("lexv2-models", "DescribeBotAlias"),
)


def collect(read: Reader, out: Out) -> None:
    for bot in read.token_pages("ListBots", "botSummaries", cursor="nextToken", maxResults=1000):
        bot_id = bot["botId"]
        for alias in read.token_pages(
            "ListBotAliases", "botAliasSummaries", cursor="nextToken", botId=bot_id, maxResults=1000
        ):
            alias_id = alias["botAliasId"]
            physical = f"{alias_id}|{bot_id}"
            got = out.sub(
                read,
                "DescribeBotAlias",
                out.urn(BOT_ALIAS, physical),
                absent=("ResourceNotFoundException",),
                botId=bot_id,
                botAliasId=alias_id,
            )
            if got is None:
                continue
            arn = (
                f"arn:{read.scope.partition}:lex:{read.region}:{read.scope.account_id}:"
                f"bot-alias/{bot_id}/{alias_id}"
            )
            inputs: dict[str, Any] = {
                "botId": bot_id,
                "botAliasName": alias.get("botAliasName"),
                "botVersion": alias.get("botVersion"),
                "arn": arn,
            }
            if isinstance(got, Unread):
                inputs["conversationLogSettings"] = UNKNOWN
            else:
                inputs["conversationLogSettings"] = got.get("conversationLogSettings") or {}
                inputs["description"] = got.get("description")
            out.add(BOT_ALIAS, physical, inputs, arn=arn)
