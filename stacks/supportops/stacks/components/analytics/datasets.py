"""The data lake's tables: where each lands in S3, its Glue schema, and the flat dataset the KPI
formulas read (a projection over a window of partitions, in Athena's SQL).

Contact trace records arrive from Connect through Firehose as JSON (nested ``Agent`` fields, and the
contact attributes the self-service flow sets: ``pilotArm``, ``selfServiceOutcome``); tickets,
survey responses and answer feedback are written as flat JSON lines by the CRM integration.

Every dataset has a ``day`` (``YYYY-MM-DD``) and a ``month`` (``YYYY-MM``) column: the day the
contact started, the ticket was created, the survey or the feedback was submitted. Trend queries
group by them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

WINDOW_DAYS = 28  # dashboards use rolling 28-day windows
TREND_MONTHS = 12  # monthly trends (executive summaries) reach back a year
PARTITION_KEY = "dt"  # yyyy-MM-dd of arrival, filled by Firehose / the CRM export
JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe"
DAY = "day"
MONTH = "month"


class Dataset(StrEnum):
    CONTACTS = "contacts"
    TICKETS = "tickets"
    SURVEYS = "surveys"
    ANSWER_FEEDBACK = "answer_feedback"


class Window(StrEnum):
    """Which partitions a query reads."""

    ROLLING_28_DAYS = "rolling_28_days"
    LAST_12_MONTHS = "last_12_months"

    def partition_filter(self) -> str:
        """Athena SQL over the partition key: only the partitions the window needs are scanned."""
        if self is Window.ROLLING_28_DAYS:
            start = f"current_date - interval '{WINDOW_DAYS}' day"
        else:
            start = f"date_trunc('month', current_date) - interval '{TREND_MONTHS}' month"
        return f"{PARTITION_KEY} >= date_format({start}, '%Y-%m-%d')"


def _day_and_month(timestamp: str) -> tuple[tuple[str, str], tuple[str, str]]:
    """``day`` and ``month`` from an ISO-8601 timestamp column (substr: same in Athena and SQLite)."""
    return (DAY, f"substr({timestamp}, 1, 10)"), (MONTH, f"substr({timestamp}, 1, 7)")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Hive/Glue type
    comment: str = ""


@dataclass(frozen=True)
class LakeTable:
    """A raw table in the Glue catalog and the flat dataset projected from it."""

    table: str
    prefix: str  # S3 prefix under the lake bucket, without trailing slash
    columns: tuple[Column, ...]
    dataset: Dataset
    # Flat dataset column -> expression over the raw columns (Athena SQL).
    projection: tuple[tuple[str, str], ...]

    @property
    def dataset_columns(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.projection)

    def projection_sql(self, window: Window = Window.ROLLING_28_DAYS) -> str:
        select = ", ".join(f"{expression} AS {name}" for name, expression in self.projection)
        return f"SELECT {select} FROM {self.table} WHERE {window.partition_filter()}"


CONTACT_RECORDS = LakeTable(
    table="contact_records",
    prefix="contact-records",
    columns=(
        Column("contactid", "string"),
        Column("channel", "string", "VOICE, CHAT or TASK"),
        Column(
            "customerendpoint",
            "struct<address:string,type:string>",
            "the customer's number (E.164) or chat endpoint: personal data, found by GDPR requests",
        ),
        Column("initiationtimestamp", "string"),
        Column("disconnecttimestamp", "string"),
        Column(
            "agent",
            "struct<agentinteractionduration:int,aftercontactworkduration:int,customerholdduration:int>",
            "null when no agent handled the contact",
        ),
        Column("queue", "struct<name:string,duration:int>"),
        Column(
            "attributes",
            "struct<pilotarm:string,selfserviceoutcome:string>",
            "contact attributes set by the self-service flow (bot pilot arm and outcome)",
        ),
    ),
    dataset=Dataset.CONTACTS,
    projection=(
        ("contact_id", "contactid"),
        ("channel", "channel"),
        ("talk_seconds", "agent.agentinteractionduration"),
        ("acw_seconds", "agent.aftercontactworkduration"),
        ("queue_seconds", "queue.duration"),
        ("pilot_arm", "attributes.pilotarm"),  # bot | agent; null before the pilot
        ("self_service_outcome", "attributes.selfserviceoutcome"),  # resolved | handed_back | escalated
        *_day_and_month("initiationtimestamp"),
    ),
)

TICKETS = LakeTable(
    table="tickets",
    prefix="tickets",
    columns=(
        Column("ticket_id", "string"),
        Column("tier", "string", "SLA tier name"),
        Column("ticket_type", "string", "incident (something broke: counts for MTTR), request or question"),
        Column("issue_type", "string", "the ticketing system's category, e.g. login, billing"),
        Column("created_at", "string"),
        Column("contact_count", "int", "customer contacts until resolution"),
        Column("first_reply_minutes", "int", "calendar minutes"),
        Column("first_reply_business_minutes", "int"),
        Column("resolution_minutes", "int", "calendar minutes; null while open"),
        Column("resolution_business_minutes", "int"),
    ),
    dataset=Dataset.TICKETS,
    projection=(
        ("ticket_id", "ticket_id"),
        ("tier", "tier"),
        ("ticket_type", "ticket_type"),
        ("issue_type", "COALESCE(issue_type, 'unclassified')"),
        ("contact_count", "contact_count"),
        ("first_reply_minutes", "first_reply_minutes"),
        ("first_reply_business_minutes", "first_reply_business_minutes"),
        ("resolution_minutes", "resolution_minutes"),
        ("resolution_business_minutes", "resolution_business_minutes"),
        *_day_and_month("created_at"),
    ),
)

SURVEYS = LakeTable(
    table="surveys",
    prefix="surveys",
    columns=(
        Column("response_id", "string"),
        Column("contact_id", "string"),
        Column("submitted_at", "string"),
        Column("csat_score", "int", "1-5; null when not asked"),
        Column("nps_score", "int", "0-10; null when not asked"),
    ),
    dataset=Dataset.SURVEYS,
    projection=(
        ("response_id", "response_id"),
        ("csat_score", "csat_score"),
        ("nps_score", "nps_score"),
        *_day_and_month("submitted_at"),
    ),
)

# One row per suggested answer that got feedback: the bot's answers to customers (pilot arm ``bot``)
# and Amazon Q in Connect's suggestions to agents (arm ``agent``), rated by the customer (thumbs
# up/down after the bot answered) or the agent (in the agent desktop).
ANSWER_FEEDBACK = LakeTable(
    table="answer_feedback",
    prefix="answer-feedback",
    columns=(
        Column("feedback_id", "string"),
        Column("contact_id", "string"),
        Column("submitted_at", "string"),
        Column("pilot_arm", "string", "bot (answer given to the customer) or agent (suggested to an agent)"),
        Column("answered", "int", "1 when an answer was given above the confidence floor, else 0"),
        Column(
            "helpful", "int", "1 when the feedback says the given answer was right, 0 wrong, null unrated"
        ),
        Column("answerable", "int", "1 when the knowledge base holds a right answer (agent review), else 0"),
    ),
    dataset=Dataset.ANSWER_FEEDBACK,
    projection=(
        ("feedback_id", "feedback_id"),
        ("pilot_arm", "pilot_arm"),
        ("answered", "answered"),
        ("helpful", "helpful"),
        ("answerable", "answerable"),
        *_day_and_month("submitted_at"),
    ),
)

LAKE_TABLES: tuple[LakeTable, ...] = (CONTACT_RECORDS, TICKETS, SURVEYS, ANSWER_FEEDBACK)


def table_for(dataset: Dataset) -> LakeTable:
    return next(t for t in LAKE_TABLES if t.dataset is dataset)
