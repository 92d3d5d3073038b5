"""The stdlib screen: the facts it collects, that it skips libcst where no
rule can fire, and that it never hides a finding."""

from __future__ import annotations

import textwrap
from pathlib import Path

import libcst as cst
import pytest

from asynclint import engine
from asynclint.engine import Checker
from asynclint.screen import facts_of
from tests.helpers import EVERY_RULE, FIXTURES, expected_findings

ALL_FIXTURES = sorted(FIXTURES.rglob("*.py"))


def facts(source: str, module: str = "app"):
    found = facts_of(textwrap.dedent(source).encode(), module, False)
    assert found is not None
    return found


def test_names_resolve_through_imports_aliases_and_relative_imports() -> None:
    found = facts(
        """
        import requests as r
        from time import sleep as nap
        from ..db import session
        get = r.get

        async def f():
            get("u")
            nap(1)
            session.query()
        """,
        module="pkg.api.app",
    )
    called = {call.qualname for call in found.calls}
    assert {"requests.get", "time.sleep", "pkg.db.session.query"} <= called


def test_calls_know_whether_they_are_awaited_passed_or_left_alone() -> None:
    found = facts(
        """
        import asyncio

        async def work(): ...

        async def main():
            await work()
            asyncio.create_task(work())
            work()
        """
    )
    uses = [call.use for call in found.calls if call.name == "work"]
    assert uses == ["awaited", "consumed", "other"]
    assert found.functions == {"work": True, "main": True}


def test_calls_know_their_function_loops_and_async_context() -> None:
    found = facts(
        """
        class Client:
            def fetch(self):
                def inner():
                    helper()
                inner()

        async def poll():
            while True:
                await tick()
        """
    )
    helper = next(call for call in found.calls if call.name == "helper")
    assert helper.owner == "Client.fetch" and not helper.in_async
    tick = next(call for call in found.calls if call.name == "tick")
    assert tick.in_while and not tick.in_for and tick.in_async and tick.awaited


def test_a_file_python_cannot_parse_has_no_facts() -> None:
    assert facts_of(b"def f(:\n", "app", False) is None


def test_a_file_no_rule_can_fire_on_is_not_parsed_by_libcst(monkeypatch) -> None:
    parsed = []
    real = cst.parse_module
    monkeypatch.setattr(engine.cst, "parse_module", lambda source: parsed.append(source) or real(source))
    checker = Checker(EVERY_RULE)
    quiet = b"import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n    return [x async for x in stream()]\n"
    assert checker.check_source(quiet, "quiet.py").diagnostics == []
    assert parsed == [], "an async file with nothing to find needs no libcst parse"
    loud = b"import time\n\nasync def main():\n    time.sleep(1)\n"
    assert [d.code for d in checker.check_source(loud, "loud.py").diagnostics] == ["AL102"]
    assert parsed == [loud]


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_screening_never_hides_a_finding(path: Path) -> None:
    screened = Checker(EVERY_RULE).check_file(str(path))
    unscreened = Checker(EVERY_RULE, screening=False).check_file(str(path))
    assert screened.diagnostics == unscreened.diagnostics
    assert screened.errors == unscreened.errors


def _one_case_each(path: Path) -> list[str]:
    """The fixture once per flagged top-level statement, without the other
    flagged statements (imports and helpers stay): a screen that misses one
    case is caught even when another case of the file would keep it open."""
    import ast

    source = path.read_text(encoding="utf-8")
    lines = source.splitlines(keepends=True)
    flagged_lines = {line for line, _ in expected_findings(path)}
    statements = ast.parse(source).body
    spans = []
    for statement in statements:
        first = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", []))])
        spans.append((first, statement.end_lineno))
    flagged = [span for span in spans if any(span[0] <= line <= span[1] for line in flagged_lines)]
    variants = []
    for keep in flagged:
        dropped = [span for span in flagged if span != keep]
        variants.append(
            "".join(
                text if not any(a <= number <= b for a, b in dropped) else "\n"
                for number, text in enumerate(lines, start=1)
            )
        )
    return variants


POSITIVE_FIXTURES = sorted(p for p in ALL_FIXTURES if expected_findings(p))


@pytest.mark.parametrize("path", POSITIVE_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_screening_misses_no_single_case(path: Path) -> None:
    screened, unscreened = Checker(EVERY_RULE), Checker(EVERY_RULE, screening=False)
    for variant in _one_case_each(path):
        data = variant.encode()
        assert screened.check_source(data, str(path)).diagnostics == unscreened.check_source(data, str(path)).diagnostics


def test_what_except_clauses_catch_and_what_names_may_hold() -> None:
    found = facts(
        """
        import asyncio
        import httpx
        from typing import Annotated

        ClientDep = Annotated[httpx.AsyncClient, "dependency"]

        async def fetch(client: ClientDep):
            try:
                resp = await client.get("https://example.org")
            except asyncio.CancelledError:
                pass
            except ValueError:
                raise
            except:
                return None
            return resp
        """
    )
    assert found.handlers_in_async == [{"asyncio.CancelledError"}, None]
    assert "httpx.AsyncClient" in found.held("client", "fetch")
    assert "httpx.Response" in found.held("resp", "fetch")
    assert not found.held("client", None)  # a parameter is its function's
