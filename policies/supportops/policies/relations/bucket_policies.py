"""What a bucket's policy denies: the shared check behind the S3 transport-security rules."""

from __future__ import annotations

from collections.abc import Callable

from supportops.inventory.model import Resource
from supportops.policies.relations.index import Relations, missing_setting
from supportops.policies.relations.policy_documents import PolicyDocument, PolicyUnknown
from supportops.policies.relations.verdicts import Verdict, ev, failed, passed, unknown


def bucket_policy_denies(
    index: Relations,
    bucket: Resource,
    denies: Callable[[PolicyDocument], bool],
    what: str,
    statement: str,
) -> Verdict:
    """PASS when one of the bucket's policies denies ``what`` (e.g. "requests without TLS") with
    ``statement`` (e.g. "Deny aws:SecureTransport=false"); NOT_APPLICABLE while a policy is unknown."""
    policies = index.bucket_settings(bucket).policy
    if not policies:
        return missing_setting(
            index, bucket, "policy", f"no bucket policy: {what} are not denied", ev("policy", None, statement)
        )
    for policy in policies:
        try:
            document = index.policy(policy, "policy")
        except PolicyUnknown:
            return unknown(f"{policy.name}.policy")
        if document is not None and denies(document):
            return passed(f"the bucket policy denies {what}", ev(f"{policy.name}.policy", statement))
    return failed(
        f"the bucket policy does not deny {what}", ev(f"{policies[0].name}.policy", None, statement)
    )
