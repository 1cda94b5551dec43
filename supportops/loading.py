"""One way to read every YAML or JSON input: bounded, strict, and with errors a person can act on.

``load_model(path, Model)`` reads a file, parses it and validates it into a pydantic model. Every
problem is a :class:`~supportops.errors.BadInput` naming the file, the line and column (YAML; JSON
decode errors too) and the key path, with exit code 2. Nothing here can crash or hang on hostile
input: the size, nesting depth, alias expansion and number length are bounded before anything is
built, the file must be UTF-8, duplicate keys are refused, and no message renders an unbounded value.

YAML is read with YAML 1.2's core schema: only ``true``/``false`` are booleans (``yes``, ``on`` stay
strings), ``017`` is seventeen, and ``1:20`` is a string, so nothing that decides security is coerced
by surprise.

YAML is parsed by libyaml when PyYAML has it (several times faster than the pure-Python parser), with
the same resolver, constructor and checks. The pure parser remains the reference: it reads every
document libyaml refuses or that uses a construct where the two are known to differ, so refusals (and
their lines and columns) are the pure parser's, word for word.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from supportops.errors import BadInput, InputProblem, dotted_path

M = TypeVar("M", bound=BaseModel)
Format = Literal["yaml", "json"]


@dataclass(frozen=True)
class Limits:
    """Bounds on one input. A file beyond any of them is refused with the bound it broke."""

    max_bytes: int = 16 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 500_000  # values after YAML aliases are expanded
    max_number_digits: int = 64


CONFIG_LIMITS = Limits()
#: Pulumi state exports and previews of large stacks are big but flat.
STATE_LIMITS = Limits(max_bytes=1024 * 1024 * 1024, max_depth=256, max_nodes=200_000_000)

_SECRET_KEY = re.compile(r"password|passwd|passphrase|secret|token|credential|private.?key|api.?key", re.I)


def bounded(value: Any, limit: int = 60) -> str:
    """A short description of ``value`` that never renders more than ``limit`` characters of it."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 200:
            return f"an integer of {value.bit_length()} bits"
        text = repr(value)
    elif isinstance(value, str | float | bytes):
        text = repr(value[: limit + 1] if isinstance(value, str | bytes) else value)
    elif isinstance(value, dict):
        return f"a mapping of {len(value)} keys"
    elif isinstance(value, list | tuple | set):
        return f"a list of {len(value)} items"
    else:
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


# --- reading ---------------------------------------------------------------------------------------


