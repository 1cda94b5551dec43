"""Resilience sized from the RTO/RPO targets: AWS Backup protection (schedule.py, backup_protection.py)
and cross-region S3 replication (replication.py, bucket_replication.py, replica_site.py).

Import from the modules themselves: SecureBucket imports replication.py, so this package must not
import the security components back at package level."""
