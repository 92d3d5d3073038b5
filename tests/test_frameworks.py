"""Each framework's fixture project (fixtures/projects/<framework>/), every
module checked with every rule, AL501 and preview rules too: each
`# expect: CODE` line is flagged with exactly those codes and no other line
is, with facts read from the project's other modules (routers included by
a factory, route lists and middleware given to the app elsewhere)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from asynclint.config import Settings
from asynclint.engine import Checker
from tests.helpers import FIXTURES, annotations

PROJECTS = FIXTURES / "projects"
FRAMEWORK_PROJECTS = ["fastapi", "starlette"]
EVERYTHING = Settings(select=("AL",), preview=True)


def project_findings(name: str, root: Path, monkeypatch) -> dict[str, list]:
    """Every module's diagnostics, by path relative to the project."""
    shutil.copytree(PROJECTS / name, root)
    monkeypatch.chdir(root)
    checker = Checker(EVERYTHING)
    found = {}
    for path in sorted(Path().rglob("*.py")):
        result = checker.check_file(str(path))
        assert result.errors == [], result.errors
        found[str(path)] = result.diagnostics
    return found


@pytest.mark.parametrize("name", FRAMEWORK_PROJECTS)
def test_each_framework_project_is_flagged_where_annotated(name: str, tmp_path: Path, monkeypatch) -> None:
    for path, diagnostics in project_findings(name, tmp_path / name, monkeypatch).items():
        expected = annotations(Path(path))
        actual = Counter((d.start.line, d.code) for d in diagnostics)
        messages = {(d.start.line, d.code): d.message for d in diagnostics}
        missing, extra = sorted((expected - actual).elements()), sorted((actual - expected).elements())
        assert not missing and not extra, (
            f"{name}/{path}\n  missing: {missing}\n  unexpected: {[(*key, messages[key]) for key in extra]}"
        )

