"""The data lake's tables: where each lands in S3, its Glue schema, and the flat dataset the KPI
formulas read (a projection over the last ``WINDOW_DAYS`` days, in Athena's SQL).

Contact trace records arrive from Connect through Firehose as JSON (nested ``Agent`` fields);
tickets and survey responses are written as flat JSON lines by the CRM integration."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

WINDOW_DAYS = 28  # dashboards use rolling 28-day windows
PARTITION_KEY = "dt"  # yyyy-MM-dd of arrival, filled by Firehose / the CRM export
JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe"


class Dataset(StrEnum):
    CONTACTS = "contacts"
    TICKETS = "tickets"
    SURVEYS = "surveys"


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

    def projection_sql(self) -> str:
        select = ", ".join(f"{expression} AS {name}" for name, expression in self.projection)
        window = f"date_format(current_date - interval '{WINDOW_DAYS}' day, '%Y-%m-%d')"
        return f"SELECT {select} FROM {self.table} WHERE {PARTITION_KEY} >= {window}"


CONTACT_RECORDS = LakeTable(
    table="contact_records",
    prefix="contact-records",
    columns=(
        Column("contactid", "string"),
        Column("channel", "string", "VOICE, CHAT or TASK"),
        Column("initiationtimestamp", "string"),
        Column("disconnecttimestamp", "string"),
        Column(
            "agent",
            "struct<agentinteractionduration:int,aftercontactworkduration:int,customerholdduration:int>",
            "null when no agent handled the contact",
        ),
        Column("queue", "struct<name:string,duration:int>"),
    ),
    dataset=Dataset.CONTACTS,
    projection=(
        ("contact_id", "contactid"),
        ("channel", "channel"),
        ("talk_seconds", "agent.agentinteractionduration"),
        ("acw_seconds", "agent.aftercontactworkduration"),
        ("queue_seconds", "queue.duration"),
    ),
)

TICKETS = LakeTable(
    table="tickets",
    prefix="tickets",
    columns=(
        Column("ticket_id", "string"),
        Column("tier", "string", "SLA tier name"),
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
        ("contact_count", "contact_count"),
        ("first_reply_minutes", "first_reply_minutes"),
        ("first_reply_business_minutes", "first_reply_business_minutes"),
        ("resolution_minutes", "resolution_minutes"),
        ("resolution_business_minutes", "resolution_business_minutes"),
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
    ),
)

LAKE_TABLES: tuple[LakeTable, ...] = (CONTACT_RECORDS, TICKETS, SURVEYS)


def table_for(dataset: Dataset) -> LakeTable:
    return next(t for t in LAKE_TABLES if t.dataset is dataset)