def read_text(path: Path, *, source: str | None = None, limits: Limits = CONFIG_LIMITS) -> str:
    """The file's text, refused when it is larger than the limit or not UTF-8 (with the position)."""
    source = source or display_path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise BadInput.at(
                source, "", f"file is {size:,} bytes, more than the {limits.max_bytes:,} allowed"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput.at(source, "", f"cannot read file ({exc.strerror or exc})") from None
    return decode_utf8(data, source)


def decode_utf8(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BadInput.at(source, f"line {line}, column {column}", "not valid UTF-8 text") from None
    return text.removeprefix("\ufeff")


# --- the parsed document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """A parsed input: its data and, for YAML, the node tree that knows where each value was written."""

    source: str
    data: Any
    node: yaml.Node | None = None

    def where(self, path: Sequence[int | str]) -> str:
        """``line L, column C: a.b[2]`` for a key path (as precise as the format allows)."""
        location = dotted_path(path)
        mark = _mark_of(self.node, path)
        if mark is None:
            return location
        position = f"line {mark.line + 1}, column {mark.column + 1}"
        return f"{position}: {location}" if location else position

    def problem(self, path: Sequence[int | str], message: str) -> BadInput:
        return BadInput.at(self.source, self.where(path), message)


def load_document(
    path: Path,
    *,
    source: str | None = None,
    limits: Limits = CONFIG_LIMITS,
    fmt: Format | None = None,
) -> Document:
    """Read and parse a YAML or JSON file (by ``fmt``, else by its suffix; YAML is the default)."""
    source = source or display_path(path)
    text = read_text(path, source=source, limits=limits)
    chosen = fmt or ("json" if path.suffix.lower() == ".json" else "yaml")
    return parse_json(text, source, limits) if chosen == "json" else parse_yaml(text, source, limits)


def load_model(
    path: Path,
    model: type[M],
    *,
    source: str | None = None,
    limits: Limits = CONFIG_LIMITS,
    fmt: Format | None = None,
    empty: Any = None,
) -> M:
    """Read, parse and validate one file into ``model``; ``empty`` stands in for an empty file."""
    document = load_document(path, source=source, limits=limits, fmt=fmt)
    return validate(document, model, empty=empty)


def validate(document: Document, model: type[M], *, empty: Any = None, context: Any = None) -> M:
    """Validate a parsed document; every validation error becomes one located line."""
    data = empty if document.data is None and empty is not None else document.data
    if not isinstance(data, dict):
        raise document.problem([], f"expected a mapping at the top, found {_kind(data)}")
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise BadInput(problems_from(exc, document, data)) from None
    except RecursionError:
        raise document.problem([], "nested too deeply to validate") from None


def problems_from(
    exc: ValidationError,
    document: Document,
    data: Any = None,
    *,
    rename: Callable[[list[int | str]], str] | None = None,
) -> list[InputProblem]:
    """One :class:`InputProblem` per pydantic error, located in the document, values bounded and
    secret-looking values never shown. ``rename`` may spell the key path another way."""
    data = document.data if data is None else data
    problems = []
    for error in exc.errors(include_url=False):
        path = _document_path(error["loc"], data)
        message = _message(error, path)
        if rename is not None:
            mark = _mark_of(document.node, path)
            where = rename(path)
            if mark is not None:
                where = f"line {mark.line + 1}, column {mark.column + 1}: {where}"
        else:
            where = document.where(path)
        problems.append(InputProblem(document.source, where, message))
    return problems


def _message(error: Any, path: list[int | str]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    # (InputProblem bounds the whole line: no truncation needed here)
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    secret = any(isinstance(part, str) and _SECRET_KEY.search(part) for part in path)
    if "input" in error and not isinstance(error["input"], dict | list) and kind not in {"union_tag_invalid"}:
        shown = "value hidden" if secret else f"got {bounded(error['input'])}"
        message = f"{message} ({shown})"
    return message


def _document_path(loc: Sequence[int | str], data: Any) -> list[int | str]:
    """pydantic's error location without the union tags and model names it inserts, so it names keys
    of the file."""
    path: list[int | str] = []
    current = data
    parts = list(loc)
    for index, part in enumerate(parts):
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_list or (isinstance(current, dict) and part in current):
            path.append(part)
            current = current[part]  # type: ignore[index]
        elif isinstance(current, dict) and _inserted_by_pydantic(part, current, parts[index + 1 :]):
            continue  # a union member's tag or model name, not a key of the file
        else:
            path.append(part)  # a missing key, or below a value that is not a container
            current = None
    return path


_TYPE_NAME = re.compile(r"^(?:[a-z]+\[.*\]|str|int|float|bool|list|dict|none|[a-z-]+\[.+\]|function-\w+.*)$")


def _inserted_by_pydantic(part: int | str, current: dict[Any, Any], rest: Sequence[int | str]) -> bool:
    """Whether ``part`` of an error location names a union member rather than a key: the value of the
    discriminator (``type: rds-pitr`` -> ``rds-pitr``), a member model or type name before a key that
    exists, or a type name such as ``list[str]``."""
    if not isinstance(part, str) or part in current:
        return False
    if part in {value for value in current.values() if isinstance(value, str)}:
        return True
    if rest and rest[0] in current:
        return True
    return bool(_TYPE_NAME.match(part)) or part[:1].isupper()


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty document)"
    return {list: "a list", str: "text", int: "a number", float: "a number", bool: "a boolean"}.get(
        type(value), f"a {type(value).__name__}"
    )


# --- YAML ------------------------------------------------------------------------------------------


class _CoreSchemaResolver(BaseResolver):
    """YAML 1.2 core schema: the implicit types a reader of the file would expect, nothing more."""


_CoreSchemaResolver.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (
        "tag:yaml.org,2002:timestamp",
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ][0-9:.]+(?:Z|[-+][0-9:]+)?)?$",
        "0123456789",
    ),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
):
    _CoreSchemaResolver.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


