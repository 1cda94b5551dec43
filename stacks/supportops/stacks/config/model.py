"""The stack configuration model.

Every value has a safe default taken from the platform's targets (99.9 % uptime, RTO 4 h, RPO 15 min,
SLA tiers Critical/High/Medium, retention per data class), so a stack file only states what differs.
Field names are camelCase in files (Pulumi config style) and snake_case in Python.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator

from supportops.models import CamelInputModel, StrictFlag, StrictInt, repeated
from supportops.stacks.config.operations import OperationsConfig
from supportops.stacks.config.security_baseline import SecurityBaselineConfig

AWS_REGION_PATTERN = r"^[a-z]{2}(-gov)?-[a-z]+-\d$"


RegionName = Annotated[str, Field(pattern=AWS_REGION_PATTERN)]


class Phase(StrEnum):
    FOUNDATION = "foundation"
    AUTOMATION = "automation"
    ANALYTICS = "analytics"
    # Unattended jobs (schedules, runner, evidence bucket): planned after the platform it operates on.
    OPERATIONS = "operations"

    @property
    def previous(self) -> Phase | None:
        order = list(Phase)
        index = order.index(self)
        return order[index - 1] if index else None


class IdentityMode(StrEnum):
    SAML = "SAML"
    CONNECT_MANAGED = "CONNECT_MANAGED"


class CrmProvider(StrEnum):
    ZENDESK = "zendesk"
    SALESFORCE = "salesforce"
    SERVICENOW = "servicenow"


class DataClassName(StrEnum):
    """The kinds of data the platform stores, each with its own key and retention."""

    CALL_RECORDINGS = "callRecordings"
    CHAT_TRANSCRIPTS = "chatTranscripts"
    CONTACT_TRACE_RECORDS = "contactTraceRecords"
    CUSTOMER_PROFILES = "customerProfiles"
    TICKETS = "tickets"
    ANALYTICS = "analytics"
    APPLICATION_LOGS = "applicationLogs"
    AUDIT_LOGS = "auditLogs"

    @property
    def tag_value(self) -> str:
        """The value of the data-classification tag: kebab-case of the name."""
        return "".join(f"-{c.lower()}" if c.isupper() else c for c in self.value)


class DataClass(CamelInputModel):
    """Retention bounds for one data class, in days.

    ``min_days`` is the legal/contractual minimum (e.g. PCI DSS 10.5.1: audit logs 1 year);
    ``max_days`` is the GDPR storage-limitation ceiling (personal data is never kept forever).
    """

    # Strict: retention decides verdicts, so "365" in quotes or a boolean is refused, not coerced.
    min_days: Annotated[StrictInt, Field(ge=1)]
    max_days: Annotated[StrictInt, Field(ge=1, le=3653)]
    contains_personal_data: StrictFlag = True

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Self:
        if self.min_days > self.max_days:
            raise ValueError(f"minDays ({self.min_days}) is above maxDays ({self.max_days})")
        return self

    @property
    def retention_days(self) -> int:
        """What the stacks configure: the minimum the law asks for, never more than the ceiling."""
        return self.min_days


def _default_data_classes() -> dict[DataClassName, DataClass]:
    return {
        DataClassName.CALL_RECORDINGS: DataClass(min_days=90, max_days=730),
        DataClassName.CHAT_TRANSCRIPTS: DataClass(min_days=90, max_days=730),
        DataClassName.CONTACT_TRACE_RECORDS: DataClass(min_days=365, max_days=1095),
        DataClassName.CUSTOMER_PROFILES: DataClass(min_days=365, max_days=1095),
        DataClassName.TICKETS: DataClass(min_days=365, max_days=2555),
        DataClassName.ANALYTICS: DataClass(min_days=365, max_days=1095, contains_personal_data=False),
        DataClassName.APPLICATION_LOGS: DataClass(min_days=365, max_days=730),
        DataClassName.AUDIT_LOGS: DataClass(min_days=365, max_days=2555, contains_personal_data=False),
    }


class SlaTier(CamelInputModel):
    """A support tier: how fast a ticket must be answered and resolved."""

    name: Annotated[str, Field(pattern=r"^[A-Z][A-Za-z0-9]{1,31}$")]
    respond_minutes: Annotated[int, Field(gt=0)]
    resolve_minutes: Annotated[int, Field(gt=0)]
    business_hours_only: StrictFlag = False

    @model_validator(mode="after")
    def _respond_before_resolve(self) -> Self:
        if self.respond_minutes > self.resolve_minutes:
            raise ValueError(
                f"respondMinutes ({self.respond_minutes}) is above resolveMinutes ({self.resolve_minutes})"
            )
        return self


BUSINESS_DAY_MINUTES = 8 * 60


def _default_sla_tiers() -> list[SlaTier]:
    return [
        SlaTier(name="Critical", respond_minutes=15, resolve_minutes=4 * 60),
        SlaTier(name="High", respond_minutes=60, resolve_minutes=24 * 60),
        SlaTier(
            name="Medium",
            respond_minutes=4 * 60,
            resolve_minutes=5 * BUSINESS_DAY_MINUTES,
            business_hours_only=True,
        ),
    ]


class ResilienceTargets(CamelInputModel):
    """Recovery targets; backup schedules and replication are sized from them."""

    rto_minutes: Annotated[StrictInt, Field(gt=0)] = 240
    rpo_minutes: Annotated[StrictInt, Field(gt=0)] = 15
    uptime_percent: Annotated[float, Field(gt=90, lt=100)] = 99.9
    replica_region: Annotated[str, Field(pattern=AWS_REGION_PATTERN)] | None = "us-west-2"

    @model_validator(mode="after")
    def _rpo_not_above_rto(self) -> Self:
        if self.rpo_minutes > self.rto_minutes:
            raise ValueError(f"rpoMinutes ({self.rpo_minutes}) is above rtoMinutes ({self.rto_minutes})")
        return self


ACM_CERTIFICATE_ARN_PATTERN = r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/.+$"
CERTIFICATE_PEM_PATTERN = r"^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$"


class WebhookAuth(StrEnum):
    """How ticketing callbacks prove who sent them."""

    JWT = "jwt"  # an OAuth/OIDC bearer token checked by API Gateway's JWT authorizer
    # An HMAC-SHA256 signature over timestamp + body (Zendesk webhook signing), key in the
    # secret config key ``crmWebhookSigningKey``.
    HMAC = "hmac"


class WebhookConfig(CamelInputModel):
    """The HTTPS endpoint the ticketing system calls back (API Gateway HTTP API, custom domain)."""

    auth: WebhookAuth = WebhookAuth.JWT

    domain_name: Annotated[str, Field(pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")] = (
        "support-hooks.example.com"
    )
    # An issued ACM certificate for domain_name; without one the stack requests a DNS-validated one.
    certificate_arn: Annotated[str, Field(pattern=ACM_CERTIFICATE_ARN_PATTERN)] | None = None
    jwt_issuer: Annotated[str, Field(pattern=r"^https://\S+$")] = "https://login.example.com/"
    jwt_audience: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)] = [
        "supportops-webhook"
    ]


class SecurityRole(StrEnum):
    """Contact-center roles; each maps to a security profile with a least-privilege permission list."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"
    AUDITOR = "auditor"


