"""Data sources whose answer does not depend on the cloud, computed for real: a policy document is
the JSON its statements describe; caller identity, region, partition and zones are the plan's.
Every other function is answered by :class:`~.invented.Inventor` from the SDK's result type."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from supportops.inventory.offline_plan.invented import PLAN_TIMESTAMP, Context, Inventor

Answer = Callable[[Mapping[str, Any], Context, Inventor], dict[str, Any]]


def _one_or_list(values: list[Any]) -> Any:
    """IAM's JSON form: a single value stands alone, several make a list (duplicates dropped)."""
    unique = list(dict.fromkeys(values))
    return unique[0] if len(unique) == 1 else unique


def _principals(items: list[Mapping[str, Any]]) -> Any:
    block: dict[str, list[Any]] = {}
    for item in items:
        block.setdefault(str(item.get("type")), []).extend(item.get("identifiers") or [])
    if list(block) == ["*"] and block["*"] == ["*"]:
        return "*"
    return {kind: _one_or_list(ids) for kind, ids in block.items()}


def _statement(spec: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if spec.get("sid"):
        out["Sid"] = spec["sid"]
    out["Effect"] = spec.get("effect") or "Allow"
    for key, name in (
        ("actions", "Action"),
        ("notActions", "NotAction"),
        ("resources", "Resource"),
        ("notResources", "NotResource"),
    ):
        if spec.get(key):
            out[name] = _one_or_list(list(spec[key]))
    for key, name in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        if spec.get(key):
            out[name] = _principals(list(spec[key]))
    conditions: dict[str, dict[str, Any]] = {}
    for condition in spec.get("conditions") or []:
        conditions.setdefault(str(condition.get("test")), {})[str(condition.get("variable"))] = _one_or_list(
            list(condition.get("values") or [])
        )
    if conditions:
        out["Condition"] = conditions
    return out


def _merge(base: list[dict[str, Any]], over: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements of ``over`` replace those of ``base`` with the same Sid; the rest are appended."""
    merged = list(base)
    for statement in over:
        sid = statement.get("Sid")
        index = next((i for i, s in enumerate(merged) if sid and s.get("Sid") == sid), None)
        if index is None:
            merged.append(statement)
        else:
            merged[index] = statement
    return merged


def _statements_of(document: Any) -> list[dict[str, Any]]:
    try:
        parsed = json.loads(document) if isinstance(document, str) else {}
    except ValueError:
        return []
    statements = parsed.get("Statement", []) if isinstance(parsed, dict) else []
    return [statements] if isinstance(statements, dict) else [s for s in statements if isinstance(s, dict)]


def policy_document(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    statements: list[dict[str, Any]] = []
    for source in args.get("sourcePolicyDocuments") or []:
        statements = _merge(statements, _statements_of(source))
    statements = _merge(statements, [_statement(s) for s in args.get("statements") or []])
    for override in args.get("overridePolicyDocuments") or []:
        statements = _merge(statements, _statements_of(override))
    document: dict[str, Any] = {"Version": args.get("version") or "2012-10-17"}
    if args.get("policyId"):
        document["Id"] = args["policyId"]
    document["Statement"] = statements
    text = json.dumps(document, indent=2)
    return {
        **dict(args),
        "json": text,
        "minifiedJson": json.dumps(document, separators=(",", ":")),
        "id": str(int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)),
    }


def _zone_prefix(region: str) -> str:
    """``us-east-1`` → ``use1``, as AWS names zone ids."""
    parts = region.split("-")
    return parts[0] + "".join(p[0] for p in parts[1:-1]) + parts[-1] if len(parts) >= 3 else region


def availability_zones(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    names = [f"{ctx.region}{letter}" for letter in "abc"]
    names = [n for n in names if n not in (args.get("excludeNames") or [])] or names
    zone_ids = [f"{_zone_prefix(ctx.region)}-az{i}" for i in range(1, len(names) + 1)]
    return {
        **dict(args),
        "names": names,
        "zoneIds": zone_ids,
        "groupNames": [ctx.region],
        "id": ctx.region,
        "region": ctx.region,
    }


def availability_zone(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    name = str(args.get("name") or f"{ctx.region}a")
    return {
        **dict(args),
        "name": name,
        "zoneId": f"{_zone_prefix(ctx.region)}-az1",
        "region": ctx.region,
        "groupName": ctx.region,
        "state": "available",
        "zoneType": "availability-zone",
        "nameSuffix": name[len(ctx.region) :] or "a",
        "id": name,
    }


def caller_identity(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    account = inventor.account
    return {"accountId": account, "arn": f"arn:aws:iam::{account}:user/plan", "userId": "PLAN", "id": account}


def region(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    name = str(args.get("region") or args.get("name") or ctx.region)
    return {
        "name": name,
        "region": name,
        "id": name,
        "endpoint": f"ec2.{name}.amazonaws.com",
        "description": name,
    }


def regions(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    return {**dict(args), "names": [ctx.region], "id": "aws"}


def partition(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    return {
        "partition": "aws",
        "dnsSuffix": "amazonaws.com",
        "reverseDnsPrefix": "com.amazonaws",
        "id": "aws",
    }


def service_principal(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    service = str(args.get("serviceName") or "")
    return {
        **dict(args),
        "name": f"{service}.amazonaws.com",
        "id": f"{service}.amazonaws.com",
        "suffix": "amazonaws.com",
        "region": ctx.region,
    }


def _parse_arn(arn: str) -> dict[str, Any]:
    parts = arn.split(":", 5)
    parts += [""] * (6 - len(parts))
    return {
        "partition": parts[1],
        "service": parts[2],
        "region": parts[3],
        "accountId": parts[4],
        "account": parts[4],
        "resource": parts[5],
    }


def get_arn(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    arn = str(args.get("arn") or "")
    return {**dict(args), **_parse_arn(arn), "id": arn}


def arn_parse(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    return {"result": {k: v for k, v in _parse_arn(str(args.get("arn") or "")).items() if k != "account"}}


def arn_build(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    fields = [args.get(k) or "" for k in ("partition", "service", "region", "accountId", "resource")]
    return {"result": "arn:" + ":".join(str(f) for f in fields)}


def ecr_authorization_token(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    password = inventor.string("password", ctx, "password")
    return {
        **dict(args),
        "userName": "AWS",
        "password": password,
        "authorizationToken": base64.b64encode(f"AWS:{password}".encode()).decode(),
        "proxyEndpoint": f"https://{inventor.account}.dkr.ecr.{ctx.region}.amazonaws.com",
        "expiresAt": PLAN_TIMESTAMP,
        "id": ctx.region,
    }


def connect_queue(args: Mapping[str, Any], ctx: Context, inventor: Inventor) -> dict[str, Any]:
    """A queue looked up by name in a later phase: ids derived from instance and name."""
    instance = str(args.get("instanceId") or "")
    queue_id = hashlib.sha256(f"{instance}/{args.get('name')}".encode()).hexdigest()[:32]
    arn = f"arn:aws:connect:{ctx.region}:{inventor.account}:instance/{instance}/queue/{queue_id}"
    return {**dict(args), "arn": arn, "queueId": queue_id, "id": f"{instance}:{queue_id}"}


PURE: dict[str, Answer] = {
    "aws:iam/getPolicyDocument:getPolicyDocument": policy_document,
    "aws:index/getAvailabilityZones:getAvailabilityZones": availability_zones,
    "aws:index/getAvailabilityZone:getAvailabilityZone": availability_zone,
    "aws:index/getCallerIdentity:getCallerIdentity": caller_identity,
    "aws:index/getRegion:getRegion": region,
    "aws:index/getRegions:getRegions": regions,
    "aws:index/getPartition:getPartition": partition,
    "aws:index/getServicePrincipal:getServicePrincipal": service_principal,
    "aws:index/getArn:getArn": get_arn,
    "aws:index/arnParse:arnParse": arn_parse,
    "aws:index/arnBuild:arnBuild": arn_build,
    "aws:ecr/getAuthorizationToken:getAuthorizationToken": ecr_authorization_token,
    "aws:connect/getQueue:getQueue": connect_queue,
}
