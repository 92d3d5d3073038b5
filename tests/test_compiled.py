"""`await`, `async with`, `async for` and async comprehensions outside an
`async def`: syntax errors only compiling finds (`ast.parse` and libcst
accept them), reported as AL001 like the parser's."""

from __future__ import annotations

import ast
import textwrap

import pytest

from asynclint.compiled import compile_error
from tests.helpers import findings

REJECTED = [
    "def f():\n    await x\n",
    "def f():\n    async with lock:\n        pass\n",
    "def f():\n    async for item in items:\n        pass\n",
    "def f():\n    return [x async for x in items]\n",
    "def f():\n    return {k: await v for k, v in pairs}\n",
    "def f():\n    return (x for x in await items)\n",  # a generator's first iterable runs in `f`
    "async def f():\n    def g():\n        await x\n",
    "async def f():\n    return lambda: await x\n",
    "async def f():\n    class C:\n        items = [a async for a in b]\n",
    "await x\n",
    "class C:\n    async with lock:\n        pass\n",
]
ACCEPTED = [
    "async def f():\n    await x\n    async with lock:\n        return [y async for y in await items]\n",
    "def f():\n    return (await x for x in items)\n",  # an async generator
    "def f():\n    return (x async for x in items)\n",
    "async def f():\n    def g(timeout=await default()):\n        return timeout\n",
    "async def f():\n    return lambda: x\n",
    "async def f():\n    return [(y for y in await z) for z in items]\n",
    "def f():\n    return 'await x'  # async with\n",
    "def f():\n    pass\n\n\nasync def g():\n    await f()\n",
]


def compiles(source: str) -> bool:
    try:
        compile(source, "<case>", "exec", dont_inherit=True)
    except SyntaxError:
        return False
    return True


@pytest.mark.parametrize("source", REJECTED + ACCEPTED)
def test_the_check_agrees_with_compiling(source: str) -> None:
    found = compile_error(ast.parse(source), source.encode(), "<case>")
    assert (found is None) == compiles(source)
    assert (found is None) == (source in ACCEPTED)


def test_await_in_a_plain_def_is_al001_at_cpythons_position() -> None:
    source = """\
    import time

    def handler():
        time.sleep(1)
        await notify()
    """
    assert findings(source) == [(5, "AL001")]


def test_other_rules_check_a_file_that_compiles() -> None:
    source = """\
    import time

    async def handler():
        time.sleep(1)
        return (await notify() for _ in range(3))
    """
    assert [code for _, code in findings(textwrap.dedent(source))] == ["AL102"]
