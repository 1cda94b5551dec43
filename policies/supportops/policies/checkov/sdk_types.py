"""The Pulumi type -> Terraform type table, generated from the installed pulumi-aws SDK.

pulumi-aws is bridged from Terraform's AWS provider. The bridge names a resource
``aws:<module>/<camelName>:<Name>`` from its Terraform type ``aws_<prefix>_<snake_name>``, where the
prefix is the module's (``aws_cloudwatch_event_rule`` -> ``aws:cloudwatch/eventRule:EventRule``), and
renames list properties of singular Terraform name to their plural (``rule`` blocks -> ``rules``).
This module reads the SDK's sources (no import: that would load 265 modules) and inverts both:

- every resource token the SDK registers, with its Terraform type (:mod:`.terraform_names`);
- per type, from the ``_<Name>State`` class (all inputs and outputs) and the module's nested
  ``*Args`` classes: the dotted paths of list-of-block properties whose Terraform name is singular,
  of free-form maps, and whether the type takes tags.

``scripts/gen_checkov_types.py`` writes the result to ``terraform-types.json``; a test regenerates it
and compares.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

import pulumi_aws

from supportops.policies.checkov.terraform_names import snake, terraform_name

SDK_ROOT: Final = Path(pulumi_aws.__file__).parent
GENERATED_PATH: Final = Path(__file__).with_name("terraform-types.json")

# Properties the bridge renamed by hand, not by pluralizing (bridge metadata, renamedProperties):
# token -> dotted Pulumi path -> Terraform name.
FIELD_NAMES: Final = {
    "aws:lambda/permission:Permission": {"function": "function_name"},
    # Blocks Terraform names in the plural that neither the SDK's docs nor checkov's checks name.
    "aws:cloudwatch/eventTarget:EventTarget": {"runCommandTargets": "run_command_targets"},
    "aws:lex/v2modelsBot:V2modelsBot": {"members": "members"},
}

_GETTER: Final = re.compile(
    r"@pulumi\.getter(?:\(name=\"(\w+)\"\))?\n(?:[ \t]*@[^\n]*\n)*?[ \t]*def (\w+)\(self\) -> ([^\n]+):\n"
    r"(?:[ \t]*\"\"\"\n(.*?)\"\"\")?",
    re.DOTALL,
)
_BACKTICKED: Final = re.compile(r"`([a-z][a-z0-9_]*)`")
_CLASS: Final = re.compile(r"^class (\w+)(?:\(.*\))?:\n", re.MULTILINE)
_TOKEN: Final = re.compile(r"\.__init__\(\s*'(aws:[^']+)'")
_ARGS_TYPE: Final = re.compile(r"'(\w+)Args'")


# Last words that end in "s" without being plurals (aws_backup_selection's string_equals block).
_NOT_PLURAL: Final = frozenset({"equals", "always", "news", "series", "canvas", "gas", "bias", "alias"})


def singular(name: str) -> str:
    """The singular of a snake_case Terraform name's last word, as the bridge's inflector would
    have pluralized it (``rules`` -> ``rule``, ``policies`` -> ``policy``, ``addresses`` -> ``address``)."""
    head, _, last = name.rpartition("_")
    prefix = f"{head}_" if head else ""
    if last in _NOT_PLURAL:
        return name
    for plural, single in (
        ("indices", "index"),
        ("ies", "y"),
        ("sses", "ss"),
        ("xes", "x"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("aliases", "alias"),
        ("statuses", "status"),
        ("buses", "bus"),
    ):
        if last.endswith(plural):
            return prefix + last[: -len(plural)] + single
    if last.endswith("s") and not last.endswith(("ss", "us", "is")):
        return prefix + last[:-1]
    return name


@dataclass(frozen=True, slots=True)
class Property:
    name: str  # Pulumi camelCase
    is_list: bool
    is_map: bool
    block: str | None  # nested Args class name (without "Args")
    mentions: frozenset[str] = frozenset()  # `names` in its docstring (Terraform's, from its docs)


def _properties(body: str) -> Iterator[Property]:
    seen: set[str] = set()
    for match in _GETTER.finditer(body):
        python, annotation = match.group(2), match.group(3)
        name = match.group(1) or python
        if name in seen:
            continue
        seen.add(name)
        # A string-or-document input (IAM policies) is a JSON string in Terraform: a scalar.
        block = None if "Union[_builtins.str" in annotation else _ARGS_TYPE.search(annotation)
        sequence, mapping = annotation.find("Sequence["), annotation.find("Mapping[str")
        yield Property(
            name=name,
            is_list=sequence >= 0 and (mapping < 0 or sequence < mapping),
            is_map=mapping >= 0 and (sequence < 0 or mapping < sequence),
            block=block.group(1) if block else None,
            mentions=frozenset(_BACKTICKED.findall(match.group(4) or "")),
        )


def _classes(source: str) -> dict[str, str]:
    """Class name -> class body."""
    starts = list(_CLASS.finditer(source))
    return {
        m.group(1): source[m.end() : starts[i + 1].start() if i + 1 < len(starts) else len(source)]
        for i, m in enumerate(starts)
    }


@cache
def _module_blocks(module_dir: Path) -> dict[str, list[Property]]:
    path = module_dir / "_inputs.py"
    if not path.exists():
        return {}
    return {
        name.removesuffix("Args"): list(_properties(body))
        for name, body in _classes(path.read_text(encoding="utf-8")).items()
        if name.endswith("Args") and not name.endswith("ArgsDict")
    }


@dataclass
class TypeEntry:
    terraform: str
    renames: dict[str, str] = field(default_factory=dict)
    maps: list[str] = field(default_factory=list)
    tags: bool = False
    paths: dict[str, set[str]] = field(default_factory=dict)  # last name -> every path ending in it

    def compact_renames(self) -> dict[str, str]:
        """A name renamed alike wherever it occurs is written once, plain (the converter applies a
        plain name at any depth): recursive types (wafv2 statements) stay small."""
        by_name: dict[str, set[str]] = {}
        for path, tf in self.renames.items():
            by_name.setdefault(path.rsplit(".", 1)[-1], set()).add(tf)
        out: dict[str, str] = {}
        for path, tf in self.renames.items():
            name = path.rsplit(".", 1)[-1]
            everywhere = all(p in self.renames for p in self.paths.get(name, {path}))
            if len(by_name[name]) == 1 and everywhere:
                out[name] = tf
            else:
                out[path] = tf
        return out

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"terraform": self.terraform}
        if self.renames:
            out["renames"] = self.compact_renames()
        if self.maps:
            out["maps"] = self.maps
        if not self.tags:
            out["tags"] = False
        return out


def _walk(
    properties: list[Property],
    blocks: dict[str, list[Property]],
    prefix: str,
    entry: TypeEntry,
    known: frozenset[str],
    depth: int,
) -> None:
    for prop in properties:
        path = f"{prefix}.{prop.name}" if prefix else prop.name
        entry.paths.setdefault(prop.name, set()).add(path)
        if prop.is_map:
            if path not in ("tags", "tagsAll"):
                entry.maps.append(path)
            continue
        if prop.block is None:
            continue
        if prop.is_list:
            tf = snake(prop.name)
            single = singular(tf)
            # Terraform names blocks in the singular, which the bridge pluralized; some are plural
            # in Terraform too (media_concurrencies). The SDK's docstring (Terraform's docs) names
            # the block; failing that, checkov's own checks name the ones they read.
            if single != tf:
                if single in prop.mentions:
                    entry.renames[path] = single
                elif tf in prop.mentions or (tf in known and single not in known):
                    pass
                else:
                    entry.renames[path] = single
        nested = blocks.get(prop.block)
        if nested and depth < 8:
            _walk(nested, blocks, path, entry, known, depth + 1)


def resource_files(root: Path = SDK_ROOT) -> Iterator[tuple[str, Path, str]]:
    """(token, module dir, source) of every resource module of the SDK."""
    for module_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("_")):
        for path in sorted(module_dir.glob("*.py")):
            if path.name.startswith(("_", "get_")):
                continue
            source = path.read_text(encoding="utf-8")
            match = _TOKEN.search(source)
            if match and "(pulumi.CustomResource)" in source:
                yield match.group(1), module_dir, source


_QUOTED: Final = re.compile(r"[\"']([A-Za-z0-9_./\[\]*]+)[\"']")
_TF_TYPE: Final = re.compile(r"^aws_[a-z0-9_]+$")


def checkov_package(executable: Path) -> Path:
    """checkov's package directory in the virtual environment of its executable."""
    found = sorted(executable.resolve().parent.parent.glob("lib/python3*/site-packages/checkov"))
    if not found:
        raise FileNotFoundError(f"no checkov package beside {executable}")
    return found[-1]


