"""checkov on Pulumi: the inventory written as a Terraform plan, scanned by checkov from its own
virtual environment, results folded into our findings.

- :func:`supportops.policies.checkov.scan.scan` (what ``supportops comply --checkov`` calls): one
  stack's inventory.
- :func:`supportops.policies.checkov.secrets.scan_secrets`: checkov's secrets scan over a project's
  config files and repository.
- :func:`supportops.policies.checkov.joint.scan_stacks`: every stack of a comply run and the
  secrets, in one checkov process, with per-resource cache.

See docs/checkov.md. Nothing is imported here: the run's start-up imports only what it uses.
"""
