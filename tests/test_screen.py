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

        async def main(self):
            await work()
            asyncio.create_task(work())
            work()
            pending = work()
            self.pending = work()
            return [work()]
        """
    )
    uses = [call.use for call in found.calls if call.name == "work"]
    assert uses == ["awaited", "consumed", "dropped", "stored", "kept", "other"]
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


def test_names_bound_in_a_function_are_typed_for_that_function_only() -> None:
    found = facts(
        """
        import httpx
        from fastapi.testclient import TestClient

        class Api:
            client: httpx.AsyncClient

        async def talk():
            client = httpx.AsyncClient()
            resp = await client.get("u")

        def test_sync(client: TestClient):
            client.post("/")

        def configure():
            global shared
            shared = httpx.AsyncClient()
        """
    )
    assert "httpx.AsyncClient" in found.held("client", "talk")
    assert "httpx.Response" in found.held("resp", "talk")
    assert found.held("resp", "test_sync") == set()
    assert found.held("client", "test_sync") >= {"fastapi.testclient.TestClient", "httpx.AsyncClient"}  # `self.client`
    assert "httpx.AsyncClient" in found.held("shared", None)  # declared global: the module's


def test_what_a_calls_result_holds_is_known_for_its_methods() -> None:
    found = facts(
        """
        import httpx
        from concurrent.futures import ThreadPoolExecutor

        executor = ThreadPoolExecutor()

        async def f(url):
            httpx.AsyncClient().get(url)
            executor.submit(print).result()
            "".join([])
        """
    )
    by_name = {call.name: call for call in found.calls}
    assert "httpx.AsyncClient" in found.held(by_name["get"].receiver, "f")
    assert "concurrent.futures.Future" in found.held(by_name["result"].receiver, "f")
    assert by_name["join"].receiver == "?"


def test_async_generators_and_methods_are_no_coroutine_functions_of_bare_names() -> None:
    found = facts(
        """
        class Stream:
            async def chunks(self):
                yield b""

            async def read(self):
                return b""

        async def pump():
            def inner():
                yield 1
            return 1
        """
    )
    assert found.async_defs == {"chunks", "read", "pump"}
    assert found.coroutine_defs == {"read", "pump"}  # a nested generator does not make `pump` one
    assert found.coroutine_functions == {"pump"}
    assert found.generators == {"Stream.chunks"}
    assert found.gives_coroutine("Stream.read") and not found.gives_coroutine("Stream.chunks")


def test_a_loop_that_could_be_gathered_awaits_once_and_collects() -> None:
    def gathers(body: str) -> bool:
        source = "async def f(items, out):\n    for item in items:\n" + textwrap.indent(textwrap.dedent(body), "        ")
        return facts(source).gathers_in_loop

    assert gathers("out.append(await g(item))\n")
    assert gathers("out[item] = await g(item)\n")
    assert not gathers("await g(item)\n")  # collects nothing
    assert not gathers("out.append(await g(item))\nawait h()\n")  # two awaits
    assert not gathers("out.append(await g(item))\nif item:\n    break\n")
    assert gathers("out.append(await g(item))\ndef later():\n    return 1\n")  # a nested def's return is its own
    assert not facts("def f(items, out):\n    for i in items:\n        out.append(g(i))\n").gathers_in_loop


def test_an_async_def_that_never_awaits_but_works_is_seen() -> None:
    def idle(source: str) -> bool:
        return facts(source).idle_async_work

    assert idle("async def f(rows):\n    for r in rows:\n        print(r)\n")
    assert idle("def build(rows):\n    while rows:\n        rows.pop()\n\nasync def f(rows):\n    return build(rows)\n")
    assert not idle("async def f(rows):\n    for r in rows:\n        await g(r)\n")
    assert not idle("async def f(rows):\n    return len(rows)\n")
    assert not idle("def build(rows):\n    return rows\n\nasync def f(rows):\n    return build(rows)\n")
    # the loop is in a nested def: the endpoint itself does no work
    assert not idle("async def f(rows):\n    def later():\n        for r in rows:\n            print(r)\n    return later\n")


def test_async_with_blocks_that_never_suspend_are_seen() -> None:
    found = facts(
        """
        import asyncio
        from anyio import fail_after

        async def f():
            async with asyncio.timeout(1):
                compute()
            async with fail_after(1):
                await asyncio.sleep(0)
            async with asyncio.timeout(2):
                async def later():
                    await asyncio.sleep(1)
        """
    )
    assert found.idle_guards == {"asyncio.timeout"}


def test_triggers_are_tested_as_substrings_first_then_as_written() -> None:
    from asynclint.engine import needles_of

    assert needles_of(rb"requests|httpx") == [b"requests", b"httpx"]
    assert needles_of(rb"\bawait\b") == [b"await"]
    assert needles_of(rb"gather|asyncio\.wait") == [b"gather", b"asyncio.wait"]
    assert needles_of(rb"[nN][oO][qQ][aA][^\n]*AL[0-9]") is None  # only the regex can say
    checker = Checker(EVERY_RULE)

    def codes(source: bytes) -> set[str]:
        return {rule.code for rule in checker.triggered(checker.rules, source)}

    assert "AL201" not in codes(b"x = awaited\n")  # the substring is there, the word is not
    assert "AL201" in codes(b"async def f():\n    await g()\n")


def test_registrations_on_a_module_level_app_are_seen() -> None:
    found = facts(
        """
        from fastapi import FastAPI
        from fastapi import APIRouter as Router

        app = FastAPI()
        router = Router()

        @router.get("/")
        def index(): ...

        def build():
            inner = FastAPI()
            inner.add_event_handler("startup", index)
        """
    )
    assert found.calls_on_app(frozenset({"get"}))
    assert not found.calls_on_app(frozenset({"add_event_handler"}))  # on an app built in a function
    assert not facts("import requests\nrequests.get('u')\n").calls_on_app(frozenset({"get"}))


@pytest.mark.parametrize("path", ALL_FIXTURES[::5], ids=lambda p: str(p.relative_to(FIXTURES)))
def test_facts_survive_a_round_trip_through_json(path: Path) -> None:
    import json

    from asynclint.screen import FileFacts

    found = facts_of(path.read_bytes(), "pkg.mod", False)
    if found is not None:
        assert FileFacts.from_json(json.loads(json.dumps(found.to_json()))) == found


def test_the_trivia_table_is_whole_even_when_built_first() -> None:
    import subprocess
    import sys

    # In a fresh process, before anything else has looked into libcst.
    script = "from asynclint.rule import trivia\nimport libcst\nprint(libcst.SimpleWhitespace in trivia(), len(trivia()) > 20)\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "True"], done.stderr


def test_a_chain_answer_records_every_module_it_read_even_through_cycles(tmp_path: Path) -> None:
    """`x.X` is explored while answering for `r.R`, reaching `e.E` only as a
    function already explored (in the `a.A` / `e.E` cycle): a later question
    about `x.X` must still name `a.py` among the files its answer rests on."""
    from asynclint.config import Settings
    from asynclint.project import ProjectIndex
    from asynclint.screen import ProjectFacts, blocking_callables
    from asynclint.summary import CHAIN_CODES

    modules = {
        "r": "import a, x\n\ndef R():\n    a.A()\n    x.X()\n",
        "a": "import e\n\ndef A():\n    e.E()\n",
        "e": "import a\n\ndef E():\n    a.A()\n",
        "x": "import e\n\ndef X():\n    e.E()\n",
    }
    for name, text in modules.items():
        (tmp_path / f"{name}.py").write_text(text)
    project = ProjectFacts(ProjectIndex(tmp_path, Settings()), blocking_callables(CHAIN_CODES, None))
    caller = str(tmp_path / "caller.py")
    assert not project.reaches_blocking("r.R", caller)
    project.consulted.clear()
    assert not project.reaches_blocking("x.X", caller)
    assert {str(tmp_path / "e.py"), str(tmp_path / "a.py")} <= set(project.consulted)
