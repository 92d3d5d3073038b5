"""Name resolution and async-context tracking, through the rules' eyes."""

from __future__ import annotations

import textwrap

import libcst as cst

from asynclint.context import FileContext
from asynclint.rule import Rule, Traversal, walk


class _Recorder(Rule):
    """Records what the context says at every call."""

    code = "AL999"
    name = "recorder"
    summary = "test helper"

    def visit_Call(self, node: cst.Call) -> None:
        self.seen.append((self.ctx.code_for(node.func), self.ctx.callee(node), self.ctx.in_async))


def resolved(source: str) -> list[tuple[str, str | None, bool]]:
    module = cst.parse_module(textwrap.dedent(source))
    ctx = FileContext(module, module_name="app")
    rule = _Recorder(ctx)
    rule.seen = []
    walk(module, Traversal(ctx, [rule]))
    return rule.seen


def test_imports_aliases_and_from_imports() -> None:
    seen = resolved(
        """
        import requests as r
        import os.path
        from time import sleep as nap
        from urllib import request
        r.get(1); os.path.exists(2); nap(3); request.urlopen(4)
        """
    )
    assert [q for _, q, _ in seen] == ["requests.get", "os.path.exists", "time.sleep", "urllib.request.urlopen"]


def test_builtins_and_their_shadowing() -> None:
    seen = resolved(
        """
        open(1)
        def f(open):
            open(2)
        """
    )
    assert [q for _, q, _ in seen] == ["builtins.open", None]


def test_locals_shadow_modules_and_function_imports_resolve() -> None:
    seen = resolved(
        """
        import requests
        async def a():
            requests = MyClient()
            requests.get(1)
        async def b():
            import httpx as h
            h.get(2)
        """
    )
    assert seen[1] == ("requests.get", None, True)
    assert seen[-1] == ("h.get", "httpx.get", True)


def test_evident_types_of_locals_parameters_and_attributes() -> None:
    seen = resolved(
        """
        from typing import Annotated
        import httpx
        from sqlalchemy.orm import Session
        from fastapi import Depends
        SessionDep = Annotated[Session, Depends(get_session)]

        class Api:
            def __init__(self):
                self.http = httpx.Client()
            async def call(self):
                self.http.get(1)

        async def f(s: Session, d: SessionDep, o: Session | None = None):
            c = httpx.Client()
            c.get(2)
            with httpx.Client() as w:
                w.post(3)
            s.execute(4); d.commit(); o.flush()
        """
    )
    names = {q for _, q, _ in seen}
    assert {"httpx.Client.get", "httpx.Client.post", "sqlalchemy.orm.Session.execute",
            "sqlalchemy.orm.Session.commit", "sqlalchemy.orm.Session.flush"} <= names


def test_httpx2_is_treated_as_httpx() -> None:
    seen = resolved("import httpx2\nhttpx2.get(1)\nc = httpx2.Client()\nc.get(2)\n")
    assert [q for _, q, _ in seen][-1] == "httpx.Client.get"
    assert seen[0][1] == "httpx.get"


def test_async_context_resets_in_nested_def_lambda_and_class() -> None:
    seen = resolved(
        """
        async def outer(x=sleep(0)):
            a()
            def inner():
                b()
            lambda: c()
            class K:
                d()
            [e() for _ in x]
        """
    )
    flags = {name: in_async for name, _, in_async in seen}
    assert flags == {"sleep": False, "a": True, "b": False, "c": False, "d": False, "e": True}


def test_module_level_try_import_fallback_keeps_the_import() -> None:
    seen = resolved(
        """
        try:
            import requests
        except ImportError:
            requests = None
        requests.get(1)
        """
    )
    assert seen[0][1] == "requests.get"


def test_module_level_rebinding_makes_a_name_unknown() -> None:
    seen = resolved("import requests\nrequests = make_client()\nrequests.get(1)\n")
    assert seen[-1][1] is None


def test_library_detection() -> None:
    def library(src: str) -> str:
        return FileContext(cst.parse_module(src)).library

    assert library("import asyncio\n") == "asyncio"
    assert library("import anyio\n") == "anyio"
    assert library("import trio\n") == "trio"
    assert library("import trio\nfrom fastapi import FastAPI\n") == "asyncio"
