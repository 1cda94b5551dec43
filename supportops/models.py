"""The base of every pydantic model read from a user's file (config, runbooks, waivers, frameworks,
campaigns): unknown keys rejected, values immutable once read, and no NaN or Infinity anywhere.

Security-deciding fields should use the strict types below, so YAML's spellings ("yes", "on", 1,
"0") and pydantic's lax conversions (an integer read as a date) never decide a verdict.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Strict
from pydantic.alias_generators import to_camel

#: ``true``/``false`` only: not "yes", "on", 1 or "true" in quotes.
StrictFlag = Annotated[bool, Strict()]
#: An integer, never a float, a bool or a numeric string.
StrictInt = Annotated[int, Strict()]


def _iso_date(value: Any) -> Any:
    """A date given as YAML's date or as an ISO string; an integer (seconds since 1970) is refused."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("expected a date as YYYY-MM-DD") from None
    raise ValueError("expected a date as YYYY-MM-DD")


#: A calendar date written YYYY-MM-DD.
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class InputModel(BaseModel):
    """A model of something a user wrote: unknown keys are errors, values immutable, numbers finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class CamelInputModel(InputModel):
    """An :class:`InputModel` whose keys are camelCase in the file (``rpoMinutes``) and snake_case in code."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


def repeated(values: Iterable[Any]) -> list[str]:
    """The values that occur more than once, as sorted text: what "duplicate ..." errors name."""
    return sorted({str(value) for value, count in Counter(values).items() if count > 1})
