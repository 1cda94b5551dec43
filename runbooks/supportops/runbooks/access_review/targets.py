"""What a campaign row acts on, derived from its ARN alone. The ``account``, ``kind``, ``name``,
``instance_id`` and ``region`` columns are for the reviewer to read: a row whose columns disagree with
its ARN is refused, so editing a display column can never redirect a change to another principal."""

from __future__ import annotations

import re
from dataclasses import dataclass

from supportops.runbooks.access_review.campaign import CampaignRow
from supportops.runbooks.access_review.checks import CONNECT, ROLE, ROOT, USER

_IAM = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):(user|role)/(?:[\x21-\x7e]*/)?([\w+=,.@-]{1,128})$")
_ROOT = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):root$")
_CONNECT = re.compile(
    r"^arn:aws[a-z-]*:connect:([a-z0-9-]{1,30}):(\d{12}):instance/([A-Za-z0-9-]{1,100})/agent/([A-Za-z0-9-]{1,100})$"
)


@dataclass(frozen=True)
class ArnTarget:
    kind: str
    account: str
    name: str  # IAM user/role name; Connect: the user id (the username column is display only)
    instance_id: str = ""
    region: str = ""


def target_from_arn(arn: str) -> ArnTarget:
    """The principal an ARN names; ValueError when it is not a principal ARN a review writes."""
    if match := _IAM.match(arn):
        account, kind, name = match.groups()
        return ArnTarget(USER if kind == "user" else ROLE, account, name)
    if match := _ROOT.match(arn):
        return ArnTarget(ROOT, match.group(1), "<root_account>")
    if match := _CONNECT.match(arn):
        region, account, instance, user_id = match.groups()
        return ArnTarget(CONNECT, account, user_id, instance, region)
    raise ValueError("arn is not an IAM user, role, root or Connect user ARN")


def row_target(row: CampaignRow) -> ArnTarget:
    """The row's target; ValueError naming the first column that disagrees with the ARN."""
    target = target_from_arn(row.arn)
    columns = {"kind": target.kind, "account": target.account, "instance_id": target.instance_id}
    if target.kind in (USER, ROLE):
        columns["name"] = target.name
    if target.kind == CONNECT:
        columns["region"] = target.region
    for column, derived in columns.items():
        if getattr(row, column) != derived:
            raise ValueError(
                f"column {column} does not match the row's arn (the arn decides what is changed)"
            )
    return target