class _BoundedConstructor(SafeConstructor):
    max_number_digits = 64

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:  # type: ignore[override]
        text = str(self.construct_scalar(node)).replace("_", "")
        digits = text.lstrip("+-")
        if len(digits) > self.max_number_digits:
            raise ConstructorError(
                None, None, f"number has more than {self.max_number_digits} digits", node.start_mark
            )
        if digits.startswith(("0o", "0x")):
            return int(text, 0)
        try:
            return int(text, 10)
        except ValueError:
            raise ConstructorError(None, None, "not a valid integer", node.start_mark) from None

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:  # type: ignore[override]
        text = str(self.construct_scalar(node))
        if len(text) > self.max_number_digits + 8:
            raise ConstructorError(
                None, None, f"number has more than {self.max_number_digits} digits", node.start_mark
            )
        return float(super().construct_yaml_float(node))

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:  # type: ignore[override]
        # The resolver's pattern is wider than the constructor's ("2026-01-01T10:00" has no seconds):
        # PyYAML would crash on what it cannot match.
        if self.timestamp_regexp.match(str(self.construct_scalar(node))) is None:
            raise ConstructorError(None, None, "not a valid date or time", node.start_mark)
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:  # 2026-02-30
            raise ConstructorError(None, None, f"not a valid date ({exc})", node.start_mark) from None


_BoundedConstructor.add_constructor("tag:yaml.org,2002:int", _BoundedConstructor.construct_yaml_int)  # type: ignore[type-var]
_BoundedConstructor.add_constructor("tag:yaml.org,2002:float", _BoundedConstructor.construct_yaml_float)  # type: ignore[type-var]
_BoundedConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp",
    _BoundedConstructor.construct_yaml_timestamp,  # type: ignore[type-var]
)


class _StrictLoader(Reader, Scanner, Parser, Composer, _BoundedConstructor, _CoreSchemaResolver):
    """PyYAML's safe loader, with the core schema and a bound on nesting while composing."""

    def __init__(self, stream: str, limits: Limits) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        _BoundedConstructor.__init__(self)
        _CoreSchemaResolver.__init__(self)
        self.max_number_digits = limits.max_number_digits
        self._limits = limits
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > self._limits.max_depth:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"nested more than {self._limits.max_depth} levels deep", mark
                )
            return super().compose_node(parent, index)  # type: ignore[no-any-return]
        finally:
            self._depth -= 1


def parse_yaml(text: str, source: str, limits: Limits = CONFIG_LIMITS) -> Document:
    """Parse one YAML document: duplicate keys, recursive aliases, alias bombs, over-deep nesting and
    over-long numbers are refused with their line and column."""
    fast = _parse_with_libyaml(text, source, limits)
    return fast if fast is not None else _parse_pure(text, source, limits)


def _parse_pure(text: str, source: str, limits: Limits) -> Document:
    """The reference parse (PyYAML's pure-Python parser): every refusal is located by this one."""
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(text, limits)  # the reader refuses control characters here
        node = loader.get_single_node()
        if node is not None:
            _check_tree(node, source, limits)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = str(exc.problem or exc.context or "malformed")
        raise BadInput.at(source, where, f"not valid YAML ({problem})") from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        problem = f"not valid YAML (control character U+{_code_point(exc.character):04X})"
        raise BadInput.at(source, f"line {line}, column {column}", problem) from None
    except yaml.YAMLError as exc:
        raise BadInput.at(source, "", f"not valid YAML ({bounded(str(exc), 200)})") from None
    except RecursionError:
        raise BadInput.at(source, "", f"nested more than {limits.max_depth} levels deep") from None
    finally:
        if loader is not None:
            loader.dispose()
    return Document(source, data, node)


# libyaml and the pure parser disagree on a few constructs (found by a differential fuzz, see
# tests/test_loading.py): libyaml accepts tabs as separators, "|#" block headers and "?" inside flow
# plain scalars, reads a bare "!" tag as a string, and keeps a BOM inside the text. A document using
# any of these characters, a directive, or a character the pure reader refuses goes to the pure parser.
_PURE_ONLY_CHARACTERS = ("\t", "\ufeff", "!", "?")
_PURE_ONLY_CONSTRUCTS = re.compile(r"[|>][-+0-9]*#")
_DIRECTIVE = re.compile(r"(?:^|[\r\n\x85\u2028\u2029])%")


