"""Baseline for bench_plan.py: N plain resources with a few inputs each, no components, no relations.
It measures what Pulumi's mock runtime itself costs per registration."""

import pulumi
import pulumi_aws as aws

count = pulumi.Config().require_int("count")
for index in range(count):
    aws.sqs.Queue(f"queue-{index}", message_retention_seconds=345600, tags={"index": str(index)})
