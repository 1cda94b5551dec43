"""The collector modules, listed explicitly (nothing registers itself on import)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from supportops.errors import BadInput
from supportops.inventory.live import tagging
from supportops.inventory.live.collector import CollectorModule
from supportops.inventory.live.collectors import (
    accessanalyzer,
    acm,
    apigatewayv2,
    appflow,
    appintegrations,
    athena,
    backup,
    cloudtrail,
    cloudwatch,
    config,
    connect,
    customer_profiles,
    dynamodb,
    events,
    firehose,
    glue,
    guardduty,
    iam,
    inspector2,
    kinesis,
    kms,
    lambda_,
    lex,
    logs,
    qconnect,
    s3,
    secretsmanager,
    securityhub,
    sns,
    sqs,
)

# Keys first (other resources name them), then the rest; the order only shapes progress messages.
COLLECTORS: tuple[CollectorModule, ...] = cast(
    tuple[CollectorModule, ...],
    (
        kms,
        s3,
        iam,
        sqs,
        sns,
        logs,
        dynamodb,
        kinesis,
        firehose,
        secretsmanager,
        lambda_,
        cloudtrail,
        events,
        cloudwatch,
        glue,
        athena,
        backup,
        apigatewayv2,
        acm,
        connect,
        customer_profiles,
        appflow,
        qconnect,
        appintegrations,
        lex,
        guardduty,
        securityhub,
        config,
        accessanalyzer,
        inspector2,
    ),
)
# Modules that declare calls but produce no resource type of their own.
SUPPORT: tuple[CollectorModule, ...] = cast(tuple[CollectorModule, ...], (tagging,))


def services() -> list[str]:
    return sorted({m.SERVICE for m in COLLECTORS})


def select(names: Sequence[str] | None) -> tuple[CollectorModule, ...]:
    if names is None:
        return COLLECTORS
    unknown = sorted(set(names) - set(services()))
    if unknown:
        raise BadInput.at(
            "--service", "", f"unknown service(s) {', '.join(unknown)}: choose from {', '.join(services())}"
        )
    return tuple(m for m in COLLECTORS if m.SERVICE in set(names))


def collected_types() -> dict[str, str]:
    """Type token -> the service whose collector produces it."""
    return {t: m.SERVICE for m in COLLECTORS for t in m.TYPES}
