"""Credentials are not written in plaintext in the program or the stack's config."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from supportops.findings import Finding, Severity, Status
from supportops.inventory.model import STACK_TYPE, Resource, SourceKind
from supportops.policies import relations as rel
from supportops.policies.program_secrets import ANY_TYPE_NAMES, LiteralCredential, scan_program, snake
from supportops.policies.rule import Category, EvaluationContext, Profile, RuleMeta
from supportops.policies.sdk_secret_properties import SECRET_PROPERTIES

META = RuleMeta(
    profile=Profile.BASELINE,
    id="secrets_not_in_plaintext",
    title="Credentials are given as Pulumi secrets or generated values, not plaintext literals",
    severity=Severity.HIGH,
    category=Category.KEY_MANAGEMENT,
    rationale=(
        "A password, token or private key written into the program or a plain config value is in "
        "source control and every clone of it, whatever the state encrypts (PCI DSS 8.3.2). Read it "
        "with config.require_secret, or generate it (pulumi_random.RandomPassword, "
        "manage_master_user_password)."
    ),
    remediation=(
        "aws.rds.Instance('db', ..., password=pulumi.Config().require_secret('dbPassword'))\n"
        "# pulumi config set --secret dbPassword <value>"
    ),
    resource_types=(STACK_TYPE, *SECRET_PROPERTIES),
    needs_stack=True,
)

SSM_PARAMETER: Final = "aws:ssm/parameter:Parameter"
# Config keys whose last word names a credential (``dbPassword``, ``crmApiToken``, ``privateKey``).
_WORDS: Final = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
CREDENTIAL_WORDS: Final = frozenset(
    {"password", "passwd", "passphrase", "secret", "token", "credential", "credentials"}
)
CREDENTIAL_PAIRS: Final = frozenset({("private", "key"), ("api", "key"), ("secret", "key")})


def credential_key(key: str) -> bool:
    words = [w.lower() for w in _WORDS.findall(key.rsplit(":", 1)[-1].rsplit(".", 1)[-1])]
    return bool(words) and (words[-1] in CREDENTIAL_WORDS or tuple(words[-2:]) in CREDENTIAL_PAIRS)


def plaintext_config_keys(config: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Config keys (dotted into nested maps) naming a credential whose value is a plain string."""
    found: list[str] = []
    for key, value in config.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            if set(value) != {"secure"}:
                found.extend(plaintext_config_keys(value, path))
        elif isinstance(value, str) and value.strip() and credential_key(str(key)):
            found.append(path)
    return found


def _class_of(type_token: str) -> tuple[str, str]:
    """("rds", "Instance") for aws:rds/instance:Instance; ("", "Provider") for a provider."""
    if type_token.startswith("pulumi:providers:"):
        return "", "Provider"
    module, _, rest = type_token.partition(":")[2].partition("/")
    return module, rest.rpartition(":")[2]


def _written_as(hit: LiteralCredential, resource: Resource) -> bool:
    """The hit's call is this resource: its name fits, and its class is the resource's class."""
    if not hit.names_resource(resource.name):
        return False
    module, cls = _class_of(resource.type)
    parts = [part.removesuffix("_") for part in hit.callee.split(".")]  # aws.lambda_ is lambda
    return parts[-1] == cls and (len(parts) == 1 or not module or module in parts[:-1])


def _credential(hit: LiteralCredential, resource: Resource) -> bool:
    """The hit's property is a credential of this resource's type (nested keys are judged by name)."""
    if not hit.top_level:
        return True
    prop = snake(hit.path)
    if resource.type not in SECRET_PROPERTIES:
        return prop in ANY_TYPE_NAMES
    if prop not in SECRET_PROPERTIES[resource.type]:
        return False
    # An SSM parameter's value is a credential only when the parameter is a SecureString.
    return resource.type != SSM_PARAMETER or resource.prop("type", None) == "SecureString"


