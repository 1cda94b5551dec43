"""Amazon AppIntegrations data integrations (aws-native:appintegrations:DataIntegration)."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "appintegrations"
DATA_INTEGRATION: Final = "aws-native:appintegrations:DataIntegration"
TYPES: Final = (DATA_INTEGRATION,)
GLOBAL: Final = False
CALLS: Final = (("appintegrations", "ListDataIntegrations"), ("appintegrations", "GetDataIntegration"))


def collect(read: Reader, out: Out) -> None:
    for listed in read.pages("ListDataIntegrations", "DataIntegrations"):
        arn = listed["Arn"]
        name = listed["Name"]
        got = out.sub(
            read,
            "GetDataIntegration",
            out.urn(DATA_INTEGRATION, name),
            absent=("ResourceNotFoundException",),
            Identifier=arn,
        )
        if got is None:
            continue
        inputs: dict[str, Any] = {"name": name, "arn": arn, "sourceUri": listed.get("SourceURI")}
        if isinstance(got, Unread):
            inputs.update(kmsKey=UNKNOWN, tags=UNKNOWN)
        else:
            inputs["kmsKey"] = got.get("KmsKey")
            inputs["description"] = got.get("Description")
            inputs["tags"] = [{"key": str(k), "value": str(v)} for k, v in (got.get("Tags") or {}).items()]
        out.add(DATA_INTEGRATION, name, inputs, arn=arn)
