"""IAM policy documents built as plain data (no getPolicyDocument invoke, so they plan offline)."""

from __future__ import annotations

import json
from typing import Any

import pulumi

Statement = dict[str, Any]


def document(statements: list[Statement]) -> pulumi.Output[str]:
    """A policy JSON string; statements may hold Outputs."""
    return pulumi.Output.from_input({"Version": "2012-10-17", "Statement": statements}).apply(
        lambda doc: json.dumps(doc, sort_keys=True)
    )


def _deny_bucket_access(sid: str, bucket_arn: pulumi.Input[str], condition: dict[str, Any]) -> Statement:
    """Deny every S3 action on the bucket and its objects, to anyone, under ``condition``."""
    return {
        "Sid": sid,
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
        "Condition": condition,
    }


def deny_insecure_transport(bucket_arn: pulumi.Input[str]) -> Statement:
    """Deny any request not made over TLS."""
    return _deny_bucket_access(
        "DenyInsecureTransport", bucket_arn, {"Bool": {"aws:SecureTransport": "false"}}
    )


def deny_old_tls(bucket_arn: pulumi.Input[str]) -> Statement:
    """Deny any request made with TLS older than 1.2."""
    return _deny_bucket_access("DenyTlsBelow12", bucket_arn, {"NumericLessThan": {"s3:TlsVersion": "1.2"}})


def service_principal(service: str) -> dict[str, str]:
    return {"Service": f"{service}.amazonaws.com"}


def assume_role_policy(service: str, condition: dict[str, Any] | None = None) -> pulumi.Output[str]:
    """A role trust policy letting one AWS service assume the role (optionally under a condition)."""
    statement: Statement = {
        "Effect": "Allow",
        "Principal": service_principal(service),
        "Action": "sts:AssumeRole",
    }
    if condition is not None:
        statement["Condition"] = condition
    return document([statement])
