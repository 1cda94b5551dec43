"""The function's settings, read once from its environment."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

PROVIDERS = ("zendesk", "salesforce", "servicenow")


class SettingsError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    provider: str
    instance: str  # Zendesk subdomain, Salesforce My Domain, ServiceNow instance
    secret_arn: str
    idempotency_table: str
    context_table: str
    base_url: str = ""  # override of the provider URL (tests, sandboxes)
    max_attempts: int = 4
    backoff_base_seconds: float = 0.25
    backoff_cap_seconds: float = 4.0
    timeout_seconds: float = 10.0
    default_tier: str = "Medium"
    context_retention_days: int = 365
    # Set when callbacks are HMAC-signed: the secret holding the signing key.
    webhook_signing_secret_arn: str = ""

    @property
    def api_base(self) -> str:
        if self.base_url:
            return self.base_url.rstrip("/")
        if self.provider == "zendesk":
            return f"https://{self.instance}.zendesk.com"
        if self.provider == "salesforce":
            host = self.instance if "." in self.instance else f"{self.instance}.my.salesforce.com"
            return f"https://{host}"
        host = self.instance if "." in self.instance else f"{self.instance}.service-now.com"
        return f"https://{host}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        missing = [
            k
            for k in ("CRM_PROVIDER", "CRM_INSTANCE", "CRM_SECRET_ARN", "IDEMPOTENCY_TABLE", "CONTEXT_TABLE")
            if not env.get(k)
        ]
        if missing:
            raise SettingsError(f"missing environment variables: {', '.join(missing)}")
        provider = env["CRM_PROVIDER"]
        if provider not in PROVIDERS:
            raise SettingsError(f"CRM_PROVIDER must be one of {', '.join(PROVIDERS)}, not {provider!r}")
        return cls(
            provider=provider,
            instance=env["CRM_INSTANCE"],
            secret_arn=env["CRM_SECRET_ARN"],
            idempotency_table=env["IDEMPOTENCY_TABLE"],
            context_table=env["CONTEXT_TABLE"],
            base_url=env.get("CRM_BASE_URL", ""),
            max_attempts=int(env.get("CRM_MAX_ATTEMPTS", "4")),
            backoff_base_seconds=float(env.get("CRM_BACKOFF_BASE_SECONDS", "0.25")),
            backoff_cap_seconds=float(env.get("CRM_BACKOFF_CAP_SECONDS", "4.0")),
            default_tier=env.get("DEFAULT_SUPPORT_TIER", "Medium"),
            context_retention_days=int(env.get("CONTEXT_RETENTION_DAYS", "365")),
            webhook_signing_secret_arn=env.get("WEBHOOK_SIGNING_SECRET_ARN", ""),
        )
