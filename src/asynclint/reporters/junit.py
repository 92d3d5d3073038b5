"""JUnit XML: one test case per checked file with findings, one failure per finding."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree

from asynclint.reporters import Run


def junit(run: Run) -> str:
    by_file = defaultdict(list)
    for d in run.diagnostics:
        by_file[run.display_path(d.path)].append(d)
    suite = ElementTree.Element(
        "testsuite", name="asynclint", tests=str(max(len(by_file), 1)), failures=str(len(run.diagnostics)), errors="0"
    )
    if not by_file:
        ElementTree.SubElement(suite, "testcase", name="asynclint", classname="asynclint")
    for path, items in sorted(by_file.items()):
        case = ElementTree.SubElement(suite, "testcase", name=path, classname="asynclint")
        for d in items:
            failure = ElementTree.SubElement(case, "failure", message=f"{d.code} {d.message}", type=d.code)
            failure.text = f"{path}:{d.start.line}:{d.start.column}: {d.code} {d.message}"
    suites = ElementTree.Element("testsuites")
    suites.append(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
