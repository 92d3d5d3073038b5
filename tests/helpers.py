"""Shared test helpers: checking snippets and reading fixture annotations."""

from __future__ import annotations

import io
import re
import textwrap
import tokenize
from pathlib import Path

from asynclint.config import Settings
from asynclint.engine import check_source

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
EVERY_RULE = Settings(select=("AL",), preview=True)
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>AL\d{3}(?:\s+AL\d{3})*)\s*$")


def findings(source: str, settings: Settings = EVERY_RULE, path: str = "snippet.py") -> list[tuple[int, str]]:
    """(line, code) of every finding in a dedented snippet, all rules enabled."""
    result = check_source(textwrap.dedent(source), path, settings)
    assert not result.errors, result.errors
    return [(d.start.line, d.code) for d in result.diagnostics]


def codes(source: str, settings: Settings = EVERY_RULE) -> list[str]:
    return [code for _, code in findings(source, settings)]


def expected_findings(path: Path) -> set[tuple[int, str]]:
    """The (line, code) pairs a fixture's `# expect: CODE ...` comments declare."""
    out = set()
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            match = EXPECT.search(token.string)
            if match:
                out.update((token.start[0], code) for code in match.group("codes").split())
    return out


def helper_project(root: Path, helper_text: str) -> tuple[Path, Path]:
    """A project with `helpers.py` (given) and `app.py`, whose `async def`
    calls `helpers.work`: (helper, caller)."""
    (root / "pyproject.toml").write_text("")
    helper = root / "helpers.py"
    helper.write_text(helper_text)
    caller = root / "app.py"
    caller.write_text("from helpers import work\n\nasync def f():\n    work()\n")
    return helper, caller
