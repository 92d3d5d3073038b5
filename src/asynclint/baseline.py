"""Baselines: adopt asynclint in an existing codebase by recording today's
findings and reporting only new ones.

An entry matches by file (relative to the baseline's directory), rule and
the offending source line's text (stripped), with a count, never by line
number: code inserted above a finding does not bring it back. Rewriting the
baseline records only what is still found, so fixed findings drop out.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

from asynclint.config import ConfigError
from asynclint.diagnostics import Diagnostic
from asynclint.reporters import Run

VERSION = 1


def _key(run: Run, base: Path, d: Diagnostic) -> tuple[str, str, str]:
    absolute = Path(os.path.abspath(d.path))
    try:
        relative = absolute.relative_to(base).as_posix()
    except ValueError:
        relative = absolute.as_posix()
    return (relative, d.code, (run.source_line(d.path, d.start.line) or "").strip())


def write_baseline(path: str, run: Run) -> int:
    base = Path(os.path.abspath(path)).parent
    counts = Counter(_key(run, base, d) for d in run.diagnostics)
    entries = [
        {"file": file, "code": code, "line": line, "count": count}
        for (file, code, line), count in sorted(counts.items())
    ]
    Path(path).write_text(json.dumps({"version": VERSION, "findings": entries}, indent=2) + "\n", encoding="utf-8")
    return len(run.diagnostics)


def load_baseline(path: str) -> Counter:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("version") != VERSION:
            raise ConfigError(f"{path}: baseline version {data.get('version')!r} is not supported")
        return Counter({(e["file"], e["code"], e["line"]): int(e["count"]) for e in data["findings"]})
    except FileNotFoundError:
        raise ConfigError(f"baseline file not found: {path}") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{path}: not a valid asynclint baseline ({exc})") from None


def apply_baseline(path: str, run: Run) -> tuple[list[Diagnostic], int]:
    """The diagnostics the baseline does not know, and how many it suppressed."""
    remaining = load_baseline(path)
    base = Path(os.path.abspath(path)).parent
    new = []
    suppressed = 0
    for d in run.diagnostics:
        key = _key(run, base, d)
        if remaining[key] > 0:
            remaining[key] -= 1
            suppressed += 1
        else:
            new.append(d)
    return new, suppressed
