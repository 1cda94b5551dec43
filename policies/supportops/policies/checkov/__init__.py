"""checkov on Pulumi: the inventory written as a Terraform plan, scanned by checkov from its own
virtual environment, results folded into our findings.

- :func:`scan` (what ``supportops comply --checkov`` calls): one stack's inventory.
- :func:`scan_secrets`: checkov's secrets scan over a project's config files and repository.

See docs/checkov.md.
"""

from __future__ import annotations

from supportops.policies.checkov.scan import CheckovOutcome, scan
from supportops.policies.checkov.secrets import scan_secrets

__all__ = ["CheckovOutcome", "scan", "scan_secrets"]
