"""ACM certificates (aws:acm/certificate:Certificate): one list call per page, tags from the region's
tag index (private keys are never read)."""

from __future__ import annotations

from typing import Final

from supportops.inventory.live.collector import Out
from supportops.inventory.live.reader import Reader

SERVICE: Final = "acm"
CERTIFICATE: Final = "aws:acm/certificate:Certificate"
TYPES: Final = (CERTIFICATE,)
GLOBAL: Final = False
CALLS: Final = (("acm", "ListCertificates"),)


def collect(read: Reader, out: Out) -> None:
    for certificate in read.pages("ListCertificates", "CertificateSummaryList"):
        arn = certificate["CertificateArn"]
        tags = out.tags(arn)
        out.add(
            CERTIFICATE,
            arn,
            {
                "domainName": certificate.get("DomainName"),
                "arn": arn,
                "status": certificate.get("Status"),
                "type": certificate.get("Type"),
                "keyAlgorithm": certificate.get("KeyAlgorithm"),
                "tags": tags,
                "tagsAll": tags,
            },
            arn=arn,
        )