def _libyaml_may_read(text: str) -> bool:
    if not _libyaml_bounds_nesting() or any(character in text for character in _PURE_ONLY_CHARACTERS):
        return False
    if "%" in text and _DIRECTIVE.search(text):
        return False
    return not (_PURE_ONLY_CONSTRUCTS.search(text) or Reader.NON_PRINTABLE.search(text))


# (False when PyYAML was built without libyaml: the pure parser then reads everything)
_WITH_LIBYAML: Final = bool(getattr(yaml, "__with_libyaml__", False))

if _WITH_LIBYAML:
    from yaml._yaml import CParser

    class _LibyamlLoader(CParser, _BoundedConstructor, _CoreSchemaResolver):
        """libyaml's parser and composer with our resolver (libyaml asks it for every implicit tag)
        and constructor. libyaml refuses nesting deeper than 1,000 levels before recursing."""

        def __init__(self, stream: str, limits: Limits) -> None:
            CParser.__init__(self, stream)
            _BoundedConstructor.__init__(self)
            _CoreSchemaResolver.__init__(self)
            self.max_number_digits = limits.max_number_digits


@cache
def _libyaml_bounds_nesting() -> bool:
    """Whether this libyaml refuses deep nesting itself (0.2.6 does, at 1,000 levels): its composer
    recurses in C, so one without that bound must not see a document before our depth check."""
    if not _WITH_LIBYAML:
        return False
    deep = "[" * 2000 + "]" * 2000
    try:
        _LibyamlLoader(deep, CONFIG_LIMITS).get_single_node()
    except yaml.YAMLError:
        return True
    return False


def _parse_with_libyaml(text: str, source: str, limits: Limits) -> Document | None:
    """The document parsed by libyaml, or None when the pure parser must read it: libyaml refused it
    or any check failed (the pure parse then words the refusal), or it uses a construct where the
    two parsers differ."""
    if not _libyaml_may_read(text):
        return None
    try:
        loader = _LibyamlLoader(text, limits)
        try:
            node = loader.get_single_node()
            if node is not None and not _fits(node, "&" not in text, source, limits):
                return None
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except Exception:  # whatever it is, the pure parse raises it again, worded and located
        return None
    return Document(source, data, node)


