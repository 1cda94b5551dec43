"""Read a JSON input once: its bytes, their SHA-256, the parsed document; one clear line on error.

Parsing is :func:`supportops.loading.parse_json` with :data:`~supportops.loading.STATE_LIMITS`: no
NaN/Infinity, no duplicate keys, no over-long numbers, bounded size and depth, UTF-8 only.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from supportops.errors import BadInput, InputProblem, dotted_path
from supportops.loading import STATE_LIMITS, bounded, decode_utf8, parse_json


@dataclass(frozen=True)
class JsonDocument:
    path: Path
    sha256: str
    data: Any

    @property
    def source(self) -> str:
        return str(self.path)


def read_json(path: Path) -> JsonDocument:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > STATE_LIMITS.max_bytes:
            limit = STATE_LIMITS.max_bytes
            raise BadInput.at(source, "", f"file is {size:,} bytes, more than the {limit:,} allowed")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput.at(source, "", "no such file") from None
    except IsADirectoryError:
        raise BadInput.at(source, "", "is a directory, expected a JSON file") from None
    except OSError as exc:
        raise BadInput.at(source, "", f"cannot read ({exc.strerror})") from None
    digest = hashlib.sha256(raw).hexdigest()
    text = decode_utf8(raw, source)
    if not text.strip():
        raise BadInput.at(source, "", "empty file, expected a JSON document")
    try:
        document = parse_json(text, source, STATE_LIMITS)
    except BadInput as exc:
        raise _truncated(exc, text) from None
    return JsonDocument(path, digest, document.data)


_POSITION = re.compile(r"^line (\d+), column (\d+)$")


def _truncated(exc: BadInput, text: str) -> BadInput:
    """A decode error at the very end of the text (or a string running to it) is a cut-off file."""
    problem = exc.problems[0]
    position = _POSITION.match(problem.location)
    if position is None:
        return exc
    line, column = int(position.group(1)), int(position.group(2))
    offset = sum(len(part) + 1 for part in text.split("\n", line - 1)[: line - 1]) + column - 1
    if offset >= len(text.rstrip()) or "Unterminated string" in problem.problem:
        return BadInput(InputProblem(problem.source, problem.location, "unexpected end of file (truncated?)"))
    return exc


def first_problem(exc: ValidationError, source: str, prefix: str = "") -> BadInput:
    """One line for a validation failure (the first problem, and how many more there are); values
    are shown bounded."""
    errors = exc.errors(include_url=False)
    error = errors[0]
    message = str(error["msg"])
    shown = bounded(error.get("input"))
    if error["type"] == "missing":
        message = "required field is missing"
    elif error["type"] == "string_pattern_mismatch" and error["loc"][-1:] == ("type",):
        message = f"unknown resource type {shown} (expected a pkg:module:Name type token)"
    elif error["type"] == "string_pattern_mismatch" and error["loc"][-1:] == ("urn",):
        message = f"not a Pulumi URN: {shown}"
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    elif not isinstance(error.get("input"), dict | list):
        message = f"{message} (got {shown})"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problems)"
    return BadInput.at(source, dotted_path(error["loc"], prefix), message)
