"""Hypothesis strategies that turn a seed file into hostile variants of it.

Two families: byte edits (invalid UTF-8, truncation, YAML/JSON tokens known to break parsers:
alias bombs, recursive anchors, deep nesting, huge numbers, tags that construct objects) and
structural edits (a parsed seed with values replaced by NaN, negative numbers, wrong types, huge
strings, control characters, duplicate keys), so both the parser and the validation are exercised.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
from typing import Any, Literal

import yaml
from hypothesis import strategies as st

ALIAS_BOMB = b"\nbomb0: &b0 [x, x, x, x, x, x, x, x, x]\n" + b"".join(
    f"bomb{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 9)}]\n".encode() for i in range(1, 9)
)

NASTY_BYTES: tuple[bytes, ...] = (
    b"\xff\xfe\xfd",
    b"\xc3\x28",
    b"\x00",
    b"\x1b[31m\x1b]0;title\x07",
    b"&a [*a]",
    b"*undefined_alias",
    b"!!python/object/apply:os.system ['true']",
    b"!!binary Zm9v",
    b"!!set {a, b}",
    b"? [a, b]\n: c\n",
    b"<<: *a\n",
    b"[" * 3000,
    b"{a: " * 500,
    b"9" * 5000,
    b"-" + b"1" * 400,
    b"1e999",
    b".nan",
    b"-.inf",
    b"NaN",
    b"Infinity",
    b"-1",
    b"0",
    b"yes",
    b"~",
    b'"\\ud800"',
    b'"\\udcff\\u0000"',
    b"\t\t",
    b"%YAML 1.1\n---\n",
    b"---\n...\n---\n",
    b"2026-13-45",
    b"\n  - - - -\n",
    b'{"a": 1, "a": 2}',
    b"\nkey: 1\nkey: 2\n",
    ALIAS_BOMB,
)

NASTY_VALUES: tuple[Any, ...] = (
    math.nan,
    math.inf,
    -math.inf,
    -1,
    0,
    -(10**30),
    10**70,
    1.5,
    True,
    False,
    None,
    "",
    " ",
    "yes",
    "0",
    "-1",
    "NaN",
    "None",
    "x" * 200_000,
    "\x1b[2J\x1b[31mred",
    "a\u202eb",
    "🙂" * 10,
    [],
    {},
    [[[[[]]]]],
    {"nested": {"deeper": [1, "two", None]}},
    ["a"] * 50,
    "arn:aws:iam::999999999999:user/break-glass-admin",
    "2026-02-30",
    "0001-01-01",
)


@st.composite
def byte_mutant(draw: st.DrawFn, seed: bytes) -> bytes:
    """A seed with 1-4 byte-level edits."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("insert", "replace", "delete", "truncate", "duplicate", "flip")))
        at = draw(st.integers(0, max(len(data), 1) - 1)) if data else 0
        if op == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(NASTY_BYTES), st.binary(min_size=1, max_size=8)))
        elif op == "replace":
            end = min(len(data), at + draw(st.integers(1, 40)))
            data[at:end] = draw(st.one_of(st.sampled_from(NASTY_BYTES), st.binary(min_size=0, max_size=8)))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif op == "truncate":
            del data[at:]
        elif op == "duplicate":
            end = min(len(data), at + draw(st.integers(1, 400)))
            data[end:end] = data[at:end]
        elif data:
            data[at] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_paths(child, (*prefix, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_paths(child, (*prefix, index)))
    return found


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return document


@st.composite
def structural_mutant(draw: st.DrawFn, seed: bytes, is_json: bool) -> bytes:
    """The parsed seed with 1-3 values (or keys) replaced by hostile ones, serialised again."""
    document = json.loads(seed) if is_json else yaml.safe_load(seed)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        if path and draw(st.booleans()) and isinstance(path[-1], str):
            # Rename a key: an unknown key, a case variant, or a duplicate of a sibling.
            parent = document
            for part in path[:-1]:
                parent = parent[part]
            if isinstance(parent, dict) and path[-1] in parent:
                new_key = draw(st.sampled_from((path[-1].upper(), path[-1] + "x", "", "__proto__", "$ref")))
                parent[new_key] = parent.pop(path[-1])
            continue
        # A copy: the shared hostile values must never be mutated by a later edit inside them.
        document = _replace(document, path, copy.deepcopy(draw(st.sampled_from(NASTY_VALUES))))
    if is_json:
        return json.dumps(document, allow_nan=True).encode("utf-8", "surrogatepass")
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")


@st.composite
def csv_mutant(draw: st.DrawFn, seed: bytes) -> bytes:
    """The seed table with 1-3 cells (or the header) replaced by hostile text, written back as CSV."""
    rows = list(csv.reader(io.StringIO(seed.decode("utf-8"))))
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(0, len(rows) - 1))
        column = draw(st.integers(0, max(len(rows[row]), 1) - 1))
        value = draw(st.sampled_from(NASTY_VALUES))
        text = value if isinstance(value, str) else json.dumps(value, allow_nan=True)
        if rows[row]:
            rows[row][column] = text
        if draw(st.booleans()) and len(rows) > 1:
            rows.append(list(rows[draw(st.integers(1, len(rows) - 1))]))  # a duplicated row
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


Format = Literal["json", "yaml", "csv"]


def mutant(seed: bytes, fmt: Format) -> st.SearchStrategy[bytes]:
    structural = csv_mutant(seed) if fmt == "csv" else structural_mutant(seed, fmt == "json")
    return st.one_of(byte_mutant(seed), structural)
