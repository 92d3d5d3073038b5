"""SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.

Every rule is described in `tool.driver.rules` (with its documentation as
help and its page as `helpUri`); results point at 1-based regions in files
named by percent-encoded URI references relative to `%SRCROOT%` (the
repository root, see `Run.root`), carry a `partialFingerprints` entry that
survives line moves and a change of working directory (rule, file and the
offending line's text), and fixes where present.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from asynclint import __version__, registry
from asynclint.diagnostics import Default
from asynclint.reporters import Run
from asynclint.urls import project_urls

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _rule(run: Run, rule) -> dict:
    doc = rule.documentation()
    first = doc.split("## Why is this bad?")[0].replace("## What it does", "").strip()
    described = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(first.split())},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": "error" if rule.default is Default.ON else "warning"},
        "properties": {"default": rule.default.value, "fix": rule.fix_class.value},
    }
    url = run.rule_url(rule.code)
    if url is not None:
        described["helpUri"] = url
    return described


def fingerprint(run: Run, d, occurrence: int) -> str:
    line = (run.source_line(d.path, d.start.line) or "").strip()
    key = f"{d.code}\0{run.ci_path(d.path)}\0{line}\0{occurrence}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def artifact_location(run: Run, path: str) -> dict:
    """A file in the repository is a URI reference relative to `%SRCROOT%`
    (`:` encoded too, so that no first segment reads as a scheme); any other
    file is an absolute `file:` URI."""
    relative = run.repository_path(path)
    if relative is None:
        return {"uri": Path(path).resolve().as_uri()}
    return {"uri": quote(relative, safe="/"), "uriBaseId": "%SRCROOT%"}


def sarif(run: Run) -> str:
    rules = list(registry.all_rules().values())
    index = {rule.code: i for i, rule in enumerate(rules)}
    seen: Counter = Counter()
    results = []
    for d in run.diagnostics:
        location = artifact_location(run, d.path)
        line_text = (run.source_line(d.path, d.start.line) or "").strip()
        seen[(d.code, d.path, line_text)] += 1
        result = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": "error",
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": {
                            "startLine": d.start.line,
                            "startColumn": d.start.column,
                            "endLine": d.end.line,
                            "endColumn": max(d.end.column, 1),
                        },
                    }
                }
            ],
            "partialFingerprints": {"asynclint/v1": fingerprint(run, d, seen[(d.code, d.path, line_text)])},
        }
        if d.fix is not None and d.fix.edits:
            result["fixes"] = [
                {
                    "description": {"text": d.fix.message},
                    "artifactChanges": [
                        {
                            "artifactLocation": location,
                            "replacements": [
                                {
                                    "deletedRegion": {
                                        "startLine": e.start.line,
                                        "startColumn": e.start.column,
                                        "endLine": e.end.line,
                                        "endColumn": e.end.column,
                                    },
                                    "insertedContent": {"text": e.content},
                                }
                                for e in d.fix.edits
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    driver = {"name": "asynclint", "version": __version__}
    homepage = project_urls().get("homepage")
    if homepage is not None:
        driver["informationUri"] = homepage
    driver["rules"] = [_rule(run, rule) for rule in rules]
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(run.root).as_uri() + "/"}},
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"
