"""Amazon Q in Connect (formerly Wisdom) assistants and knowledge bases, as the aws-native types the
automation phase plans (aws-native:wisdom:Assistant, aws-native:wisdom:KnowledgeBase). The list calls
return encryption and tags: no call per resource."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out
from supportops.inventory.live.reader import Reader

SERVICE: Final = "qconnect"
ASSISTANT: Final = "aws-native:wisdom:Assistant"
KNOWLEDGE_BASE: Final = "aws-native:wisdom:KnowledgeBase"
TYPES: Final = (ASSISTANT, KNOWLEDGE_BASE)
GLOBAL: Final = False
CALLS: Final = (("qconnect", "ListAssistants"), ("qconnect", "ListKnowledgeBases"))


def _native_tags(tags: Any) -> list[dict[str, str]]:
    """aws-native writes tags as a key/value list."""
    return [{"key": str(k), "value": str(v)} for k, v in (tags or {}).items()]


def collect(read: Reader, out: Out) -> None:
    for assistant in read.pages("ListAssistants", "assistantSummaries"):
        tags = _native_tags(assistant.get("tags"))
        out.add(
            ASSISTANT,
            assistant["assistantId"],
            {
                "name": assistant.get("name"),
                "type": assistant.get("type"),
                "description": assistant.get("description"),
                "assistantArn": assistant.get("assistantArn"),
                "serverSideEncryptionConfiguration": assistant.get("serverSideEncryptionConfiguration") or {},
                "tags": tags,
            },
            arn=assistant.get("assistantArn"),
        )
    for base in read.pages("ListKnowledgeBases", "knowledgeBaseSummaries"):
        tags = _native_tags(base.get("tags"))
        out.add(
            KNOWLEDGE_BASE,
            base["knowledgeBaseId"],
            {
                "name": base.get("name"),
                "knowledgeBaseType": base.get("knowledgeBaseType"),
                "description": base.get("description"),
                "knowledgeBaseArn": base.get("knowledgeBaseArn"),
                "serverSideEncryptionConfiguration": base.get("serverSideEncryptionConfiguration") or {},
                "sourceConfiguration": base.get("sourceConfiguration"),
                "tags": tags,
            },
            arn=base.get("knowledgeBaseArn"),
        )
