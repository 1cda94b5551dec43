"""Resilience sized from the RTO/RPO targets: AWS Backup protection (schedule.py, backup_protection.py)
and the replica region's shared pieces (replica_site.py). Bucket replication itself lives in
components/replication/, which SecureBucket uses; this package builds on the security components."""
