"""Athena workgroups (aws:athena/workgroup:Workgroup)."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread, camel
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "athena"
WORKGROUP: Final = "aws:athena/workgroup:Workgroup"
TYPES: Final = (WORKGROUP,)
GLOBAL: Final = False
CALLS: Final = (("athena", "ListWorkGroups"), ("athena", "GetWorkGroup"))


def _configuration(config: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = camel(config)
    encryption = (out.get("resultConfiguration") or {}).get("encryptionConfiguration") or {}
    if "kmsKey" in encryption:  # the API's KmsKey is Pulumi's kmsKeyArn
        encryption["kmsKeyArn"] = encryption.pop("kmsKey")
    # Pulumi names two keys differently from the API.
    for api, pulumi in (
        ("publishCloudWatchMetricsEnabled", "publishCloudwatchMetricsEnabled"),
        ("bytesScannedCutoffPerQuery", "bytesScannedCutoffPerQuery"),
    ):
        if api in out:
            out[pulumi] = out.pop(api)
    return out


def collect(read: Reader, out: Out) -> None:
    for listed in read.token_pages("ListWorkGroups", "WorkGroups", MaxResults=50):
        name = listed["Name"]
        arn = f"arn:{read.scope.partition}:athena:{read.region}:{read.scope.account_id}:workgroup/{name}"
        got = out.sub(read, "GetWorkGroup", out.urn(WORKGROUP, name), WorkGroup=name)
        configuration: Any = UNKNOWN
        if not isinstance(got, Unread):
            configuration = _configuration(((got or {}).get("WorkGroup") or {}).get("Configuration") or {})
        tags = out.tags(arn)
        out.add(
            WORKGROUP,
            name,
            {
                "name": name,
                "arn": arn,
                "state": listed.get("State"),
                "description": listed.get("Description"),
                "configuration": configuration,
                "tags": tags,
                "tagsAll": tags,
            },
            arn=arn,
        )