class SupportLevel(StrEnum):
    L1 = "L1"
    L2 = "L2"
    L3 = "L3"


class ConnectUser(CamelInputModel):
    """A contact-center user declared in config (optional; SAML identity mode only)."""

    username: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.@+-]{1,64}$")]
    first_name: Annotated[str, Field(min_length=1, max_length=100)]
    last_name: Annotated[str, Field(min_length=1, max_length=100)]
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    role: SecurityRole = SecurityRole.AGENT
    level: SupportLevel = SupportLevel.L1


class PaymentInputEncryption(CamelInputModel):
    """The public key Connect encrypts captured card numbers with (key id + X.509 certificate PEM).

    Only the holder of the matching private key (the payment processor) can decrypt the input."""

    key_id: Annotated[str, Field(min_length=1, max_length=128)]
    certificate_pem: Annotated[str, Field(pattern=CERTIFICATE_PEM_PATTERN)]


class ContactCenterConfig(CamelInputModel):
    """The Amazon Connect instance: hours, language, optional users and the payment module's key."""

    instance_alias: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,45}[a-z0-9]$")] | None = None
    time_zone: Annotated[str, Field(pattern=r"^[A-Za-z_]+(/[A-Za-z_+-]+){0,2}$")] = "UTC"
    business_hours_start: Annotated[int, Field(ge=0, le=23)] = 8
    business_hours_end: Annotated[int, Field(ge=1, le=24)] = 18
    language: Annotated[str, Field(pattern=r"^[a-z]{2}-[A-Z]{2}$")] = "en-US"
    users: list[ConnectUser] = []
    # Without it the card-payment flow module is not deployed (no key, no capture).
    payment_input_encryption: PaymentInputEncryption | None = None

    @model_validator(mode="after")
    def _hours_ordered(self) -> Self:
        if self.business_hours_start >= self.business_hours_end:
            raise ValueError("businessHoursStart must be before businessHoursEnd")
        return self

    @field_validator("users", mode="after")
    @classmethod
    def _unique_usernames(cls, value: list[ConnectUser]) -> list[ConnectUser]:
        names = [user.username for user in value]
        duplicates = repeated(names)
        if duplicates:
            raise ValueError(f"duplicate usernames: {', '.join(duplicates)}")
        return value


class CrmConfig(CamelInputModel):
    """The CRM/ticketing system contact events are synced into."""

    provider: CrmProvider = CrmProvider.ZENDESK
    # Zendesk subdomain, Salesforce My Domain host or ServiceNow instance host.
    instance: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]{1,120}$")] = "example"
    api_user: str = "integration@example.com"
    # Name of the Pulumi *secret* config key holding the API credential (never the credential).
    credential_secret_key: str = "crmApiToken"
    credential_rotation_days: Annotated[StrictInt, Field(ge=1, le=365)] = 90
    # Reserved concurrency of the ticket-sync function (bounds the load on the CRM's API);
    # null leaves it unreserved (accounts with a concurrency quota of 10 cannot reserve any).
    sync_concurrency: Annotated[int, Field(ge=1, le=1000)] | None = 5
    webhook: WebhookConfig = WebhookConfig()


