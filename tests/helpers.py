"""Shared test helpers: checking snippets, and checking fixtures against
their annotations and findings snapshots (also for scripts/update_goldens.py)."""

from __future__ import annotations

import io
import re
import textwrap
import tokenize
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from asynclint import registry
from asynclint.config import Settings
from asynclint.diagnostics import Diagnostic
from asynclint.engine import check_source

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
EVERY_RULE = Settings(select=("AL",), preview=True)
EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>AL\d{3}(?:\s+AL\d{3})*)\s*$")
NOQA_CODES = re.compile(r"#\s*noqa\s*:(?P<codes>[^#]*)", re.IGNORECASE)


def findings(source: str, settings: Settings = EVERY_RULE, path: str = "snippet.py") -> list[tuple[int, str]]:
    """(line, code) of every finding in a dedented snippet, all rules enabled."""
    result = check_source(textwrap.dedent(source), path, settings)
    assert not result.errors, result.errors
    return [(d.start.line, d.code) for d in result.diagnostics]


def codes(source: str, settings: Settings = EVERY_RULE) -> list[str]:
    return [code for _, code in findings(source, settings)]


def _comments(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every comment in a file."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string


def annotations(path: Path) -> Counter[tuple[int, str]]:
    """The (line, code) pairs a fixture's `# expect: CODE ...` comments
    declare; a code named twice on a line expects two findings there."""
    out: Counter[tuple[int, str]] = Counter()
    for line, text in _comments(path):
        match = EXPECT.search(text)
        if match:
            out.update((line, code) for code in match.group("codes").split())
    return out


def expected_findings(path: Path) -> set[tuple[int, str]]:
    """The (line, code) pairs a fixture's `# expect: CODE ...` comments declare."""
    return set(annotations(path))


def fixture_settings(path: Path) -> Settings:
    """What a fixture is checked with. A rule's folder: that rule alone, so
    that a new rule cannot break other rules' fixtures; AL002 also needs the
    rules its `# noqa:` comments name, as only an enabled rule's code can be
    unused. Any other folder (the chapter examples): every rule."""
    parts = path.relative_to(FIXTURES).parts
    if parts[0] != "rules":
        return EVERY_RULE
    code = parts[1]
    named = set()
    if code == "AL002":
        for _, text in _comments(path):
            for match in NOQA_CODES.finditer(text):
                named.update(re.findall(r"AL\d{3}", match.group("codes").upper()))
    others = (named & set(registry.codes())) - {code}
    return Settings(select=(code, *sorted(others)), preview=True)


def helper_project(root: Path, helper_text: str) -> tuple[Path, Path]:
    """A project with `helpers.py` (given) and `app.py`, whose `async def`
    calls `helpers.work`: (helper, caller)."""
    (root / "pyproject.toml").write_text("")
    helper = root / "helpers.py"
    helper.write_text(helper_text)
    caller = root / "app.py"
    caller.write_text("from helpers import work\n\nasync def f():\n    work()\n")
    return helper, caller


# Fix pairs and multi-module projects have tests of their own.
OWN_TESTS = ("fixes", "projects")
CHECKED_FIXTURES = sorted(p for p in FIXTURES.rglob("*.py") if p.relative_to(FIXTURES).parts[0] not in OWN_TESTS)


def fixture_findings(path: Path) -> list[Diagnostic]:
    """A fixture's diagnostics under `fixture_settings`, in order of position."""
    result = check_source(path.read_bytes(), str(path), fixture_settings(path))
    assert not result.errors, result.errors
    return sorted(result.diagnostics, key=lambda d: (d.start, d.code, d.message))


def snapshot_path(path: Path) -> Path:
    return path.with_suffix(".findings")


def snapshot_lines(found: list[Diagnostic]) -> list[str]:
    """`line:column CODE message`, one line per finding."""
    return [f"{d.start.line}:{d.start.column} {d.code} {d.message}" for d in found]


# The same code in every service: a blocking sleep (AL102, line 6) and a blocking request (AL101, line 7).
SERVICE_APP = (
    "import time\nimport requests\n\n\nasync def handler():\n"
    "    time.sleep(1)\n    requests.get('https://example.com', timeout=5)\n"
)


def monorepo(root: Path) -> Path:
    """Two services configured differently: svc_a ignores AL102, svc_b extends
    the root's configuration (which skips `migrations`) and ignores AL101."""
    (root / "pyproject.toml").write_text('[project]\nname = "monorepo"\n\n[tool.asynclint]\nextend-exclude = ["migrations"]\n')
    for service, table in (("svc_a", 'ignore = ["AL102"]\n'), ("svc_b", 'extend = "../pyproject.toml"\nignore = ["AL101"]\n')):
        (root / service).mkdir()
        (root / service / "pyproject.toml").write_text(f"[tool.asynclint]\n{table}")
        (root / service / "app.py").write_text(SERVICE_APP)
    (root / "svc_b" / "migrations").mkdir()
    (root / "svc_b" / "migrations" / "m0001.py").write_text(SERVICE_APP)
    return root


# What each service's own configuration lets through, as (path, line, code).
MONOREPO_FINDINGS = {("svc_a/app.py", 7, "AL101"), ("svc_b/app.py", 6, "AL102")}
