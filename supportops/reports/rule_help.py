"""Help for every check a report names: a text, a Markdown version and a documentation link.

Our rules link to their section of docs/rules.md (one ``### `rule_id``` heading per rule, whose
GitHub anchor is the id itself); checkov's to checkov's own guideline when the scan gave one, else
its policy index; runbook checks to the runbook's page. The links point at this repository's docs
on GitHub: in GitHub Actions at the very commit being checked (``GITHUB_SERVER_URL``,
``GITHUB_REPOSITORY``, ``GITHUB_SHA``), else at ``SUPPORTOPS_DOCS_URL`` (a folder URL ending in
``/``), else at :data:`DEFAULT_DOCS_URL`.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from supportops.findings import Finding

DEFAULT_DOCS_URL: Final = "https://github.com/supportops/supportops/blob/main/docs/"
CHECKOV_POLICY_INDEX: Final = "https://www.checkov.io/5.Policy%20Index/terraform.html"
CHECKOV_SECRETS_INDEX: Final = "https://www.checkov.io/5.Policy%20Index/secrets.html"

# Runbook check kinds (``<kind>:<check>`` ids) -> the page documenting their checks.
RUNBOOK_PAGES: Final = {
    "access-review": "access-review.md",
    "dr-drill": "dr-drills.md",
    "privacy": "privacy.md",
    "vulnerability-scan": "reports.md",
}


@dataclass(frozen=True, slots=True)
class RuleHelp:
    short: str  # one line: the check's title
    full: str  # why it matters (rationale), or the title again
    text: str
    markdown: str
    uri: str


def docs_url(environ: Mapping[str, str] | None = None) -> str:
    """The URL of this repository's docs/ folder, ending in ``/``."""
    env = os.environ if environ is None else environ
    keys = ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA")
    server, repository, sha = (env.get(key, "") for key in keys)
    if server and repository and sha:
        return f"{server.rstrip('/')}/{repository}/blob/{sha}/docs/"
    configured = env.get("SUPPORTOPS_DOCS_URL", "")
    if configured.startswith(("https://", "http://")):
        return configured if configured.endswith("/") else configured + "/"
    return DEFAULT_DOCS_URL


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lower case, punctuation but ``-``/``_`` dropped,
    spaces as ``-``."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def rule_help(finding: Finding, environ: Mapping[str, str] | None = None) -> RuleHelp:
    """Help for ``finding``'s check (the same for every finding of that check)."""
    check_id, title = finding.check_id, finding.title or finding.check_id
    if finding.source == "checkov":
        return _checkov(finding, title)
    kind = check_id.split(":", 1)[0] if ":" in check_id else ""
    if kind in RUNBOOK_PAGES:
        uri = docs_url(environ) + RUNBOOK_PAGES[kind]
        text = f"{title}\n\n{finding.remediation}".strip() + f"\n\nSee {uri}"
        markdown = f"**{title}**\n\n{finding.remediation}".strip() + f"\n\n[Documentation]({uri})"
        return RuleHelp(title, title, text, markdown, uri)
    uri = f"{docs_url(environ)}rules.md#{github_anchor(check_id)}"
    rationale = _rationale(check_id)
    remediation = finding.remediation.strip()
    remedy = f"Remediation:\n{remediation}" if remediation else ""
    text = "\n\n".join(p for p in (title, rationale, remedy) if p)
    markdown_parts = [f"**{title}**", rationale]
    if remediation:
        markdown_parts.append(f"**Remediation**\n\n```python\n{remediation}\n```")
    markdown_parts.append(f"[Rule documentation]({uri})")
    markdown = "\n\n".join(p for p in markdown_parts if p)
    return RuleHelp(title, rationale or title, text + f"\n\nSee {uri}", markdown, uri)


def _checkov(finding: Finding, title: str) -> RuleHelp:
    guideline = finding.remediation.strip()
    if guideline.startswith("https://"):
        uri = guideline
    elif finding.check_id.startswith("CKV_SECRET") or finding.category == "secrets":
        uri = CHECKOV_SECRETS_INDEX
    else:
        uri = CHECKOV_POLICY_INDEX
    remedy = guideline if guideline and not guideline.startswith("https://") else ""
    text = f"{title}\n\ncheckov check {finding.check_id}." + (f"\n\n{remedy}" if remedy else "")
    text += f"\n\nSee {uri}"
    markdown = (
        f"**{title}**\n\ncheckov check `{finding.check_id}`."
        + (f"\n\n{remedy}" if remedy else "")
        + f"\n\n[checkov documentation]({uri})"
    )
    return RuleHelp(title, title, text, markdown, uri)


def _rationale(check_id: str) -> str:
    """Our rule's rationale from the catalog (the policies wing), when it is installed."""
    try:
        catalog = importlib.import_module("supportops.policies.catalog")
        rationale: str = catalog.rule_by_id(check_id).META.rationale
    except (ImportError, KeyError, AttributeError):
        return ""
    return rationale.strip()
