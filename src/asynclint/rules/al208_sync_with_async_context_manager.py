"""AL208: a plain `with` on an object that supports only `async with`."""

from __future__ import annotations

import ast

from asynclint.knowledge.locks import ASYNC_ONLY_CONTEXT_MANAGERS
from asynclint.knowledge.testing import EXPECTED_ERROR_CONTEXTS, EXPECTED_ERROR_METHODS
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
from asynclint.rule import Rule


class SyncWithAsyncContextManager(Rule):
    """
    ## What it does
    Flags a plain `with` on an object that supports only `async with`: an
    `asyncio.Lock`, `Semaphore`, `BoundedSemaphore` or `Condition`, an
    `asyncio.TaskGroup`, an `httpx.AsyncClient`, an `aiohttp.ClientSession`
    or a SQLAlchemy `AsyncSession`, built in place or known by its name,
    attribute or annotation.

    ## Why is this bad?
    These objects define `__aenter__`/`__aexit__` and no `__enter__` (or
    one that raises), so the statement fails with a `TypeError` each time
    it runs, before its body. It usually hides in a rarely taken branch,
    or in a sync helper that was once async.

    ## Example
    ```python
    import asyncio

    lock = asyncio.Lock()

    async def update(state, key, value):
        with lock:
            state[key] = value
    ```

    ## Use instead
    ```python
    import asyncio

    lock = asyncio.Lock()

    async def update(state, key, value):
        async with lock:
            state[key] = value
    ```

    A `with` inside `pytest.raises(...)` or `self.assertRaises(...)` is left
    alone: a test that expects the `TypeError` is right.

    ## Fix safety
    No fix.
    """

    code = "AL208"
    name = "sync-with-async-context-manager"
    summary = "plain `with` on an object that supports only `async with`"
    triggers = (rb"asyncio|httpx|aiohttp|AsyncSession",)
    first_look_nodes = (ast.With,)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        return any(
            look.may_be(scope, from_ast(item.context_expr), ASYNC_ONLY_CONTEXT_MANAGERS)
            for block, scope, _ in look.nodes_of(ast.With)
            for item in block.items
        )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self._expected_errors = 0  # how many enclosing blocks expect an exception

    def visit_With(self, node: cst.With) -> None:
        if any(self._expects_error(item.item) for item in node.items):
            self._expected_errors += 1
        if node.asynchronous is not None or self._expected_errors:
            return
        for item in node.items:
            typ = self.ctx.value_type(item.item)
            if typ in ASYNC_ONLY_CONTEXT_MANAGERS:
                where = "" if self.ctx.in_async else " (in an `async def`)"
                self.report(
                    item.item,
                    f"`{self.ctx.code_for(item.item)}` is an `{typ}`, which supports only `async with`: "
                    f"this `with` raises TypeError when it runs; write `async with`{where}",
                )

    def leave_With(self, node: cst.With) -> None:
        if any(self._expects_error(item.item) for item in node.items):
            self._expected_errors -= 1

    def _expects_error(self, context: cst.BaseExpression) -> bool:
        if not isinstance(context, cst.Call):
            return False
        if isinstance(context.func, cst.Attribute) and context.func.attr.value in EXPECTED_ERROR_METHODS:
            return True
        return self.ctx.callee(context) in EXPECTED_ERROR_CONTEXTS
