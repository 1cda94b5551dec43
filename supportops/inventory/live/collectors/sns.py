"""SNS topics (aws:sns/topic:Topic) and their access policies (aws:sns/topicPolicy:TopicPolicy)."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "sns"
TOPIC: Final = "aws:sns/topic:Topic"
TOPIC_POLICY: Final = "aws:sns/topicPolicy:TopicPolicy"
TYPES: Final = (TOPIC, TOPIC_POLICY)
GLOBAL: Final = False
CALLS: Final = (("sns", "ListTopics"), ("sns", "GetTopicAttributes"))


def collect(read: Reader, out: Out) -> None:
    for listed in read.pages("ListTopics", "Topics"):
        arn = listed["TopicArn"]
        name = arn.rsplit(":", 1)[-1]
        got = out.sub(read, "GetTopicAttributes", out.urn(TOPIC, arn), absent=("NotFound",), TopicArn=arn)
        if got is None:
            continue
        inputs: dict[str, Any] = {"name": name, "arn": arn}
        if isinstance(got, Unread):
            inputs.update(kmsMasterKeyId=UNKNOWN, policy=UNKNOWN)
        else:
            attrs = got.get("Attributes", {})
            inputs["kmsMasterKeyId"] = attrs.get("KmsMasterKeyId")
            inputs["policy"] = attrs.get("Policy")
            inputs["fifoTopic"] = attrs.get("FifoTopic") == "true" if "FifoTopic" in attrs else None
        tags = out.tags(arn)
        inputs["tags"] = tags
        inputs["tagsAll"] = tags
        out.add(TOPIC, arn, inputs, arn=arn)
        if isinstance(inputs.get("policy"), str):
            # Pulumi models a topic's access policy as its own resource too (id: the topic ARN)
            out.add(TOPIC_POLICY, arn, {"arn": arn, "policy": inputs["policy"]})
