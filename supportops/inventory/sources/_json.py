"""Read a JSON input once: its bytes, their SHA-256, the parsed document; one clear line on error."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from supportops.errors import BadInput, dotted_path


@dataclass(frozen=True)
class JsonDocument:
    path: Path
    sha256: str
    data: Any


def read_json(path: Path) -> JsonDocument:
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput.at(source, "", "no such file") from None
    except IsADirectoryError:
        raise BadInput.at(source, "", "is a directory, expected a JSON file") from None
    except OSError as exc:
        raise BadInput.at(source, "", f"cannot read ({exc.strerror})") from None
    digest = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise BadInput.at(source, "", "empty file, expected a JSON document")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput.at(source, f"byte {exc.start}", "not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        # An unterminated string runs to the end of the text: that is a cut-off file too.
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise BadInput.at(source, where, "unexpected end of file (truncated?)") from None
        raise BadInput.at(source, where, f"not valid JSON ({exc.msg})") from None
    return JsonDocument(path, digest, data)


def first_problem(exc: ValidationError, source: str, prefix: str = "") -> BadInput:
    """One line for a validation failure (the first problem, and how many more there are)."""
    errors = exc.errors()
    error = errors[0]
    message = error["msg"]
    if error["type"] == "missing":
        message = "required field is missing"
    elif error["type"] == "string_pattern_mismatch" and error["loc"][-1:] == ("type",):
        message = f"unknown resource type {error['input']!r} (expected a pkg:module:Name type token)"
    elif error["type"] == "string_pattern_mismatch" and error["loc"][-1:] == ("urn",):
        message = f"not a Pulumi URN: {error['input']!r}"
    elif message.startswith("Value error, "):
        message = message.removeprefix("Value error, ")
    elif not isinstance(error.get("input"), dict | list):
        message = f"{message} (got {error.get('input')!r})"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problems)"
    return BadInput.at(source, dotted_path(error["loc"], prefix), message)
