"""Tags: the defaults every taggable resource carries, applied once on the provider.

The AWS provider's ``defaultTags`` reach every taggable resource it creates (they show in each
resource's ``tagsAll``), so no call site repeats them. Only the data classification varies per
resource; components holding data set it from their data class.
"""

from __future__ import annotations

from supportops.stacks.config import DataClassName, StackConfig

OWNER = "owner"
ENVIRONMENT = "environment"
PHASE = "phase"
COST_CENTER = "cost-center"
DATA_CLASSIFICATION = "data-classification"
MANAGED_BY = "managed-by"

REQUIRED_TAG_KEYS = (OWNER, ENVIRONMENT, PHASE, DATA_CLASSIFICATION)


def default_tags(config: StackConfig) -> dict[str, str]:
    return {
        OWNER: config.owner,
        ENVIRONMENT: config.environment,
        PHASE: config.phase.value,
        COST_CENTER: config.cost_center,
        # Overridden by components that hold a specific class of data.
        DATA_CLASSIFICATION: "internal",
        MANAGED_BY: "supportops",
    }


def classification(data_class: DataClassName) -> dict[str, str]:
    return {DATA_CLASSIFICATION: data_class.tag_value}


# Data stores carrying this tag are selected by the AWS Backup plan sized from the RPO/RTO
# targets (stacks/components/resilience): a store opts in with ``backup_protected()``.
BACKUP = "backup"
BACKUP_PROTECTED = "rpo-protected"


def backup_protected() -> dict[str, str]:
    return {BACKUP: BACKUP_PROTECTED}