def _fits(root: yaml.Node, is_tree: bool, source: str, limits: Limits) -> bool:
    """Whether the pure parse would accept this node graph: no duplicate key, no alias containing
    itself, at most ``max_nodes`` values and ``max_depth`` levels. Without an anchor in the text
    (no ``&``, so no alias) the graph is a tree and one plain walk checks it."""
    if not is_tree:
        return _check_tree(root, source, limits) <= limits.max_depth
    count = 0
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > limits.max_depth:
            return False
        if isinstance(node, yaml.MappingNode):
            seen: set[tuple[str, str]] = set()
            for key, item in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if (key.tag, key.value) in seen:
                        return False
                    seen.add((key.tag, key.value))
                stack.append((key, depth + 1))
                stack.append((item, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
    return count <= limits.max_nodes


def _code_point(character: int | str) -> int:
    return character if isinstance(character, int) else ord(character[:1] or "\0")


def _check_tree(root: yaml.Node, source: str, limits: Limits) -> int:
    """Count the values the document expands to (aliases included) without building them, and
    refuse duplicate keys and aliases that contain themselves. Returns how many levels the tree has
    (through aliases too: at least the nesting the composer saw)."""
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    on_stack: set[int] = set()

    def located(node: yaml.Node, problem: str) -> BadInput:
        mark = node.start_mark
        return BadInput.at(source, f"line {mark.line + 1}, column {mark.column + 1}", problem)

    # Iterative post-order walk: a crafted document must not exhaust the interpreter's stack.
    stack: list[tuple[yaml.Node, Iterator[yaml.Node] | None]] = [(root, None)]
    while stack:
        node, children = stack[-1]
        if children is None:
            if id(node) in sizes:
                stack.pop()
                continue
            on_stack.add(id(node))
            if isinstance(node, yaml.MappingNode):
                _refuse_duplicate_keys(node, located)
                kids: list[yaml.Node] = [part for pair in node.value for part in pair]
            elif isinstance(node, yaml.SequenceNode):
                kids = list(node.value)
            else:
                kids = []
            for kid in kids:
                if id(kid) in on_stack:
                    raise located(kid, "an alias refers to a value that contains it")
            stack[-1] = (node, iter(kids))
            continue
        following = next(children, None)
        if following is not None:
            if id(following) not in sizes:
                stack.append((following, None))
            continue
        stack.pop()
        on_stack.discard(id(node))
        kids_of = [k for pair in _pairs(node) for k in pair]
        size = 1 + sum(sizes[id(k)] for k in kids_of)
        if size > limits.max_nodes:
            raise located(node, f"expands to more than {limits.max_nodes:,} values (aliases included)")
        sizes[id(node)] = size
        heights[id(node)] = 1 + max((heights[id(k)] for k in kids_of), default=0)
    return heights[id(root)]


def _pairs(node: yaml.Node) -> list[Sequence[yaml.Node]]:
    if isinstance(node, yaml.MappingNode):
        return list(node.value)
    if isinstance(node, yaml.SequenceNode):
        return [[kid] for kid in node.value]
    return []


def _refuse_duplicate_keys(node: yaml.MappingNode, located: Callable[[yaml.Node, str], BadInput]) -> None:
    seen: set[tuple[str, str]] = set()
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        identity = (key.tag, key.value)
        if identity in seen:
            raise located(key, f"duplicate key {bounded(key.value)}")
        seen.add(identity)


def _mark_of(node: yaml.Node | None, path: Sequence[int | str]) -> yaml.Mark | None:
    """Where the value at ``path`` (or the deepest part of it that exists) was written."""
    if node is None:
        return None
    current: yaml.Node = node
    mark = None
    for part in path:
        if isinstance(current, yaml.MappingNode):
            pair = next(((k, v) for k, v in current.value if getattr(k, "value", None) == str(part)), None)
            if pair is None:
                break
            mark, current = pair[0].start_mark, pair[1]
        elif (
            isinstance(current, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(current.value)
        ):
            current = current.value[part]
            mark = current.start_mark
        else:
            break
    return mark if mark is not None or path else current.start_mark  # no path: the document itself


# --- JSON ------------------------------------------------------------------------------------------


class _JsonProblem(ValueError):
    pass


def parse_json(text: str, source: str, limits: Limits = STATE_LIMITS) -> Document:
    """Parse JSON strictly: no NaN/Infinity, no duplicate keys, no over-long numbers, bounded depth."""

    def reject_constant(name: str) -> Any:
        raise _JsonProblem(f"{name} is not a JSON number")

    def bounded_int(digits: str) -> int:
        if len(digits.lstrip("-")) > limits.max_number_digits:
            raise _JsonProblem(f"number has more than {limits.max_number_digits} digits")
        return int(digits)

    def bounded_float(digits: str) -> float:
        if len(digits) > limits.max_number_digits + 8:
            raise _JsonProblem(f"number has more than {limits.max_number_digits} digits")
        return float(digits)

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) != len(pairs):
            seen: set[str] = set()
            duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
            raise _JsonProblem(f"duplicate key {bounded(duplicate)}")
        return result

    try:
        data = json.loads(
            text,
            parse_constant=reject_constant,
            parse_int=bounded_int,
            parse_float=bounded_float,
            object_pairs_hook=unique_keys,
        )
    except json.JSONDecodeError as exc:
        raise BadInput.at(
            source, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON ({exc.msg})"
        ) from None
    except _JsonProblem as exc:
        raise BadInput.at(source, "", f"not valid JSON ({exc})") from None
    except RecursionError:  # deeper than the interpreter allows: json's own guard
        raise BadInput.at(source, "", f"nested more than {limits.max_depth} levels deep") from None
    # Checked on the parsed value (an iterative walk, a third of the cost of scanning the text):
    # nothing recursive downstream ever sees a document deeper than the limit.
    if _depth(data) > limits.max_depth:
        raise BadInput.at(source, "", f"nested more than {limits.max_depth} levels deep")
    return Document(source, data)


# Unrolled ("normal* (special normal*)*"): several times faster than an alternation per character.


def _depth(root: Any) -> int:
    """How deeply arrays and objects nest in a parsed JSON value (iterative: no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(root, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        children = value.values() if type(value) is dict else value if type(value) is list else ()
        stack.extend((child, depth + 1) for child in children if type(child) in (dict, list))
    return deepest if type(root) in (dict, list) else 0
