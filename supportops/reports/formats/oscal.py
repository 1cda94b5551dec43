"""OSCAL assessment results (JSON, OSCAL 1.2.1), validated in tests with compliance-trestle's models.

- one ``result`` for the run; ``reviewed-controls`` lists every framework requirement as a control id
  ``<framework>_<requirement>`` (OSCAL ids are tokens: "pci-dss-4.0_3.5.1");
- one ``observation`` per finding (method TEST, the tool as origin), its subject a back-matter
  resource, its evidence as ``relevant-evidence`` (property path, observed and expected values);
- one OSCAL ``finding`` per requirement: satisfied / not-satisfied for PASS / FAIL; ERROR, MANUAL and
  NOT_APPLICABLE carry no objective status, their supportops status is a property and a remark says
  what is missing;
- the run's problems are the result's remarks; inputs are back-matter resources with SHA-256 hashes.

UUIDs are version 5, derived from the report, so the same report gives the same document.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from supportops.atomic import write_text_atomic
from supportops.findings import Finding, FrameworkResult, Report, RequirementResult, RequirementStatus
from supportops.reports.formats.common import display_status, iso_utc, render_value

OSCAL_VERSION = "1.2.1"
_NAMESPACE = uuid.UUID("6f1e3c1a-0d6b-5a53-9a4e-4e7a2f0b9c11")
_TOKEN_BAD = re.compile(r"[^A-Za-z0-9_.\-]")


def control_id(framework_id: str, requirement_id: str) -> str:
    """An OSCAL token for a framework requirement: letters, digits, . - _; not starting with a digit."""
    token = _TOKEN_BAD.sub("_", f"{framework_id}_{requirement_id}")
    return token if re.match(r"[A-Za-z_]", token) else "_" + token


def to_oscal(report: Report) -> dict[str, Any]:
    seed = f"{report.kind}|{report.subject}|{report.generated_at}|{report.title}"

    def uid(*parts: object) -> str:
        name = "|".join([seed, *map(str, parts)])
        # A lone surrogate from state data cannot be hashed as UTF-8: hash its escape instead.
        return str(uuid.uuid5(_NAMESPACE, name.encode("utf-8", "backslashreplace").decode("utf-8")))

    # OSCAL timestamps must carry a zone; an unreadable one becomes the time of writing.
    when = iso_utc(report.generated_at) or datetime.now(UTC).isoformat(timespec="seconds")
    tool_uuid = uid("tool")
    subjects: dict[str, str] = {}
    observations = []
    by_requirement: dict[str, list[str]] = {}
    for index, finding in enumerate(report.findings):
        subject_uuid = subjects.setdefault(finding.subject, uid("subject", finding.subject))
        observation_uuid = uid("observation", index)
        observations.append(_observation(finding, when, observation_uuid, subject_uuid, tool_uuid))
        for requirement in finding.requirements:
            by_requirement.setdefault(requirement, []).append(observation_uuid)
    findings = [
        _finding(framework, requirement, uid("finding", framework.framework_id, requirement.requirement_id),
                 by_requirement.get(f"{framework.framework_id}:{requirement.requirement_id}", []))
        for framework in report.frameworks
        for requirement in framework.requirements
    ]
    control_ids = [{"control-id": control_id(f.framework_id, r.requirement_id)}
                   for f in report.frameworks for r in f.requirements]
    selection: dict[str, Any] = {"include-controls": control_ids} if control_ids else {"include-all": {}}
    result: dict[str, Any] = {
        "uuid": uid("result"),
        "title": _line(report.title),
        "description": f"{report.kind} of {report.subject} by supportops {report.tool_version}",
        "start": when,
        "end": when,
        **_props({f"count-{k.lower().replace('_', '-')}": str(v) for k, v in report.counts().items()}),
        "local-definitions": {"components": [{
            "uuid": tool_uuid, "type": "software", "title": "supportops",
            "description": f"supportops {report.tool_version}: policy-as-code and operational controls",
            "status": {"state": "operational"},
        }]},
        "reviewed-controls": {"control-selections": [selection]},
    }
    if observations:
        result["observations"] = observations
    if findings:
        result["findings"] = findings
    if report.problems:
        result["remarks"] = "Problems (these results are incomplete):\n" + "\n".join(
            f"- {p}" for p in report.problems)
    resources = [{"uuid": uuid_, "title": _line(subject), **_props({"type": "cloud-resource"})}
                 for subject, uuid_ in subjects.items()]
    resources += [{
        "uuid": uid("input", i.path),
        "title": _line(i.path),
        "description": f"input ({i.role or 'file'}) read by the run",
        "rlinks": [{"href": i.path, "hashes": [{"algorithm": "SHA-256", "value": i.sha256}]}],
    } for i in report.inputs]
    plan_uuid = uid("plan")
    resources.append({"uuid": plan_uuid, "title": "No separate assessment plan",
                      "description": "supportops assessed the controls of the frameworks listed in the "
                                     "reviewed controls; it has no separate OSCAL assessment plan."})
    document: dict[str, Any] = {
        "uuid": uid("assessment-results"),
        "metadata": {
            "title": _line(report.title),
            "last-modified": when,
            "version": report.tool_version or "0",
            "oscal-version": OSCAL_VERSION,
            **_props({"supportops-kind": report.kind, "supportops-subject": report.subject}),
        },
        "import-ap": {"href": f"#{plan_uuid}"},
        "results": [result],
        "back-matter": {"resources": resources},
    }
    return {"assessment-results": document}


def _observation(finding: Finding, when: str, observation_uuid: str, subject_uuid: str,
                 tool_uuid: str) -> dict[str, Any]:
    props = {
        "check-id": finding.check_id, "status": display_status(finding), "severity": finding.severity.value,
        "source": finding.source, "subject-type": finding.subject_type, "category": finding.category,
    }
    if finding.waiver is not None:
        props.update({"waiver-id": finding.waiver.waiver_id, "waiver-owner": finding.waiver.owner,
                      "waiver-expires": finding.waiver.expires})
    observation: dict[str, Any] = {
        "uuid": observation_uuid,
        "title": _line(f"{finding.check_id}: {finding.title}"),
        "description": finding.message or finding.title or finding.check_id,
        **_props(props),
        "methods": ["TEST"],
        "origins": [{"actors": [{"type": "tool", "actor-uuid": tool_uuid}]}],
        "subjects": [{"subject-uuid": subject_uuid, "type": "resource", "title": _line(finding.subject)}],
        "collected": when,
    }
    if finding.evidence:
        observation["relevant-evidence"] = [{
            "description": f"{e.path} = {render_value(e.observed)}"
                           + (f" (expected {e.expected})" if e.expected else ""),
        } for e in finding.evidence]
    remarks = [f"Remediation: {finding.remediation}"] if finding.remediation else []
    if finding.waiver is not None:
        remarks.append(f"Waived: {finding.waiver.justification}")
    if remarks:
        observation["remarks"] = "\n\n".join(remarks)
    return observation


def _finding(framework: FrameworkResult, requirement: RequirementResult, finding_uuid: str,
             observation_uuids: list[str]) -> dict[str, Any]:
    target: dict[str, Any] = {
        "type": "objective-id",
        "target-id": control_id(framework.framework_id, requirement.requirement_id),
        **_props({"supportops-status": requirement.status.value,
                         "automation": requirement.automation.value}),
    }
    if requirement.status is RequirementStatus.PASS:
        target["status"] = {"state": "satisfied"}
    elif requirement.status is RequirementStatus.FAIL:
        target["status"] = {"state": "not-satisfied"}
    else:
        target["remarks"] = {
            RequirementStatus.ERROR: "Some checks could not be evaluated; the objective is not determined.",
            RequirementStatus.MANUAL: "Needs manual evidence: "
            + (requirement.manual_evidence or "see the plan"),
            RequirementStatus.NOT_APPLICABLE: "No checked resource was applicable.",
        }[requirement.status]
    finding: dict[str, Any] = {
        "uuid": finding_uuid,
        "title": _line(f"{framework.title} {requirement.requirement_id}: {requirement.title}"),
        "description": f"{requirement.automation.value} assessment of {framework.title} "
                       f"{framework.version} requirement {requirement.requirement_id}",
        **_props({"check-ids": " ".join(requirement.check_ids)}),
        "target": target,
    }
    if observation_uuids:
        finding["related-observations"] = [{"observation-uuid": u} for u in observation_uuids]
    if requirement.manual_evidence:
        finding["remarks"] = f"Manual evidence: {requirement.manual_evidence}"
    return finding


def _props(values: dict[str, str]) -> dict[str, Any]:
    """``{"props": [...]}`` for the non-empty values (OSCAL wants no empty value, no empty list)."""
    props = [{"name": name, "value": " ".join(value.split())} for name, value in values.items()
             if value and value.strip()]
    return {"props": props} if props else {}


def _line(text: str) -> str:
    """OSCAL titles are one line."""
    return " ".join(text.split()) or "-"


def write(report: Report, path: Path) -> None:
    write_text_atomic(path, json.dumps(to_oscal(report), indent=1, default=str) + "\n")
