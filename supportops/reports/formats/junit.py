"""JUnit XML, for CI systems: one test suite per check, one test case per subject.

FAIL is a ``<failure>``, ERROR an ``<error>``, NOT_APPLICABLE and waived findings are
``<skipped>`` (the waiver's owner and expiry in the message). The run's problems form a
``supportops.problems`` suite of errors so a CI view shows them. Written as a stream.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from supportops.atomic import atomic_text
from supportops.findings import Finding, Report, Status
from supportops.reports.formats.common import render_value

PROBLEMS_SUITE = "supportops.problems"


def write(report: Report, path: Path) -> None:
    suites: dict[str, list[Finding]] = {}
    for finding in report.findings:
        suites.setdefault(finding.check_id, []).append(finding)
    with atomic_text(path) as handle:
        xml = XMLGenerator(handle, encoding="utf-8", short_empty_elements=True)
        xml.startDocument()
        counts = report.counts()
        _start(xml, "testsuites", {
            "name": f"supportops {report.kind}: {report.subject}",
            "tests": str(len(report.findings) + len(report.problems)),
            "failures": str(counts[Status.FAIL.value]),
            "errors": str(counts[Status.ERROR.value] + len(report.problems)),
            "skipped": str(counts[Status.NOT_APPLICABLE.value] + counts["WAIVED"]),
            "timestamp": report.generated_at,
        })
        if report.problems:
            _problems_suite(xml, report)
        for check_id, findings in suites.items():
            _suite(xml, report, check_id, findings)
        xml.endElement("testsuites")
        xml.endDocument()
        handle.write("\n")


def _suite(xml: XMLGenerator, report: Report, check_id: str, findings: list[Finding]) -> None:
    _start(xml, "testsuite", {
        "name": check_id,
        "tests": str(len(findings)),
        "failures": str(sum(f.failing for f in findings)),
        "errors": str(sum(f.status is Status.ERROR and not f.waived for f in findings)),
        "skipped": str(sum(f.waived or f.status is Status.NOT_APPLICABLE for f in findings)),
        "timestamp": report.generated_at,
    })
    for finding in findings:
        _case(xml, finding)
    xml.endElement("testsuite")


def _case(xml: XMLGenerator, finding: Finding) -> None:
    _start(xml, "testcase", {"classname": finding.check_id, "name": finding.subject, "time": "0"})
    summary = finding.message or finding.title
    if finding.waiver is not None:
        waiver = finding.waiver
        _text_element(xml, "skipped", {
            "message": f"waived ({finding.status.value}) by {waiver.waiver_id or 'waiver'}: owner "
                       f"{waiver.owner}, expires {waiver.expires}: {waiver.justification}"}, None)
    elif finding.status is Status.FAIL:
        _text_element(xml, "failure", {"message": summary, "type": finding.severity.value}, _body(finding))
    elif finding.status is Status.ERROR:
        _text_element(xml, "error", {"message": summary, "type": "evaluation-error"}, _body(finding))
    elif finding.status is Status.NOT_APPLICABLE:
        _text_element(xml, "skipped", {"message": summary or "not applicable"}, None)
    _properties(xml, finding)
    xml.endElement("testcase")


def _properties(xml: XMLGenerator, finding: Finding) -> None:
    pairs = [("title", finding.title), ("severity", finding.severity.value), ("source", finding.source),
             ("subjectType", finding.subject_type)]
    pairs += [("requirement", r) for r in finding.requirements]
    _start(xml, "properties", {})
    for name, value in pairs:
        if value:
            _start(xml, "property", {"name": name, "value": value})
            xml.endElement("property")
    xml.endElement("properties")


def _body(finding: Finding) -> str:
    lines = [f"{finding.title} [{finding.severity.value}]", f"subject: {finding.subject}"]
    if finding.message:
        lines.append(f"message: {finding.message}")
    for evidence in finding.evidence:
        expected = f" (expected {evidence.expected})" if evidence.expected else ""
        lines.append(f"evidence: {evidence.path} = {render_value(evidence.observed)}{expected}")
    if finding.remediation:
        lines.append(f"remediation: {finding.remediation}")
    return "\n".join(lines)


def _problems_suite(xml: XMLGenerator, report: Report) -> None:
    _start(xml, "testsuite", {"name": PROBLEMS_SUITE, "tests": str(len(report.problems)), "failures": "0",
                                   "errors": str(len(report.problems)), "skipped": "0",
                                   "timestamp": report.generated_at})
    for index, problem in enumerate(report.problems, start=1):
        _start(xml, "testcase", {"classname": PROBLEMS_SUITE, "name": f"problem {index}", "time": "0"})
        _text_element(xml, "error", {"message": problem, "type": "partial-failure"}, problem)
        xml.endElement("testcase")
    xml.endElement("testsuite")


def _start(xml: XMLGenerator, name: str, attrs: dict[str, str]) -> None:
    xml.startElement(name, AttributesImpl({key: _clean(value) for key, value in attrs.items()}))


def _text_element(xml: XMLGenerator, name: str, attrs: dict[str, str], text: str | None) -> None:
    _start(xml, name, attrs)
    if text:
        xml.characters(_clean(text))
    xml.endElement(name)


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters, lone surrogates (from undecodable state data)
    or U+FFFE/U+FFFF, even escaped: replace them."""
    return _NOT_XML.sub("\ufffd", text)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
