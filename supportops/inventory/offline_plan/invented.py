"""Plausible, deterministic values for what the mock engine must make up: data-source results and
computed outputs, shaped by the SDK's own output types (see :mod:`.shapes`).

Every made-up string carries a 10-hex-digit token derived from where it was made (type, name,
property path). The tokens are remembered, so a resource input that holds (or was built from) a
made-up value can be recognised by value and marked as invented in the inventory — a rule or a report
can then say "this relies on a value the planner invented". Shared placeholders that every planned
ARN carries (the account id, the region) are not tokens, so relations by ARN stay unmarked.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from supportops.inventory.offline_plan import shapes

PLAN_ACCOUNT_ID = "111122223333"
PLAN_TIMESTAMP = "2026-01-01T00:00:00Z"
_MAX_DEPTH = 12  # nested objects; recursive schemas (WAF statements) stop here

# ARN service names that differ from the SDK module name.
_SERVICES = {
    "alb": "elasticloadbalancing",
    "lb": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "apigatewayv2": "apigateway",
    "sfn": "states",
    "cognito": "cognito-idp",
    "cloudwatch": "logs",
}

# Id prefixes AWS uses, by the stem of the id property (`vpcId` → `vpc-…`).
_ID_PREFIXES = {
    "vpc": "vpc",
    "subnet": "subnet",
    "securityGroup": "sg",
    "image": "ami",
    "ami": "ami",
    "instance": "i",
    "volume": "vol",
    "snapshot": "snap",
    "networkInterface": "eni",
    "internetGateway": "igw",
    "natGateway": "nat",
    "routeTable": "rtb",
    "transitGateway": "tgw",
    "launchTemplate": "lt",
    "prefixList": "pl",
    "vpcEndpoint": "vpce",
    "networkAcl": "acl",
    "allocation": "eipalloc",
    "eip": "eipalloc",
    "keyPair": "key",
}

_TOKEN = re.compile(r"[0-9a-f]{10,}")


@dataclass(frozen=True, slots=True)
class Context:
    """Where a value is made: the resource or data source it belongs to."""

    token: str  # type token of the resource or function
    name: str  # the resource's physical name, or a name derived for a data source
    region: str

    @property
    def module(self) -> str:
        return self.token.partition(":")[2].partition(":")[0].split("/")[0]

    @property
    def kind(self) -> str:
        member = self.token.rpartition(":")[2]
        if member.startswith("get") and member[3:4].isupper():
            member = member[3:]
        return member[:1].lower() + member[1:]


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


class Inventor:
    """Makes values and remembers the tokens of the strings it made."""

    def __init__(self, account: str = PLAN_ACCOUNT_ID) -> None:
        self.account = account
        self.tokens: set[str] = set()

    # --- what the mocks ask for -------------------------------------------------------------

    def resource_outputs(self, ctx: Context, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Values for the resource's purely computed outputs that are absent from ``inputs``;
        outputs that are also inputs are left to the provider's default, never invented."""
        cls = shapes.resource_class(ctx.token)
        if cls is None:
            return {}
        input_names = shapes.input_names(cls)
        made: dict[str, Any] = {}
        for field in shapes.fields(cls):
            if field.optional or field.deprecated or field.name in inputs or field.name == "id":
                continue
            if field.python_name in input_names:
                continue
            if field.name == "tagsAll":  # the provider's merge of default tags and `tags`
                made[field.name] = dict(inputs.get("tags") or {})
                continue
            if field.name == "domainValidationOptions":
                made[field.name] = self._domain_validation(ctx, inputs)
                continue
            if ctx.token == "aws:kms/alias:Alias" and field.name == "targetKeyArn":
                key = str(inputs.get("targetKeyId") or "")  # an ARN, or a key id: planned, not made up
                made[field.name] = (
                    key if key.startswith("arn:") else f"arn:aws:kms:{ctx.region}:{self.account}:key/{key}"
                )
                continue
            made[field.name] = self.value(field.hint, field.name, ctx, field.name)
        return made

    def invoke_result(self, ctx: Context, args: Mapping[str, Any]) -> dict[str, Any]:
        """A data source's result: the arguments echoed where the result repeats them, every
        required field filled. An unknown function answers with its arguments."""
        cls = shapes.invoke_result_class(ctx.token)
        result: dict[str, Any] = dict(args)
        if cls is None:
            return result
        for field in shapes.fields(cls):
            if field.name in result or field.optional:
                continue
            result[field.name] = self.value(field.hint, field.name, ctx, field.name)
        return result

    # --- values by shape and name -----------------------------------------------------------

    def value(self, hint: Any, prop: str, ctx: Context, path: str, depth: int = 0) -> Any:
        if shapes.is_output_type(hint):
            if depth >= _MAX_DEPTH:
                return {}
            return {
                f.name: self.value(f.hint, f.name, ctx, f"{path}.{f.name}", depth + 1)
                for f in shapes.fields(hint)
                if not f.optional
            }
        item = shapes.sequence_item(hint)
        if item is not None:
            count = 1 if shapes.is_output_type(item) else 2
            single = _singular(prop)
            return [self.value(item, single, ctx, f"{path}.{i}", depth) for i in range(count)]
        if shapes.mapping_value(hint) is not None:
            return {}
        if shapes.is_enum(hint):
            return next(iter(hint)).value
        if hint is bool:
            return False
        if hint is int:  # a count of things a new resource does not have yet, unless a port
            return 443 if prop.lower().endswith("port") else 0
        if hint is float:
            return 1.0
        return self.string(prop, ctx, path)

    def string(self, prop: str, ctx: Context, path: str) -> str:
        low = prop.lower()
        if low in ("accountid", "ownerid", "owneraccountid", "owner"):
            return self.account
        if low.endswith("region"):  # `region`, `bucketRegion`, `homeRegion`
            return ctx.region
        if "availabilityzone" in low and not low.endswith("id"):
            return f"{ctx.region}a"
        if "cidr" in low:
            return "2001:db8::/56" if "ipv6" in low else "10.0.0.0/16"
        if low.endswith(("date", "time", "timestamp")) or low in ("createdat", "updatedat"):
            return PLAN_TIMESTAMP
        token = self._token(ctx, path)
        service = _SERVICES.get(ctx.module, ctx.module)
        if prop == "executionArn":
            return f"arn:aws:execute-api:{ctx.region}:{self.account}:{token}"
        if low == "arn" or prop.endswith("Arn"):
            stem = _kebab(prop[:-3]) if prop != "arn" else _kebab(ctx.kind)
            return f"arn:aws:{service}:{ctx.region}:{self.account}:{stem}/{ctx.name}-{token}"
        if low.endswith(("ip", "ipaddress")):
            number = int(token[:4], 16)
            return f"10.0.{number % 250 + 1}.{number // 250 % 250 + 1}"
        if low.endswith(("url", "uri")):
            return f"https://{ctx.name}-{token}.{service}.{ctx.region}.amazonaws.com"
        if any(word in low for word in ("endpoint", "dnsname", "hostname", "domain", "address")):
            return f"{ctx.name}-{token}.{service}.{ctx.region}.amazonaws.com"
        if prop == "id" or prop.endswith("Id"):
            stem = prop[:-2] or ctx.kind
            prefix = _ID_PREFIXES.get(stem)
            return f"{prefix}-{token}{self._digest(path, ctx)[10:17]}" if prefix else token
        if "json" in low or "policy" in low:
            return '{"Version":"2012-10-17","Statement":[]}'
        return f"{_kebab(prop)}-{token}"

    # --- special shapes ---------------------------------------------------------------------

    def _domain_validation(self, ctx: Context, inputs: Mapping[str, Any]) -> list[dict[str, Any]]:
        """One DNS validation record per name on the certificate, as ACM answers."""
        names = [inputs.get("domainName") or f"{ctx.name}.example.com"]
        names += [n for n in inputs.get("subjectAlternativeNames") or [] if n not in names]
        records = []
        for index, domain in enumerate(names):
            token = self._token(ctx, f"domainValidationOptions.{index}")
            bare = str(domain).removeprefix("*.")
            records.append(
                {
                    "domainName": domain,
                    "resourceRecordName": f"_{token}.{bare}.",
                    "resourceRecordType": "CNAME",
                    "resourceRecordValue": f"_{token}.acm-validations.aws.",
                }
            )
        return records

    # --- tokens -----------------------------------------------------------------------------

    def _digest(self, path: str, ctx: Context) -> str:
        return hashlib.sha256(f"{ctx.token}::{ctx.name}::{path}".encode()).hexdigest()

    def _token(self, ctx: Context, path: str) -> str:
        token = self._digest(path, ctx)[:10]
        self.tokens.add(token)
        return token

    def remember(self, value: str) -> None:
        """Tokens of a value made elsewhere (a pure function's result that embeds one)."""
        self.tokens.update(m[:10] for m in _TOKEN.findall(value))

    def invented_paths(self, prefix: str, value: Any) -> Iterator[str]:
        """Dotted paths under ``prefix`` whose string holds a made-up value (or was built from one)."""
        if not self.tokens:
            return
        if isinstance(value, str):
            if any(match[:10] in self.tokens for match in _TOKEN.findall(value)):
                yield prefix
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from self.invented_paths(f"{prefix}.{key}", item)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from self.invented_paths(f"{prefix}.{index}", item)
