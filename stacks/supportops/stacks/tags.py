"""Tags: the defaults every taggable resource carries, applied once on the provider.

The AWS provider's ``defaultTags`` reach every taggable resource it creates (they show in each
resource's ``tagsAll``), so no call site repeats them. Only the data classification varies per
resource; components holding data set it from their data class.
"""

from __future__ import annotations

from supportops.stacks.config import DataClassName, StackConfig
from supportops.stacks.config.tag_keys import (
    BACKUP,
    BACKUP_PROTECTED,
    COST_CENTER,
    DATA_CLASSIFICATION,
    ENVIRONMENT,
    MANAGED_BY,
    OWNER,
    PHASE,
)


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


def backup_protected() -> dict[str, str]:
    """Opt a data store into the AWS Backup plan sized from the RPO/RTO targets."""
    return {BACKUP: BACKUP_PROTECTED}
