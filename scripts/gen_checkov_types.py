"""Regenerate policies/supportops/policies/checkov/terraform-types.json from the installed
pulumi-aws SDK (and checkov's checks, for the few blocks Terraform names in the plural).

    .venv/bin/python scripts/gen_checkov_types.py

Run it after upgrading pulumi-aws or checkov; tests/policies/checkov/test_checkov_types.py fails
while the committed table differs from what the installed SDK gives.
"""

from __future__ import annotations

from supportops.policies.checkov.runner import find_checkov
from supportops.policies.checkov.sdk_types import GENERATED_PATH, checkov_package, write


def main() -> None:
    count = write(checkov_package(find_checkov()))
    print(f"{GENERATED_PATH}: {count} types")


if __name__ == "__main__":
    main()
