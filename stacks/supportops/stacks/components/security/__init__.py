"""Security baseline: customer-managed keys, secure buckets, log groups, the audit trail."""

from supportops.stacks.components.security.audit_trail import AuditTrail, AuditTrailArgs
from supportops.stacks.components.security.data_key import DataKey, DataKeyArgs
from supportops.stacks.components.security.log_group import SecureLogGroup, SecureLogGroupArgs
from supportops.stacks.components.security.secure_bucket import (
    BucketEncryption,
    SecureBucket,
    SecureBucketArgs,
)

__all__ = [
    "AuditTrail",
    "AuditTrailArgs",
    "BucketEncryption",
    "DataKey",
    "DataKeyArgs",
    "SecureBucket",
    "SecureBucketArgs",
    "SecureLogGroup",
    "SecureLogGroupArgs",
]
