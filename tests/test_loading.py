"""The YAML loader reads with libyaml when it can: every document must give what the pure parser gives
(the same values of the same types, the same node positions for error lines), and every refusal the
pure parser's words, line and column. The guarantees (core schema, duplicate keys, alias bombs, depth,
long numbers) hold on the libyaml path itself, not only on the fallback."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from supportops import loading
from supportops.errors import BadInput
from supportops.loading import CONFIG_LIMITS, Limits, parse_yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".venv", ".venv-checkov", "build", "node_modules", ".git", "out", ".hypothesis"}

pytestmark = pytest.mark.skipif(not loading._libyaml_bounds_nesting(), reason="PyYAML without libyaml")


def repo_yaml_files() -> list[Path]:
    return sorted(
        path
        for pattern in ("*.yaml", "*.yml")
        for path in REPO_ROOT.rglob(pattern)
        if not SKIPPED_DIRS & set(path.relative_to(REPO_ROOT).parts)
    )


def shape(node: yaml.Node | None) -> Any:
    """What a parse gives the rest of the loader: tags, values and where each node starts. (An empty
    scalar's position is left out: at the end of a flow collection or of the text libyaml puts it at
    the next token, the pure parser right after the indicator; an error line about an empty value
    names its key's position.)"""
    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode):
        where = () if node.value == "" else (node.start_mark.line, node.start_mark.column)
        return ("scalar", node.tag, node.value, where)
    start = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.MappingNode):
        return ("map", node.tag, start, [(shape(k), shape(v)) for k, v in node.value])
    return ("seq", node.tag, start, [shape(item) for item in node.value])