def _program_hits(context: EvaluationContext) -> list[LiteralCredential] | None:
    """The program's literal credentials; None when the inventory has no program (a state file)."""
    source = context.inventory.source
    if source.kind is SourceKind.OFFLINE_PLAN and source.location and Path(source.location).is_dir():
        return scan_program(Path(source.location))
    return None


def _place(
    context: EvaluationContext, hits: list[LiteralCredential]
) -> tuple[dict[str, list[LiteralCredential]], list[LiteralCredential]]:
    """Each hit's resource(s) by URN, and the hits that name no planned resource."""
    by_name: dict[str, list[Resource]] = {}
    for resource in context.inventory:
        if resource.custom:
            by_name.setdefault(resource.name, []).append(resource)
    placed: dict[str, list[LiteralCredential]] = {}
    unplaced: list[LiteralCredential] = []
    for hit in hits:
        everyone = (r for rs in by_name.values() for r in rs)
        pool = by_name.get(hit.name, []) if hit.name is not None else list(everyone)
        owners = [r for r in pool if _written_as(hit, r)]
        if not owners:
            if not hit.top_level or snake(hit.path) in ANY_TYPE_NAMES:
                unplaced.append(hit)
            continue
        for owner in owners:
            if _credential(hit, owner):
                placed.setdefault(owner.urn, []).append(hit)
    return placed, unplaced


def evaluate(context: EvaluationContext) -> Iterable[Finding]:
    hits = _program_hits(context)
    placed, unplaced = _place(context, hits) if hits else ({}, [])

    def check(resource: Resource) -> rel.Verdict | None:
        mine = placed.get(resource.urn)
        if mine:
            paths = sorted({h.path for h in mine})
            where = ", ".join(sorted({h.where for h in mine}))
            verb = "is a plaintext literal" if len(paths) == 1 else "are plaintext literals"
            return rel.failed(
                f"{', '.join(paths)} {verb} in the program ({where})",
                rel.ev("program", paths, "config.require_secret(...) or a generated value"),
            )
        present = [n for n in SECRET_PROPERTIES.get(resource.type, ()) if _given(resource, n)]
        if resource.type == SSM_PARAMETER and resource.prop("type", None) != "SecureString":
            present = []  # a String parameter's value is not a credential
        if not present:
            return None
        if hits is None:
            return rel.not_applicable("the program's source is not in this inventory (not an offline plan)")
        verb = "is not a literal" if len(present) == 1 else "are not literals"
        return rel.passed(f"{', '.join(present)} {verb} in the program")

    extra = {r.type for urn in placed if (r := context.inventory.by_urn(urn)) is not None}
    types = tuple(sorted(set(META.resource_types[1:]) | extra))
    yield from rel.each(context, META, check, types=types)
    yield from _stack_findings(context, hits, unplaced)


def _given(resource: Resource, name: str) -> bool:
    camel = re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)
    return resource.prop(camel, None) is not None


def _stack_findings(
    context: EvaluationContext, hits: list[LiteralCredential] | None, unplaced: list[LiteralCredential]
) -> Iterable[Finding]:
    """The stack's own finding: plaintext credential config keys, and program literals that name no
    planned resource; PASS when the program or the config was read."""
    stacks = context.inventory.of_type(STACK_TYPE)
    if not stacks:
        return
    keys = plaintext_config_keys(context.inventory.config)
    problems = [f"config key {key} holds a plaintext value (set it with `pulumi config set --secret`)"
                for key in keys]
    problems += [f"{h.callee}(...) gives {h.path} a plaintext literal ({h.where})" for h in unplaced]
    if problems:
        evidence = rel.ev("config and program", [*keys, *(h.where for h in unplaced)],
                          "Pulumi secrets or generated values")
        yield context.finding(META, stacks[0], Status.FAIL, "; ".join(problems), [evidence])
    elif hits is not None or context.inventory.config:
        yield context.finding(META, stacks[0], Status.PASS,
                              "no plaintext credential in the stack's config or outside its resources")
