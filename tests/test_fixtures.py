"""Every annotated fixture, checked both ways: each `# expect: CODE` line
must be flagged with exactly those codes, and no other line may be flagged.
A rule's fixtures are checked with that rule alone, the chapter examples
with every rule (see `fixture_settings`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint import registry
from asynclint.engine import check_source
from tests.helpers import FIXTURES, REPO, expected_findings, fixture_settings

# Fix pairs and multi-module projects have tests of their own.
SINGLE_FILE_FIXTURES = sorted(
    p
    for p in FIXTURES.rglob("*.py")
    if "fixes" not in p.relative_to(FIXTURES).parts and "projects" not in p.relative_to(FIXTURES).parts
)


@pytest.mark.parametrize("path", SINGLE_FILE_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path: Path) -> None:
    expected = expected_findings(path)
    unknown = {code for _, code in expected} - set(registry.all_rules())
    assert not unknown, f"annotations name rules that do not exist: {sorted(unknown)}"
    result = check_source(path.read_bytes(), str(path), fixture_settings(path))
    assert not result.errors
    actual = {(d.start.line, d.code) for d in result.diagnostics}
    missing = sorted(expected - actual)
    extra = sorted(actual - expected)
    messages = {(d.start.line, d.code): d.message for d in result.diagnostics}
    assert not missing and not extra, (
        f"{path.relative_to(REPO)}\n  missing: {missing}\n  unexpected: "
        + str([(line, code, messages[(line, code)]) for line, code in extra])
    )


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
