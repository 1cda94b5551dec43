"""What the operations stack deploys, made on a local endpoint (moto) for the demo and the tests:
the Object Lock evidence bucket, the KMS-encrypted topic and a queue subscribed to it (so a
notification can be read back)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3

REGION = "us-east-1"


@dataclass(frozen=True)
class LocalOperations:
    endpoint_url: str
    bucket: str
    topic_arn: str
    queue_url: str

    def client(self, service: str) -> Any:
        return boto3.Session(region_name=REGION).client(service, endpoint_url=self.endpoint_url)

    def messages(self, wait_seconds: int = 0) -> list[dict[str, Any]]:
        """Notifications delivered to the queue so far (SNS envelopes' Subject and Message)."""
        sqs = self.client("sqs")
        found: list[dict[str, Any]] = []
        while True:
            batch = sqs.receive_message(
                QueueUrl=self.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=wait_seconds
            ).get("Messages", [])
            if not batch:
                return found
            for message in batch:
                envelope = json.loads(message["Body"])
                found.append({"subject": envelope.get("Subject"), "message": envelope["Message"]})
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
            wait_seconds = 0


def provision(endpoint_url: str, suffix: str = "") -> LocalOperations:
    """The bucket, topic and queue (names end with ``suffix``: several sets on one endpoint)."""
    name = f"demo-ops-evidence{suffix}"
    session = boto3.Session(region_name=REGION)
    s3 = session.client("s3", endpoint_url=endpoint_url)
    kms = session.client("kms", endpoint_url=endpoint_url)
    sns = session.client("sns", endpoint_url=endpoint_url)
    sqs = session.client("sqs", endpoint_url=endpoint_url)
    key = kms.create_key(Description="supportops operations (local)")["KeyMetadata"]["Arn"]
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    s3.put_bucket_encryption(
        Bucket=name,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}}
            ]
        },
    )
    s3.put_object_lock_configuration(
        Bucket=name,
        ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled",
            "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 1}},
        },
    )
    topic = sns.create_topic(Name=f"demo-ops-notifications{suffix}", Attributes={"KmsMasterKeyId": key})[
        "TopicArn"
    ]
    queue_url = sqs.create_queue(QueueName=f"demo-ops-inbox{suffix}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    return LocalOperations(endpoint_url, name, topic, queue_url)
