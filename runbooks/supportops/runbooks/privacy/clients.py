"""boto3 clients for one request (created by the caller, never at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from supportops.errors import EXIT_FINDINGS, SupportopsError
from supportops.runbooks.privacy.crm import CrmGateway

_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5}, connect_timeout=5, read_timeout=30)


class AwsFailure(SupportopsError):
    """An AWS call failed: the store's result is ERROR, never a pass (exit 1 when it ends a command)."""

    exit_code = EXIT_FINDINGS


@dataclass
class Clients:
    region: str
    endpoint_url: str | None = None
    crm: CrmGateway | None = None  # None: no CRM credential given, the CRM is not searched
    _made: dict[str, Any] = field(default_factory=dict)

    def __call__(self, service: str) -> Any:
        if service not in self._made:
            # AWS's own convention: AWS_ENDPOINT_URL_<SERVICE> sends one service elsewhere (a local
            # stand-in for Athena, whose SQL moto does not run) while the rest use --endpoint-url.
            specific = os.environ.get(f"AWS_ENDPOINT_URL_{service.upper().replace('-', '_')}")
            self._made[service] = boto3.client(
                service, region_name=self.region, endpoint_url=specific or self.endpoint_url, config=_CONFIG
            )
        return self._made[service]
