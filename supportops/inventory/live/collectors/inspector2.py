"""Amazon Inspector scanning of the account (aws:inspector2/enabler:Enabler): the resource types whose
scanning is enabled, from one BatchGetAccountStatus call per region."""

from __future__ import annotations

from typing import Final

from supportops.inventory.live.collector import Out
from supportops.inventory.live.reader import Reader

SERVICE: Final = "inspector2"
ENABLER: Final = "aws:inspector2/enabler:Enabler"
TYPES: Final = (ENABLER,)
GLOBAL: Final = False
CALLS: Final = (("inspector2", "BatchGetAccountStatus"),)
# resourceState keys and the Enabler's resourceTypes names
RESOURCE_TYPES: Final = {
    "ec2": "EC2",
    "ecr": "ECR",
    "lambda": "LAMBDA",
    "lambdaCode": "LAMBDA_CODE",
    "codeRepository": "CODE_REPOSITORY",
}


def collect(read: Reader, out: Out) -> None:
    account = read.scope.account_id
    found = read.call("BatchGetAccountStatus", accountIds=[account]) or {}
    for status in found.get("accounts", []):
        state = status.get("resourceState") or {}
        enabled = [
            name
            for key, name in RESOURCE_TYPES.items()
            if (state.get(key) or {}).get("status") in ("ENABLED", "ENABLING")
        ]
        if not enabled:
            continue  # nothing scanned: no enabler
        out.add(
            ENABLER,
            status.get("accountId", account),
            {
                "accountIds": [status.get("accountId", account)],
                "resourceTypes": enabled,
            },
        )
