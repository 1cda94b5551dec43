"""Premises of rules about one resource: facts that make a demand meaningless, so the rule answers
NOT_APPLICABLE with the fact rather than a FAIL (docs/rules.md, "Profiles").

- A bucket that serves a static website (website configuration) is read over the website endpoint,
  which speaks plain HTTP only and cannot serve SSE-KMS objects, and whose pages must not expire: such
  a bucket is not told to use a customer-managed key, expire objects, deny plain HTTP or block public
  access.
- An API with no custom domain mapped to it has only its default execute-api endpoint.
"""

from __future__ import annotations

from typing import Final

from supportops.inventory.model import MISSING, Resource, is_known, unwrap
from supportops.policies import relations as rel

WEBSITE_TYPES: Final = (
    "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
    "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2",
)
# domain mapping type -> the input naming the API it maps
DOMAIN_MAPPINGS: Final = {
    "aws:apigatewayv2/apiMapping:ApiMapping": "apiId",
    "aws:apigateway/basePathMapping:BasePathMapping": "restApi",
}

WEBSITE_REASON: Final = "the bucket serves a static website (website configuration)"


def website_configuration(index: rel.Relations, bucket: Resource) -> Resource | None:
    """The website configuration of ``bucket`` (a separate resource, or the bucket's inline
    ``website`` block), else None."""
    inline = bucket.prop("website", None)
    if inline not in (None, MISSING, {}):
        return bucket
    for setting in index.inventory.of_type(*WEBSITE_TYPES):
        if index.bucket_of(setting) is bucket:
            return setting
    return None


def has_custom_domain(index: rel.Relations, api: Resource) -> bool:
    """True when a domain mapping names this API (by id, or by depending on it while its id is
    unknown until apply)."""
    refs = {ref for ref in (api.id, unwrap(api.prop("id", None))) if isinstance(ref, str) and is_known(ref)}
    for mapping_type, field in DOMAIN_MAPPINGS.items():
        for mapping in index.inventory.of_type(mapping_type):
            named = unwrap(mapping.prop(field, None))
            if isinstance(named, str) and is_known(named) and named in refs:
                return True
            if api.urn in mapping.dependencies:
                return True
    return False


WEBSITE_READ_ACTIONS: Final = frozenset({"s3:getobject", "s3:getobjectversion"})


def website_public_read(
    index: rel.Relations, policy: Resource, document: rel.PolicyDocument
) -> rel.Verdict | None:
    """NOT_APPLICABLE for a website bucket's policy whose only open grants read objects: public read
    is what a website bucket is for (any other open grant is still judged)."""
    if policy.type != rel.S3_POLICY:
        return None
    bucket = index.bucket_of(policy)
    if bucket is None or website_configuration(index, bucket) is None:
        return None
    open_statements = rel.open_statements(document)
    actions = {a.lower() for s in open_statements for a in s.actions}
    if not open_statements or any(s.not_actions for s in open_statements):
        return None
    if not actions <= WEBSITE_READ_ACTIONS:
        return None
    return rel.not_applicable(f"{WEBSITE_REASON}: anyone may read its objects, which is its purpose")
