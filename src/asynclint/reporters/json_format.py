"""JSON with ruff's field names, which tools and editors already read.

`location`/`end_location` are 1-based; the end is exclusive; `filename` is
absolute; `url` is the rule's page; `noqa_row` is the line where a `# noqa`
must go.
"""

from __future__ import annotations

import json
import os

from asynclint.diagnostics import Diagnostic
from asynclint.reporters import Run


def as_dict(run: Run, d: Diagnostic) -> dict:
    fix = None
    if d.fix is not None:
        fix = {
            "applicability": d.fix.applicability.value,
            "message": d.fix.message,
            "edits": [
                {
                    "content": e.content,
                    "location": {"row": e.start.line, "column": e.start.column},
                    "end_location": {"row": e.end.line, "column": e.end.column},
                }
                for e in d.fix.edits
            ],
        }
    return {
        "code": d.code,
        "name": d.name,
        "message": d.message,
        "severity": "error",
        "filename": d.path if d.path in ("stdin", "-") else os.path.abspath(d.path),
        "location": {"row": d.start.line, "column": d.start.column},
        "end_location": {"row": d.end.line, "column": d.end.column},
        "fix": fix,
        "url": run.rule_url(d.code),
        "noqa_row": d.noqa_line,
    }


def json_array(run: Run) -> str:
    return json.dumps([as_dict(run, d) for d in run.diagnostics], indent=2) + "\n"


def json_lines(run: Run) -> str:
    return "".join(json.dumps(as_dict(run, d)) + "\n" for d in run.diagnostics)
