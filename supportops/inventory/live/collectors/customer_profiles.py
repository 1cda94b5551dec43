"""Customer Profiles domains (aws:customerprofiles/domain:Domain; boto3 service 'customer-profiles')."""

from __future__ import annotations

from typing import Any, Final

from supportops.inventory.live.collector import Out, Unread
from supportops.inventory.live.reader import Reader
from supportops.inventory.model import UNKNOWN

SERVICE: Final = "customer-profiles"
DOMAIN: Final = "aws:customerprofiles/domain:Domain"
TYPES: Final = (DOMAIN,)
GLOBAL: Final = False
CALLS: Final = (("customer-profiles", "ListDomains"), ("customer-profiles", "GetDomain"))


def collect(read: Reader, out: Out) -> None:
    for listed in read.token_pages("ListDomains", "Items", MaxResults=100):
        name = listed["DomainName"]
        arn = f"arn:{read.scope.partition}:profile:{read.region}:{read.scope.account_id}:domains/{name}"
        got = out.sub(
            read, "GetDomain", out.urn(DOMAIN, name), absent=("ResourceNotFoundException",), DomainName=name
        )
        if got is None:
            continue
        inputs: dict[str, Any] = {"domainName": name, "arn": arn}
        if isinstance(got, Unread):
            inputs.update(defaultEncryptionKey=UNKNOWN, defaultExpirationDays=UNKNOWN, tags=UNKNOWN)
        else:
            inputs.update(
                defaultEncryptionKey=got.get("DefaultEncryptionKey"),
                defaultExpirationDays=got.get("DefaultExpirationDays"),
                deadLetterQueueUrl=got.get("DeadLetterQueueUrl"),
                tags=dict(got.get("Tags") or {}),
            )
        inputs["tagsAll"] = inputs["tags"]
        out.add(DOMAIN, name, inputs, arn=arn)
