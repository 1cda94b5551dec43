"""The data map and legal-hold files, validated at the boundary (unknown keys rejected)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from supportops.loading import load_model
from supportops.models import CamelInputModel, IsoDate, StrictInt, repeated

DATA_MAP_PATH = Path(__file__).resolve().parent / "data_map.yaml"
StoreName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{1,62}$")]


class IdKind(StrEnum):
    """How a subject is named: the three identifiers an operator gives, and contact ids found on the way."""

    PHONE = "phone"
    EMAIL = "email"
    CUSTOMER = "customer"
    CONTACT = "contact"


class Service(StrEnum):
    DYNAMODB = "dynamodb"
    S3 = "s3"
    LOGS = "logs"
    PROFILES = "customer-profiles"
    CRM = "crm"  # the ticketing system of the stack config's crm section (no stack output)
    LAKE = "lake"  # JSON-lines objects Firehose writes to S3 (many contacts per object), found with Athena


class EraseMode(StrEnum):
    DELETE = "delete"  # the item, or every version of every object
    REDACT = "redact"  # remove the listed attributes, keep the item
    EXPIRE = "expire"  # cannot be edited: gone when its retention ends
    REWRITE = "rewrite"  # objects shared with other subjects: rewritten without the subject's records


class Locate(CamelInputModel):
    """One way to find the subject in a store: a key (``{value}`` is the identifier), a prefix, a
    scan on one attribute (costs a full table scan: used only where no key or index exists), a
    Customer Profiles search key, or a column of the lake table (one Athena query per pass).

    A contact's prefix may hold ``{date}``, the contact's UTC day as ``YYYY/MM/DD``: Amazon Connect
    writes recordings, transcripts and Contact Lens output under the day of the contact."""

    by: IdKind
    key: str | None = None
    prefix: str | None = None
    scan_attribute: str | None = None
    search_key: str | None = None  # Customer Profiles SearchProfiles key name (_phone, _email ...)
    column: Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$")] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        ways = (self.key, self.prefix, self.scan_attribute, self.search_key, self.column)
        if len([v for v in ways if v is not None]) != 1:
            raise ValueError("give exactly one of key, prefix, scanAttribute, searchKey, column")
        template = self.key if self.key is not None else self.prefix
        if template is not None and "{value}" not in template:
            raise ValueError("a key or prefix must contain {value}")
        if template is not None and "{date}" in template and self.by is not IdKind.CONTACT:
            raise ValueError("only a contact's key or prefix can hold {date} (the day of the contact)")
        return self


class LakeTable(CamelInputModel):
    """Where the lake's records are queried: the Glue table over the bucket, and the stack outputs
    naming its database and the Athena workgroup (results encrypted, bytes scanned capped)."""

    database_output: Annotated[str, Field(min_length=1)]
    workgroup_output: Annotated[str, Field(min_length=1)]
    table: Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$")]
    # Columns of each record: its contact id and start (the day its recordings are filed under), and
    # the record's fields (JSON paths, as Connect spells them) that tell whether a record is the subject's.
    contact_column: Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$")]
    started_column: Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$")]
    record_fields: Annotated[dict[IdKind, Annotated[str, Field(min_length=1)]], Field(min_length=1)]


class ContactHistory(CamelInputModel):
    """Customer Profiles keeps each contact of a profile as a profile object (Connect's ``CTR``
    object type): read to find the subject's contact ids and days."""

    object_type: Annotated[str, Field(min_length=1, max_length=255)] = "CTR"


