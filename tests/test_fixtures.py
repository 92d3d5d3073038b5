"""Every annotated fixture, checked both ways: each `# expect: CODE` line
must be flagged with exactly those codes (a code named twice, twice), and no
other line may be flagged. A rule's fixtures are checked with that rule
alone, the chapter examples with every rule (see `fixture_settings`).

The `.findings` snapshot next to an annotated fixture pins what the
annotations leave out, each finding's column and message; rewrite them with
`python scripts/update_goldens.py`."""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path

import pytest

from asynclint import registry
from tests.helpers import (
    CHECKED_FIXTURES,
    FIXTURES,
    REPO,
    annotations,
    expected_findings,
    fixture_findings,
    snapshot_lines,
    snapshot_path,
)

ANNOTATED_FIXTURES = [p for p in CHECKED_FIXTURES if annotations(p)]


def _name(path: Path) -> str:
    return str(path.relative_to(FIXTURES))


@pytest.mark.parametrize("path", CHECKED_FIXTURES, ids=_name)
def test_fixture(path: Path) -> None:
    expected = annotations(path)
    unknown = {code for _, code in expected} - set(registry.all_rules())
    assert not unknown, f"annotations name rules that do not exist: {sorted(unknown)}"
    found = fixture_findings(path)
    actual = Counter((d.start.line, d.code) for d in found)
    missing = sorted((expected - actual).elements())
    extra = sorted((actual - expected).elements())
    messages = {(d.start.line, d.code): d.message for d in found}
    assert not missing and not extra, (
        f"{path.relative_to(REPO)}\n  missing: {missing}\n  unexpected: "
        + str([(line, code, messages[(line, code)]) for line, code in extra])
    )


@pytest.mark.parametrize("path", ANNOTATED_FIXTURES, ids=_name)
def test_findings_match_their_snapshot(path: Path) -> None:
    """With `test_fixture`, this also keeps each snapshot's lines and codes
    those of the annotations."""
    snapshot = snapshot_path(path)
    hint = "run `python scripts/update_goldens.py` and review the diff"
    assert snapshot.exists(), f"{path.relative_to(REPO)} has findings but no {snapshot.name}: {hint}"
    want = snapshot.read_text(encoding="utf-8").splitlines()
    got = snapshot_lines(fixture_findings(path))
    diff = difflib.unified_diff(want, got, str(snapshot.relative_to(REPO)), "actual findings", lineterm="")
    if got != want:
        pytest.fail(f"findings differ from the snapshot ({hint}):\n" + "\n".join(diff), pytrace=False)


def test_every_snapshot_belongs_to_an_annotated_fixture() -> None:
    """A snapshot left behind by a renamed, moved or emptied fixture would
    otherwise go stale unnoticed."""
    orphans = [s for s in FIXTURES.rglob("*.findings") if s.with_suffix(".py") not in ANNOTATED_FIXTURES]
    assert not orphans, f"snapshots without an annotated fixture: {[_name(s) for s in orphans]}"


def test_every_rule_has_positive_and_negative_fixtures() -> None:
    for code in registry.all_rules():
        if code == "AL001":
            continue
        folder = FIXTURES / "rules" / code
        assert folder.is_dir(), f"no fixtures for {code} in {folder.relative_to(REPO)}"
        files = list(folder.glob("*.py"))
        positives = sum(len(expected_findings(f)) for f in files)
        assert positives > 0, f"{code}: no positive case"


def test_negative_cases_outnumber_positive_ones() -> None:
    """Each rule's negative fixture holds at least as many cases (functions,
    methods, module-level statements) as its positive fixture has findings."""
    import ast

    for code in registry.all_rules():
        folder = FIXTURES / "rules" / code
        if code == "AL001" or not (folder / "negative.py").exists():
            continue
        positives = len(expected_findings(folder / "positive.py"))
        tree = ast.parse((folder / "negative.py").read_text())
        cases = sum(
            1 if not isinstance(node, ast.ClassDef) else max(1, len(node.body))
            for node in tree.body
            if not isinstance(node, (ast.Import, ast.ImportFrom))
        )
        assert cases >= positives, f"{code}: {cases} negative cases for {positives} findings"
