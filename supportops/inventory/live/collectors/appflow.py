"""AppFlow flows (aws:appflow/flow:Flow) and connector profiles
(aws:appflow/connectorProfile:ConnectorProfile). The API never returns a connector profile's KMS key
(it is write-only), so that property is unknown on a live profile: no rule passes or fails on it."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "appflow"
FLOW: Final = "aws:appflow/flow:Flow"
CONNECTOR_PROFILE: Final = "aws:appflow/connectorProfile:ConnectorProfile"
TYPES: Final = (FLOW, CONNECTOR_PROFILE)
GLOBAL: Final = False
CALLS: Final = (
    ("appflow", "ListFlows"),
    ("appflow", "DescribeFlow"),
    ("appflow", "DescribeConnectorProfiles"),
)


def collect(read: Reader, out: Out) -> None:
    for listed in read.token_pages("ListFlows", "flows", cursor="nextToken", maxResults=100):
        name = listed["flowName"]
        got = out.sub(
            read, "DescribeFlow", out.urn(FLOW, name), absent=("ResourceNotFoundException",), flowName=name
        )
        if got is None:
            continue
        tags = dict(listed.get("tags") or {})
        inputs: dict[str, Any] = {
            "name": name,
            "arn": listed.get("flowArn"),
            "description": listed.get("description"),
            "tags": tags,
            "tagsAll": tags,
        }
        if isinstance(got, Unread):
            inputs["kmsArn"] = UNKNOWN
        else:
            inputs["kmsArn"] = got.get("kmsArn")
            inputs["flowStatus"] = got.get("flowStatus")
            source = got.get("sourceFlowConfig") or {}
            inputs["sourceFlowConfig"] = {
                "connectorType": source.get("connectorType"),
                "connectorProfileName": source.get("connectorProfileName"),
            }
            inputs["destinationFlowConfigs"] = [
                {
                    "connectorType": d.get("connectorType"),
                    "connectorProfileName": d.get("connectorProfileName"),
                }
                for d in got.get("destinationFlowConfigList") or []
            ]
        out.add(FLOW, name, inputs, arn=listed.get("flowArn"))
    for profile in read.token_pages(
        "DescribeConnectorProfiles", "connectorProfileDetails", cursor="nextToken", maxResults=100
    ):
        name = profile["connectorProfileName"]
        out.add(
            CONNECTOR_PROFILE,
            name,
            {
                "name": name,
                "arn": profile.get("connectorProfileArn"),
                "connectorType": profile.get("connectorType"),
                "connectionMode": profile.get("connectionMode"),
                "credentialsArn": profile.get("credentialsArn"),
                "kmsArn": UNKNOWN,  # write-only in the AppFlow API
            },
            arn=profile.get("connectorProfileArn"),
        )
