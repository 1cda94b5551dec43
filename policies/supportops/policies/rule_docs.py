"""One section per rule in docs/rules.md: the anchor every report links to (SARIF ``helpUri``).

The heading is the rule id in backticks, so GitHub's anchor for it is the id itself
(``docs/rules.md#s3_bucket_cmk_encryption``); :func:`supportops.reports.rule_help.github_anchor`
computes the same anchor and a test checks every rule has one.
"""

from __future__ import annotations

from collections.abc import Iterable

from supportops.policies.rule import RuleModule


def rule_sections(rules: Iterable[RuleModule]) -> list[str]:
    lines = ["## Rules", ""]
    for rule in rules:
        meta = rule.META
        types = ", ".join(f"`{t}`" for t in meta.resource_types)
        lines += [
            f"### `{meta.id}`",
            "",
            f"**{meta.title}** ({meta.profile.value}, {meta.severity.value}, {meta.category.value}; {types})",
            "",
            meta.rationale.strip(),
            "",
        ]
        if meta.remediation.strip():
            lines += ["Remediation:", "", "```python", meta.remediation.strip(), "```", ""]
    return lines