def checkov_vocabulary(package: Path) -> dict[str, frozenset[str]]:
    """Terraform type -> the attribute names checkov's AWS checks (resource and graph) use on it."""
    words: dict[str, set[str]] = {}
    files = [
        *sorted((package / "terraform/checks/resource/aws").glob("*.py")),
        *sorted((package / "terraform/checks/graph_checks/aws").glob("*.json")),
    ]
    for path in files:
        quoted = _QUOTED.findall(path.read_text(encoding="utf-8"))
        types = {q for q in quoted if _TF_TYPE.match(q)}
        names = {part for q in quoted for part in re.split(r"[./\[\]*]+", q) if part and not part.isdigit()}
        for tf_type in types:
            words.setdefault(tf_type, set()).update(names)
    return {t: frozenset(n) for t, n in words.items()}


def checkov_resource_types(package: Path) -> frozenset[str]:
    """The Terraform AWS resource types checkov has checks for (graph checks: also the types whose
    connection a check looks for, as a security group's consumers)."""
    types: set[str] = set()
    for path in sorted((package / "terraform/checks/resource/aws").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        match = re.search(r"supported_resources\s*=\s*[\[(]([^\])]*)[\])]", text)
        if match:
            types.update(re.findall(r"[\"'](aws_[a-z0-9_]+)[\"']", match.group(1)))
    for path in sorted((package / "terraform/checks/graph_checks/aws").glob("*.json")):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r'"(?:connected_)?resource_types"\s*:\s*\[([^\]]*)\]', text):
            types.update(re.findall(r'"(aws_[a-z0-9_]+)"', block))
    return frozenset(types)