def typed(value: Any) -> Any:
    """``value`` with every scalar's type kept, so ``1 == 1.0 == True`` cannot hide a difference."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


def outcome(parse: Any, text: str, limits: Limits = CONFIG_LIMITS) -> Any:
    try:
        document = parse(text, "f.yaml", limits)
    except BadInput as refused:
        return ("refused", str(refused))
    return ("read", typed(document.data), shape(document.node))


def assert_same(text: str, limits: Limits = CONFIG_LIMITS) -> None:
    assert outcome(parse_yaml, text, limits) == outcome(loading._parse_pure, text, limits), repr(text)


def test_every_yaml_file_of_the_repository_reads_the_same_and_by_libyaml() -> None:
    files = repo_yaml_files()
    assert len(files) > 50  # frameworks, runbooks, stacks, fixtures, CI files
    read_by_libyaml = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert_same(text)
        read_by_libyaml += loading._parse_with_libyaml(text, "f.yaml", CONFIG_LIMITS) is not None
    # every shipped framework at least: they are read on every comply run
    assert read_by_libyaml >= len(files) - 5


EDGE_CASES = [
    # core schema: only true/false are booleans; octal/sexagesimal/1.1 forms stay what 1.2 says
    "a: yes\nb: on\nc: 017\nd: 0o17\ne: 0x1F\nf: 1:20\ng: 1_000\n",
    "h: .inf\ni: .NaN\nj: ~\nk: True\nl: 2026-01-01\nm: No\nn: 0b11\no: 1.2.3",
    "a: 2026-01-01T10:00:00Z\nb: '2026-01-01'\nc: 2026-02-30\nd: -.5e3\ne: +12\nf: 1e3",
    # structure
    "a: &x {k: 1}\nb:\n  <<: *x\n  j: 2",
    "? [a, b]\n: c",
    "- - - x\n- {a: [b, {c: d}]}\n-\n- ''",
    "a: |\n  x\n   y\nb: >-\n  p\n  q\nc: |+\n  z\n\nd: last",
    "a: 'it''s'\nb: \"\\x41\\u263A\\U0001F600\\n\"\nc: \"multi\n  line\"\nd: plain\n  continued",
    "a: b # comment\n# only\n...\n",
    "---\na: 1\n...\n",
    "é: ü\nkey: [ä, 'ö', \"😀\"]\nx: \u2028y",
    "a: 1\r\nb: [1,\r\n 2]\r\n",
    "{a: , b: [c, {d: }]}",
    "[a: b, c]",
    "",
    "# only a comment",
    "a:\nb:",
    # refused: the pure parser's words, line and column (libyaml refuses these too, or differs)
    "a: 1\na: 2",
    "a: &x [*x]",
    "a: *unknown",
    "a: [1, 2",
    "a: b: c",
    "---\na: 1\n---\nb: 2",
    "a: 1" + "0" * 70,
    "a: \x07",
    'a: "\\q"',
    # where libyaml and the pure parser differ: the pure parser decides
    "a:\t1",
    "a: x\t# c",
    "a: [x?]",
    "a: {x?: 1}",
    "a: |#\n ]",
    "a: !",
    "!",
    "a: !!str 1\nb: !!int '2'",
    "x: \ufeffy",
    "%YAML 1.2\n---\na: 1",
    "%YAML 1.3\n---\na: 1",
    "\r%YAML 1.3\n---\na: 1",
    'a: "\\ud800"',
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_read_or_are_refused_as_by_the_pure_parser(text: str) -> None:
    assert_same(text)


def test_mutated_documents_read_or_are_refused_as_by_the_pure_parser() -> None:
    """A seeded differential fuzz (how the differences listed in loading.py were found)."""
    seeds = [*EDGE_CASES, *(p.read_text(encoding="utf-8")[:1500] for p in repo_yaml_files()[:40])]
    alphabet = list(" \t\n\r:-?[]{},#&*!|>'\"%@`\\.0a1yZé\x85\u2028~")
    rnd = random.Random(20261201)
    for _ in range(1500):
        text = list(rnd.choice(seeds))
        for _ in range(rnd.randint(1, 4)):
            at = rnd.randint(0, len(text))
            choice = rnd.random()
            if choice < 0.4 or not text:
                text.insert(at, rnd.choice(alphabet))
            elif choice < 0.7:
                text[min(at, len(text) - 1)] = rnd.choice(alphabet)
            else:
                del text[min(at, len(text) - 1)]
        assert_same("".join(text))


def served_by_libyaml(text: str, limits: Limits = CONFIG_LIMITS) -> Any:
    document = loading._parse_with_libyaml(text, "f.yaml", limits)
    assert document is not None, "expected libyaml to read this document"
    return document.data


def test_the_libyaml_path_keeps_the_core_schema() -> None:
    data = served_by_libyaml("a: yes\nb: off\nc: 017\nd: 1:20\ne: true\nf: 0o10\ng: null\nh: 2026-01-02")
    assert typed(data) == typed(
        {
            "a": "yes",
            "b": "off",
            "c": 17,
            "d": "1:20",
            "e": True,
            "f": 8,
            "g": None,
            "h": date(2026, 1, 2),
        }
    )


@pytest.mark.parametrize(
    ("text", "limits", "error"),
    [
        ("a: 1\nb: 2\na: 3\n", CONFIG_LIMITS, "f.yaml: line 3, column 1: duplicate key 'a'"),
        ("a: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n", Limits(max_nodes=20), "more than 20 values"),
        ("a: [1, 2, 3]\nb: {c: 4}\n", Limits(max_nodes=8), "more than 8 values"),
        ("a: " + "[" * 70 + "]" * 70, CONFIG_LIMITS, "nested more than 64 levels deep"),
        ("a: " + "[" * 1500 + "]" * 1500, CONFIG_LIMITS, "nested more than 64 levels deep"),
        ("a: " + "9" * 65, CONFIG_LIMITS, "number has more than 64 digits"),
        ("a: &x [*x]", CONFIG_LIMITS, "an alias refers to a value that contains it"),
    ],
)
def test_refusals_keep_their_words_and_position(text: str, limits: Limits, error: str) -> None:
    with pytest.raises(BadInput) as refused:
        parse_yaml(text, "f.yaml", limits)
    assert error in str(refused.value)
    assert outcome(parse_yaml, text, limits) == outcome(loading._parse_pure, text, limits)


def test_a_document_within_the_depth_limit_but_deep_through_aliases_is_read() -> None:
    # 3 levels each, but an alias placed 3 deep reaches 6: libyaml's tree is conservative, the pure
    # parser (which counts what it composes) decides.
    text = "a: &x [[1]]\nb: [[*x]]\n"
    limits = Limits(max_depth=5)
    assert loading._parse_with_libyaml(text, "f.yaml", limits) is None
    assert parse_yaml(text, "f.yaml", limits).data == {"a": [[1]], "b": [[[[1]]]]}


@pytest.mark.parametrize("text", ["a: 2026-01-01T10:00", "a: 2026-01-01 1:2:3", "a: 2026-02-30"])
def test_a_date_the_constructor_cannot_read_is_refused_not_a_crash(text: str) -> None:
    with pytest.raises(BadInput, match=r"^f\.yaml: line 1, column 4: not valid YAML \(not a valid date"):
        parse_yaml(text, "f.yaml")
    assert_same(text)
