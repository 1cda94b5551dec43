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


def deny_insecure_transport(bucket_arn: pulumi.Input[str]) -> Statement:
    """Deny any request not made over TLS, and any made with TLS older than 1.2."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def deny_old_tls(bucket_arn: pulumi.Input[str]) -> Statement:
    return {
        "Sid": "DenyTlsBelow12",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
        "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}},
    }


def service_principal(service: str) -> dict[str, str]:
    return {"Service": f"{service}.amazonaws.com"}
