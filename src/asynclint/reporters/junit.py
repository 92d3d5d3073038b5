"""JUnit XML: a test suite per file with findings, a failing test case per
finding; a clean run is one suite with one passing case, so CI systems show
a passed check rather than an empty report.

XML 1.0 cannot carry most control characters, not even as character
references, and a source line or a configured advice may hold one: they are
written as visible escapes (`\\x1b`), so the report always parses.
"""

from __future__ import annotations

import re
from collections import defaultdict
from xml.etree import ElementTree

from asynclint.reporters import Run

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)


def _counts(element: ElementTree.Element, tests: int, failures: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")


def junit(run: Run) -> str:
    by_file = defaultdict(list)
    for d in run.diagnostics:
        by_file[_xml_safe(run.display_path(d.path))].append(d)
    suites = ElementTree.Element("testsuites", name="asynclint")
    _counts(suites, max(len(run.diagnostics), 1), len(run.diagnostics))
    if not by_file:
        suite = ElementTree.SubElement(suites, "testsuite", name="asynclint")
        _counts(suite, 1, 0)
        ElementTree.SubElement(suite, "testcase", name="no findings", classname="asynclint")
    for path, items in sorted(by_file.items()):
        suite = ElementTree.SubElement(suites, "testsuite", name=path)
        _counts(suite, len(items), len(items))
        for d in items:
            where = f"{d.start.line}:{d.start.column}"
            case = ElementTree.SubElement(
                suite, "testcase", name=f"{d.code} {d.name} at {where}", classname=path,
                file=path, line=str(d.start.line),
            )
            message = _xml_safe(f"{d.code} {d.message}")
            failure = ElementTree.SubElement(case, "failure", message=message, type=d.code)
            failure.text = f"{path}:{where}: {message}"
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
