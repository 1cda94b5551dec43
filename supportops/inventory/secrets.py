"""Secrets never reach an output: what counts as a secret, where they are collected, how they are scrubbed.

Pulumi marks a secret with its signature object (``{"4dabf…": "1b47…", …}``) holding the plaintext
as ``value`` (engine wire form), ``plaintext`` (a JSON-encoded string, as ``pulumi stack export
--show-secrets`` writes it) or ``ciphertext``. Stack config marks one as ``{"secure": <ciphertext>}``,
and a few config keys hold credentials whatever their form (``crmApiToken``, ``*Password`` …).

When an inventory or a stack config is read, :func:`remember` records the plaintexts (and
ciphertexts) in the current :func:`secrets_scope`. Everything that leaves for an output passes
through :meth:`SecretSet.scrub` (values) or :meth:`SecretSet.scrub_text` (rendered text), which
empties the secret objects (keeping their signature) and replaces every copy of a known secret
elsewhere: verbatim, inside a larger string, JSON-escaped, base64 (any alignment) or URL-encoded.

Copies of a secret shorter than :data:`MIN_SEARCHED_LENGTH` characters are replaced only where they
are a whole value: searching inside text for ``"443"`` or ``"true"`` would mangle every report.

The set is scoped (a context variable) rather than passed around so that no output path can forget
it: a command opens :func:`secrets_scope`, the loaders add to it, the report layer reads it.
Outside a scope :func:`remember` records nothing, so one test's secrets never leak into another's.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, is_dataclass, replace
from enum import Enum
from functools import cache, cached_property
from itertools import islice
from typing import Any, Final

from supportops.errors import BadInput, InputProblem
from supportops.inventory.model import REDACTED, SECRET_SIG, SIG_KEY, Inventory, is_secret

MIN_SEARCHED_LENGTH: Final = 6
# Config keys whose values are credentials whether or not they were set with --secret.
SECRET_CONFIG_NAME: Final = re.compile(
    r"password|passwd|passphrase|secret|token|credential|private.?key|api.?key|signing.?key", re.I
)


@dataclass(frozen=True)
class SecretSet:
    """Known secret texts; :meth:`scrub` and :meth:`scrub_text` remove them from anything."""

    texts: frozenset[str] = field(default_factory=frozenset)

    def __or__(self, other: SecretSet) -> SecretSet:
        return SecretSet(self.texts | other.texts)

    def __bool__(self) -> bool:
        return bool(self.texts)

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        variants = {v for text in self.texts if len(text) >= MIN_SEARCHED_LENGTH for v in encodings(text)}
        if not variants:
            return None
        # Longest first, so an encoding that contains another is replaced whole.
        return re.compile("|".join(re.escape(v) for v in sorted(variants, key=lambda v: (-len(v), v))))

    def scrub_text(self, text: str) -> str:
        """``text`` with every known secret (in any of its encodings) replaced by ``[secret]``."""
        if text in self.texts:
            return REDACTED
        pattern = self._pattern
        return text if pattern is None else pattern.sub(REDACTED, text)

    def scrub(self, value: Any) -> Any:
        """A copy of ``value`` (JSON-like data, dataclasses such as findings) safe to write out."""
        return _scrub(value, self)


def encodings(secret: str) -> set[str]:
    """The forms a secret takes when it is copied into other text."""
    forms = {secret}
    for escaped in (json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]):
        forms.add(escaped)
        forms.add(json.dumps(escaped)[1:-1])  # JSON text inside a JSON string
    quote = urllib.parse.quote
    for quoted in (quote(secret, safe=""), urllib.parse.quote_plus(secret), quote(secret)):
        forms.update((quoted, re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quoted)))
    data = secret.encode("utf-8", "surrogatepass")
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        forms.add(encode(data).decode("ascii"))
        forms.add(encode(data).decode("ascii").rstrip("="))
        # Inside a longer base64 text the secret starts at any byte offset modulo 3: the groups of
        # four characters that only the secret's bytes determine are the same whatever surrounds it.
        for offset in (0, 1, 2):
            encoded = encode(b"\0" * offset + data).decode("ascii")
            whole_groups = (offset + len(data)) // 3
            core = encoded[4 if offset else 0 : whole_groups * 4]
            if len(core) >= 8:
                forms.add(core)
    return {form for form in forms if form}


# ------------------------------------------------------------------------------------ collecting


def secrets_in(value: Any) -> set[str]:
    """The plaintexts (and ciphertexts) of every Pulumi secret object inside ``value``."""
    found: set[str] = set()
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if current.get(SIG_KEY) == SECRET_SIG:
                found.update(_secret_object_texts(current))
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _secret_object_texts(secret: Mapping[str, Any]) -> set[str]:
    texts: set[str] = set()
    if "plaintext" in secret:
        raw = secret["plaintext"]
        texts.update(_leaves(raw))
        if isinstance(raw, str):
            with contextlib.suppress(ValueError, RecursionError):  # not JSON: the raw text is the secret
                texts.update(_leaves(json.loads(raw)))
    if "value" in secret:
        texts.update(_leaves(secret["value"]))
    if isinstance(secret.get("ciphertext"), str):
        texts.add(secret["ciphertext"])
    return texts


def _leaves(value: Any) -> set[str]:
    """Every scalar inside ``value`` as text (a secret may be a number or a whole object)."""
    texts: set[str] = set()
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            stack.extend(current.values())
            if current:
                texts.add(json.dumps(current, separators=(",", ":"), default=str))
        elif isinstance(current, list):
            stack.extend(current)
        elif isinstance(current, str):
            if current:
                texts.add(current)
        elif isinstance(current, int | float) and not isinstance(current, bool):
            texts.add(str(current))
    return {text for text in texts if text != REDACTED}


def config_secrets(config: Mapping[str, Any]) -> set[str]:
    """Secrets in stack config (namespaced keys, nested objects too): ``secure:`` values, values of
    credential keys (``crmApiToken``, ``crm.apiKey`` ...), and Pulumi secret objects."""
    found: set[str] = set(secrets_in(dict(config)))
    stack: list[Any] = [config]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
        if not isinstance(current, Mapping):
            continue
        for key, value in current.items():
            if isinstance(value, dict) and set(value) == {"secure"} and isinstance(value["secure"], str):
                found.add(value["secure"])
            elif SECRET_CONFIG_NAME.search(str(key).rpartition(":")[2]):
                found.update(_leaves(value))
            else:
                stack.append(value)
    return {text for text in found if text != REDACTED}


def document_secrets(data: Any) -> SecretSet:
    """Every secret in a parsed state export or preview document (its ``config`` included)."""
    found = secrets_in(data)
    if isinstance(data, dict) and isinstance(data.get("config"), dict):
        found |= config_secrets(data["config"])
    return SecretSet(frozenset(found))


def inventory_secrets(inventory: Inventory) -> SecretSet:
    """Every secret an inventory holds: in resource inputs and outputs, stack outputs and config."""
    found: set[str] = config_secrets(inventory.config)
    found |= secrets_in(inventory.outputs)
    for resource in inventory.resources:
        found |= secrets_in(resource.inputs)
        found |= secrets_in(resource.outputs)
    return SecretSet(frozenset(found))


# --------------------------------------------------------------------------------------- scoping

_CURRENT: ContextVar[SecretSet | None] = ContextVar("supportops_secrets", default=None)


@contextlib.contextmanager
def secrets_scope() -> Iterator[None]:
    """One run: the secrets its loaders :func:`remember` are scrubbed from its outputs and from the
    :class:`~supportops.errors.BadInput` lines it ends with, then forgotten."""
    token = _CURRENT.set(SecretSet())
    try:
        yield
    except BadInput as exc:  # error lines leave the run too (a secret value that failed validation)
        secrets = known_secrets()
        if not secrets:
            raise
        scrub = secrets.scrub_text
        raise BadInput(
            InputProblem(scrub(p.source), scrub(p.location), scrub(p.problem)) for p in exc.problems
        ) from None
    finally:
        _CURRENT.reset(token)


def remember(texts: SecretSet | Iterable[str]) -> None:
    """Add secrets to the current scope (nothing happens outside a :func:`secrets_scope`)."""
    current = _CURRENT.get()
    if current is None:
        return
    extra = texts if isinstance(texts, SecretSet) else SecretSet(frozenset(texts))
    _CURRENT.set(current | extra)


def known_secrets() -> SecretSet:
    """The secrets of the current scope (empty outside one: secret objects are still redacted)."""
    return _CURRENT.get() or SecretSet()


# ------------------------------------------------------------------------------------- scrubbing


def map_text(value: Any, text: Callable[[str], str], number: Callable[[Any], Any] = lambda n: n) -> Any:
    """``value`` (JSON-like data, dataclasses such as findings and reports) with ``text`` applied to
    every string (keys too) and ``number`` to every number. Pulumi secret objects keep their
    signature but lose their content (``ciphertext: "[secret]"``, as the offline plan writes them)
    and ``secure:`` config values their ciphertext, whatever the functions do.

    Copy on change: what needs no change is returned as it is, so a report without secrets is walked
    but not copied (memory stays flat for the streamed writers). A report is tens of thousands of
    values, mostly strings: the leaves of a container are handled inline, without a call each."""
    kind = type(value)
    if kind is str:  # the common case first: reports are mostly text
        return text(value)
    if value is None or kind is bool or isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return text(value)
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, dict):
        if is_secret(value):
            opaque = {SIG_KEY: SECRET_SIG, "ciphertext": REDACTED}
            return value if value == opaque else opaque
        if len(value) == 1 and "secure" in value:
            return value if value["secure"] == REDACTED else {"secure": REDACTED}
        pairs: list[tuple[Any, Any]] | None = None
        for index, (key, item) in enumerate(value.items()):
            new_key = text(key) if type(key) is str else map_text(key, text, number)
            kind = type(item)
            if kind is str:
                new_item = text(item)
            elif item is None or kind is bool:
                new_item = item
            else:
                new_item = map_text(item, text, number)
            if pairs is None:
                if new_key is key and new_item is item:
                    continue
                pairs = list(islice(value.items(), index))
            pairs.append((new_key, new_item))
        return value if pairs is None else dict(pairs)
    if isinstance(value, list | tuple):
        items: list[Any] | None = None
        for index, item in enumerate(value):
            new = text(item) if type(item) is str else map_text(item, text, number)
            if items is None:
                if new is item:
                    continue
                items = list(value[:index])
            items.append(new)
        if items is None:
            return value
        return items if isinstance(value, list) else tuple(items)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for name in _init_fields(type(value)):
            old = getattr(value, name)
            new = text(old) if type(old) is str else map_text(old, text, number)
            if new is not old:
                changes[name] = new
        return replace(value, **changes) if changes else value
    # Anything else is written with str() by the formats: treat that text.
    return text(str(value))


@cache
def _init_fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.init)


def _scrub(value: Any, secrets: SecretSet) -> Any:
    def number(value: Any) -> Any:
        shown = str(value)
        return REDACTED if len(shown) >= MIN_SEARCHED_LENGTH and shown in secrets.texts else value

    return map_text(value, secrets.scrub_text, number)