class Store(CamelInputModel):
    name: StoreName
    description: str = ""
    service: Service
    output: Annotated[str, Field(min_length=1)] | None = None  # the stack output naming the resource
    name_format: str = "{value}"  # e.g. "/aws/lambda/{arnName}"
    data_class: str
    key_attribute: str | None = None
    locate: list[Locate] = []
    personal_data: Annotated[list[str], Field(min_length=1)]
    contact_ids_attribute: str | None = None
    # Attributes of the subject's own item that hold its other identifiers (dynamodb stores): a
    # request made by email also finds what is filed under the phone number the item records.
    identifier_attributes: dict[IdKind, Annotated[str, Field(min_length=1)]] = {}
    contact_history: ContactHistory | None = None  # customer-profiles only
    lake: LakeTable | None = None  # lake only
    erase: EraseMode
    redact_attributes: list[str] = []
    point_in_time_recovery_days: Annotated[StrictInt, Field(ge=1, le=35)] | None = None
    backups: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.erase is EraseMode.EXPIRE:
            if self.locate:
                raise ValueError("an expiring store is not searched: give no locate")
            return self
        if not self.locate:
            raise ValueError("a store erased by delete or redact needs at least one locate")
        if (self.service is Service.LAKE) != (self.lake is not None):
            raise ValueError("a lake store, and only it, gives lake (its table, database and workgroup)")
        if (self.service is Service.LAKE) != (self.erase is EraseMode.REWRITE):
            raise ValueError("a lake store is erased by rewrite, and only it")
        if self.service is Service.LAKE and any(w.column is None for w in self.locate):
            raise ValueError("a lake store is located by column, and only it")
        if self.service is not Service.LAKE and any(w.column is not None for w in self.locate):
            raise ValueError("only a lake store is located by column")
        if self.lake is not None and not {w.by for w in self.locate} <= set(self.lake.record_fields):
            raise ValueError("lake.recordFields must name the record field of every kind it is located by")
        if self.identifier_attributes and (
            self.service is not Service.DYNAMODB or IdKind.CONTACT in self.identifier_attributes
        ):
            raise ValueError(
                "identifierAttributes are read from dynamodb items, for phone, email or customer"
            )
        if self.contact_history is not None and self.service is not Service.PROFILES:
            raise ValueError("contactHistory is read from a customer-profiles store only")
        if self.service is Service.LOGS:
            raise ValueError("log groups can only expire")
        if (self.output is None) != (self.service is Service.CRM):
            raise ValueError("every store but the crm names its stack output")
        if self.service is Service.CRM and any(
            w.by is not IdKind.CONTACT or w.key is None for w in self.locate
        ):
            raise ValueError("the crm is located by contact id as the ticket's external id (key)")
        if self.erase is EraseMode.REDACT and (
            self.service is not Service.DYNAMODB or not self.redact_attributes
        ):
            raise ValueError("redact needs a dynamodb store and redactAttributes")
        for way in self.locate:
            if self.service is Service.S3 and way.prefix is None:
                raise ValueError("an s3 store is located by prefix")
            if (self.service is Service.PROFILES) != (way.search_key is not None):
                raise ValueError("a customer-profiles store is located by searchKey, and only it")
            if self.service is Service.DYNAMODB and way.prefix is not None:
                raise ValueError("a dynamodb store is located by key or scanAttribute")
        if self.service is Service.DYNAMODB and not self.key_attribute:
            raise ValueError("a dynamodb store needs keyAttribute")
        return self

    @property
    def yields_contacts(self) -> bool:
        """Whether searching this store finds contact ids that lead to other stores."""
        return bool(self.contact_ids_attribute or self.contact_history or self.lake)


class DataMap(CamelInputModel):
    schema_: Literal["supportops.privacy-data-map/v1"] = Field(alias="schema")
    stores: Annotated[list[Store], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        names = [s.name for s in self.stores]
        duplicates = repeated(names)
        if duplicates:
            raise ValueError(f"duplicate store names: {', '.join(duplicates)}")
        return self


class Hold(CamelInputModel):
    """A legal hold on one subject (by one of its identifiers, ``phone:+4930...``) or on one store."""

    subject: str | None = None
    store: StoreName | None = None
    reason: Annotated[str, Field(min_length=3, max_length=200)]
    owner: Annotated[str, Field(min_length=1, max_length=100)]
    until: IsoDate | None = None

    @model_validator(mode="after")
    def _one_target(self) -> Self:
        if (self.subject is None) == (self.store is None):
            raise ValueError("a hold names either a subject or a store")
        return self


class Holds(CamelInputModel):
    holds: list[Hold] = []


def load_data_map(path: Path = DATA_MAP_PATH) -> DataMap:
    return load_model(path, DataMap, fmt="yaml")


def load_holds(path: Path) -> Holds:
    return load_model(path, Holds, fmt="yaml", empty={})
