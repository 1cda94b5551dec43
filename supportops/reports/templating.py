"""The one jinja2 set-up for every HTML page we write (reports, the executive summary): autoescape on,
undefined names are errors, one cached environment per template folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2


@cache
def environment(templates: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
