"""Rewrite the findings snapshots: `positive.findings` next to
`fixtures/rules/AL101/positive.py` holds `line:column CODE message` for each
finding, so that a changed message or column shows up as a diff to review.

Run `python scripts/update_goldens.py` after changing a rule's message or a
fixture. The `# expect:` comments stay the source of truth: a fixture whose
findings disagree with them keeps its old snapshot (fix the rule or the
annotations first, then run again), and the script exits 1.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from tests.helpers import (
        CHECKED_FIXTURES,
        FIXTURES,
        annotations,
        fixture_findings,
        snapshot_lines,
        snapshot_path,
    )

    disagreeing, written, wanted = [], [], set()
    for fixture in CHECKED_FIXTURES:
        expected = annotations(fixture)
        if not expected:
            continue
        snapshot = snapshot_path(fixture)
        wanted.add(snapshot)
        found = fixture_findings(fixture)
        if Counter((d.start.line, d.code) for d in found) != expected:
            disagreeing.append(fixture)
            continue
        text = "\n".join(snapshot_lines(found)) + "\n"
        if not snapshot.exists() or snapshot.read_text(encoding="utf-8") != text:
            snapshot.write_text(text, encoding="utf-8")
            written.append(snapshot)
    removed = [s for s in sorted(FIXTURES.rglob("*.findings")) if s not in wanted]
    for snapshot in removed:
        snapshot.unlink()
    for label, paths in (("wrote", written), ("removed", removed)):
        for path in paths:
            print(f"{label} {path.relative_to(ROOT)}")
    for fixture in disagreeing:
        print(f"{fixture.relative_to(ROOT)}: findings disagree with its `# expect:` comments", file=sys.stderr)
    return 1 if disagreeing else 0


if __name__ == "__main__":
    sys.exit(main())
