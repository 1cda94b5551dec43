"""Cross-region S3 replication of a SecureBucket, sized from the RPO (sizing.py) and wired by
BucketReplication (role + rule). The security components use this package; it uses none of them.

BucketReplication keeps its type token ``supportops:resilience:BucketReplication`` so that deployed
stacks keep their URNs."""