def type_entry(
    token: str, module_dir: Path, source: str, vocabulary: dict[str, frozenset[str]] | None = None
) -> TypeEntry:
    name = token.rsplit(":", 1)[1]
    state = _classes(source).get(f"_{name}State", "")
    properties = list(_properties(state))
    terraform = terraform_name(token)
    entry = TypeEntry(terraform=terraform, tags=any(p.name == "tags" for p in properties))
    known = (vocabulary or {}).get(terraform, frozenset())
    _walk(properties, _module_blocks(module_dir), "", entry, known, 0)
    entry.renames.update(FIELD_NAMES.get(token, {}))
    return entry


def generate(checkov: Path, root: Path = SDK_ROOT) -> dict[str, Any]:
    """The table as written to ``terraform-types.json`` (``checkov``: its package directory)."""
    vocabulary = checkov_vocabulary(checkov)
    types = {token: type_entry(token, d, s, vocabulary).as_json() for token, d, s in resource_files(root)}
    version = json.loads((root / "pulumi-plugin.json").read_text(encoding="utf-8"))["version"]
    return {"version": 1, "pulumi_aws": version, "types": dict(sorted(types.items()))}


def render(table: dict[str, Any]) -> str:
    """Compact JSON, one type per line (reviewable diffs)."""
    lines = [
        json.dumps(token) + ":" + json.dumps(entry, separators=(",", ":"))
        for token, entry in table["types"].items()
    ]
    head = json.dumps({k: v for k, v in table.items() if k != "types"}, separators=(",", ":"))[:-1]
    return head + ',"types":{\n' + ",\n".join(lines) + "\n}}\n"


def write(checkov: Path, path: Path = GENERATED_PATH) -> int:
    table = generate(checkov)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(render(table), encoding="utf-8")
    tmp.replace(path)
    return len(table["types"])
