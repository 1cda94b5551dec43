"""The tag keys of the platform: written by the program (stacks/tags.py) and read by the rules, so
both import them from here rather than one from the other."""

from __future__ import annotations

OWNER = "owner"
ENVIRONMENT = "environment"
PHASE = "phase"
COST_CENTER = "cost-center"
DATA_CLASSIFICATION = "data-classification"
MANAGED_BY = "managed-by"

#: Every taggable resource of the platform carries these (rule ``required_tags``).
REQUIRED_TAG_KEYS = (OWNER, ENVIRONMENT, PHASE, DATA_CLASSIFICATION)

# Data stores carrying BACKUP=BACKUP_PROTECTED are selected by the AWS Backup plan sized from the
# RPO/RTO targets (stacks/components/resilience).
BACKUP = "backup"
BACKUP_PROTECTED = "rpo-protected"
