"""``--format junit``: JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure).

Each finding is a failed test case named after its rule and position, in a
class named after its file; a file without findings is one passing test case.

The XML is well-formed whatever the input: ElementTree escapes markup, and
the characters XML 1.0 does not allow (C0 controls but tab, line feed and
carriage return; lone surrogates; U+FFFE, U+FFFF), with the other control
characters, are made visible first (``\\x1b``; :func:`k8slint.report.safe.visible`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, TextIO

from .safe import visible

if TYPE_CHECKING:
    from ..engine import Registry, Result
    from ..pipeline import Report


def write(report: Report, stream: TextIO, registry: Registry | None = None, color: bool = False) -> None:
    files: set[str] = set()
    if report.load is not None:
        files.update(d.source.display for d in report.load.documents)
        files.update(p.source.display for p in report.load.problems)
    by_file: dict[str, list[Result]] = {}
    for r in report.results:
        by_file.setdefault(r.file, []).append(r)
    cases: list[ET.Element] = []
    for name in sorted(files | set(by_file)):
        findings = by_file.get(name)
        shown = visible(name)
        if not findings:
            cases.append(ET.Element("testcase", classname=shown, name=shown))
            continue
        for r in findings:
            where = f"{r.line}:{r.column}" if r.line else "file"
            message = visible(r.message)
            case = ET.Element("testcase", classname=shown, name=f"{r.rule} at {where}", file=shown)
            if r.line:
                case.set("line", str(r.line))
            failure = ET.SubElement(case, "failure", type=r.severity, message=message)
            failure.text = f"{shown}:{where}: {r.severity} {message} [{r.rule}]"
            cases.append(case)
    failures = sum(1 for c in cases if len(c))
    suites = ET.Element("testsuites", name="k8slint", tests=str(len(cases)), failures=str(failures))
    suite = ET.SubElement(suites, "testsuite", name="k8slint", tests=str(len(cases)), failures=str(failures),
                          errors="0", skipped="0")
    suite.extend(cases)
    ET.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(suites, encoding="unicode"))
    stream.write("\n")
