"""GitLab Code Quality report (a JSON array of issues)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from asynclint.reporters import Run


def gitlab(run: Run) -> str:
    """Fingerprints hash the rule, the file and the offending line's text (plus
    an occurrence count), not the line number, so a finding keeps its identity
    when code above it moves. Paths are from the repository root."""
    seen: Counter = Counter()
    issues = []
    for d in run.diagnostics:
        path = run.ci_path(d.path)
        text = (run.source_line(d.path, d.start.line) or "").strip()
        seen[(d.code, path, text)] += 1
        key = f"{d.code}\0{path}\0{text}\0{seen[(d.code, path, text)]}"
        issues.append(
            {
                "description": f"{d.code} {d.message}",
                "check_name": d.code,
                "fingerprint": hashlib.md5(key.encode(), usedforsecurity=False).hexdigest(),
                "severity": "major",
                "location": {"path": path, "lines": {"begin": d.start.line, "end": d.end.line}},
            }
        )
    return json.dumps(issues, indent=2) + "\n"
