"""Coroutine-misuse rules: messages, the fixes they offer, edge cases."""

from __future__ import annotations

import textwrap

import libcst as cst

from asynclint.config import Settings
from asynclint.context import FileContext
from asynclint.registry import all_rules
from asynclint.rule import Traversal, walk
from tests.helpers import codes


def reports(code: str, source: str):
    module = cst.parse_module(textwrap.dedent(source))
    ctx = FileContext(module, module_name="app")
    ctx.settings = Settings()
    rule = all_rules()[code](ctx)
    walk(module, Traversal(ctx, [rule]))
    rule.finish()
    return module, rule.reports


def fixed_code(module: cst.Module, report) -> str:
    replacements = dict((id(old), new) for old, new in report.fix.replacements)

    class Apply(cst.CSTTransformer):
        def on_leave(self, original, updated):
            return replacements.get(id(original), updated)

    return module.visit(Apply()).code


def test_al201_message_names_callee_and_definition_line() -> None:
    from asynclint.engine import check_source

    src = "async def fetch():\n    return 1\n\nasync def handler():\n    fetch()\n"
    [diagnostic] = check_source(src, "app.py", Settings()).diagnostics
    assert diagnostic.message == "`fetch()` returns a coroutine (async def at line 1) that is never awaited: the call does nothing"


def test_al201_inserts_await_for_statements_and_returns_only() -> None:
    module, found = reports(
        "AL201",
        """
        async def fetch():
            return 1

        async def handler():
            fetch()
            return fetch()

        async def kept():
            x = fetch()
        """,
    )
    assert [r.fix is not None for r in found] == [True, True, False]
    assert "    await fetch()\n    return fetch()\n" in fixed_code(module, found[0])
    assert "    fetch()\n    return await fetch()\n" in fixed_code(module, found[1])
    assert found[0].fix.applicability.value == "unsafe"


def test_al201_ignores_unknown_decorators_and_trusts_route_decorators() -> None:
    src = """
        from fastapi import FastAPI
        app = FastAPI()

        @app.get("/")
        async def endpoint():
            return 1

        @some_library.task
        async def job():
            return 2

        async def caller():
            endpoint()
            job()
        """
    assert codes(src) == ["AL201"]


def test_al204_fix_passes_the_function_and_its_arguments() -> None:
    module, [simple, with_call] = reports(
        "AL204",
        """
        from fastapi import BackgroundTasks
        def send_email(*args): ...
        async def endpoint(user, background_tasks: BackgroundTasks):
            background_tasks.add_task(send_email(user.email, "Welcome!"))
            background_tasks.add_task(send_email(compute()))
        """,
    )
    assert 'background_tasks.add_task(send_email, user.email, "Welcome!")' in fixed_code(module, simple)
    assert with_call.fix is None  # evaluating `compute()` later would reorder it


def test_al206_fix_uses_get_running_loop() -> None:
    module, [report] = reports("AL206", "import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n")
    assert "asyncio.get_running_loop()" in fixed_code(module, report)
    _, [imported] = reports("AL206", "from asyncio import get_event_loop\nasync def f():\n    return get_event_loop()\n")
    assert imported.fix.imports == (("asyncio", "get_running_loop"),)


def test_al205_respects_nest_asyncio() -> None:
    src = "import asyncio\nimport nest_asyncio\nasync def f(c):\n    asyncio.run(c)\n"
    assert codes(src) == []


def test_al203_underscore_and_unused_local() -> None:
    src = """
        import asyncio
        async def f(c):
            _ = asyncio.create_task(c)
            t = asyncio.create_task(c)
            u = asyncio.create_task(c)
            print(u)
        """
    assert codes(src) == ["AL203", "AL203"]