class BotPilotConfig(CamelInputModel):
    """The self-service bot pilot (seed: pilot with 5-10 % of traffic for 8 weeks, human in the loop).

    ``traffic_percent`` of callers go to the bot, the rest straight to agents (0 turns the bot off,
    100 ends the pilot); a bot answer whose intent confidence is below ``precision_floor`` is handed
    to an agent instead of closing the contact."""

    traffic_percent: Annotated[StrictInt, Field(ge=0, le=100)] = 10
    precision_floor: Annotated[float, Field(ge=0, le=1)] = 0.7


class StackConfig(CamelInputModel):
    """Configuration of one stack: one environment, one phase."""

    environment: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,20}$")]
    phase: Phase
    region: Annotated[str, Field(pattern=AWS_REGION_PATTERN)] = "us-east-1"
    allowed_regions: Annotated[list[RegionName], Field(min_length=1)] = ["us-east-1", "us-west-2"]
    owner: Annotated[str, Field(min_length=1)] = "support-platform-team"
    cost_center: Annotated[str, Field(min_length=1)] = "cc-support"
    identity_mode: IdentityMode = IdentityMode.SAML
    crm: CrmConfig = CrmConfig()
    contact_center: ContactCenterConfig = ContactCenterConfig()
    resilience: ResilienceTargets = ResilienceTargets()
    bot_pilot: BotPilotConfig = BotPilotConfig()
    operations: OperationsConfig = OperationsConfig()
    sla_tiers: Annotated[list[SlaTier], Field(min_length=1)] = Field(default_factory=_default_sla_tiers)
    data_classes: dict[DataClassName, DataClass] = Field(default_factory=_default_data_classes)
    # Detection, scanning and recording services of the foundation phase (security_baseline.py).
    security_baseline: SecurityBaselineConfig = SecurityBaselineConfig()
    # Stack name prefix for StackReferences to earlier phases: "<org>/<project>/" (empty: same project).
    stack_reference_prefix: str = ""

    @field_validator("data_classes", mode="after")
    @classmethod
    def _every_class_present(cls, value: dict[DataClassName, DataClass]) -> dict[DataClassName, DataClass]:
        defaults = _default_data_classes()
        return {name: value.get(name, defaults[name]) for name in DataClassName}

    @field_validator("sla_tiers", mode="after")
    @classmethod
    def _unique_tier_names(cls, value: list[SlaTier]) -> list[SlaTier]:
        names = [tier.name for tier in value]
        duplicates = repeated(names)
        if duplicates:
            raise ValueError(f"duplicate tier names: {', '.join(duplicates)}")
        return value

    @model_validator(mode="after")
    def _users_need_saml(self) -> Self:
        if self.contact_center.users and self.identity_mode is not IdentityMode.SAML:
            raise ValueError(
                "contactCenter.users need identityMode SAML (CONNECT_MANAGED users need passwords, "
                "which are not kept in stack config)"
            )
        return self

    @model_validator(mode="after")
    def _regions_allowed(self) -> Self:
        if self.region not in self.allowed_regions:
            raise ValueError(
                f"region {self.region} is not in allowedRegions ({', '.join(self.allowed_regions)})"
            )
        replica = self.resilience.replica_region
        if replica is not None:
            if replica == self.region:
                raise ValueError("resilience.replicaRegion must differ from the primary region")
            if replica not in self.allowed_regions:
                raise ValueError(
                    f"resilience.replicaRegion {replica} is not in allowedRegions "
                    f"({', '.join(self.allowed_regions)})"
                )
        return self

    @model_validator(mode="after")
    def _operations_accounts_listed(self) -> Self:
        if self.phase is Phase.OPERATIONS and not self.operations.accounts:
            raise ValueError("operations.accounts: list at least one account for the jobs to run in")
        return self

    @model_validator(mode="after")
    def _baseline_regions_allowed(self) -> Self:
        regions = self.security_baseline.regions
        if regions is None:
            return self
        if self.region not in regions:
            raise ValueError(f"securityBaseline.regions must include the primary region {self.region}")
        outside = [r for r in regions if r not in self.allowed_regions]
        if outside:
            raise ValueError(
                f"securityBaseline.regions {', '.join(outside)} not in allowedRegions "
                f"({', '.join(self.allowed_regions)})"
            )
        return self

    def baseline_regions(self) -> list[str]:
        """Regions the security baseline's regional services run in (primary first)."""
        return self.security_baseline.regions_in_scope(self.region, self.allowed_regions)

    @property
    def stack_name(self) -> str:
        return f"{self.environment}-{self.phase.value}"

    def stack_name_for(self, phase: Phase) -> str:
        return f"{self.stack_reference_prefix}{self.environment}-{phase.value}"

    def data_class(self, name: DataClassName) -> DataClass:
        return self.data_classes[name]
