"""Security Hub: the account's hub (aws:securityhub/account:Account), its enabled standards
(aws:securityhub/standardsSubscription:StandardsSubscription) and finding aggregators
(aws:securityhub/findingAggregator:FindingAggregator). A region where Security Hub is not enabled has
none of them (``InvalidAccessException`` means "not subscribed", not a fault)."""

from __future__ import annotations

from typing import Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "securityhub"
ACCOUNT: Final = "aws:securityhub/account:Account"
SUBSCRIPTION: Final = "aws:securityhub/standardsSubscription:StandardsSubscription"
AGGREGATOR: Final = "aws:securityhub/findingAggregator:FindingAggregator"
TYPES: Final = (ACCOUNT, SUBSCRIPTION, AGGREGATOR)
GLOBAL: Final = False
CALLS: Final = (
    ("securityhub", "DescribeHub"),
    ("securityhub", "GetEnabledStandards"),
    ("securityhub", "ListFindingAggregators"),
    ("securityhub", "GetFindingAggregator"),
)
NOT_ENABLED: Final = ("InvalidAccessException",)


def collect(read: Reader, out: Out) -> None:
    hub = read.call("DescribeHub", absent=NOT_ENABLED)
    if hub is None:
        return
    account = read.scope.account_id
    out.add(
        ACCOUNT,
        account,
        {
            "arn": hub.get("HubArn"),
            "autoEnableControls": hub.get("AutoEnableControls"),
            "controlFindingGenerator": hub.get("ControlFindingGenerator"),
        },
        arn=hub.get("HubArn"),
    )
    for subscription in read.pages("GetEnabledStandards", "StandardsSubscriptions"):
        if subscription.get("StandardsStatus") not in ("READY", "PENDING", "INCOMPLETE"):
            continue
        out.add(
            SUBSCRIPTION,
            subscription["StandardsSubscriptionArn"],
            {
                "standardsArn": subscription.get("StandardsArn"),
                "standardsStatus": subscription.get("StandardsStatus"),
            },
            arn=subscription["StandardsSubscriptionArn"],
        )
    for listed in read.pages("ListFindingAggregators", "FindingAggregators"):
        arn = listed["FindingAggregatorArn"]
        got = out.sub(read, "GetFindingAggregator", out.urn(AGGREGATOR, arn), FindingAggregatorArn=arn)
        if isinstance(got, Unread):
            out.add(AGGREGATOR, arn, {"linkingMode": UNKNOWN, "specifiedRegions": UNKNOWN}, arn=arn)
            continue
        out.add(
            AGGREGATOR,
            arn,
            {
                "linkingMode": (got or {}).get("RegionLinkingMode"),
                "specifiedRegions": (got or {}).get("Regions") or None,
            },
            arn=arn,
        )
