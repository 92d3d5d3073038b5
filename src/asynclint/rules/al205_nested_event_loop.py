"""AL205: starting an event loop from inside one."""

from __future__ import annotations

from asynclint.knowledge.coroutines import EVENT_LOOP_RUNNERS
from asynclint.lazy import cst
from asynclint.rule import Rule


class NestedEventLoop(Rule):
    """
    ## What it does
    Flags `asyncio.run(...)`, `loop.run_until_complete(...)`,
    `loop.run_forever()`, `anyio.run(...)` and `trio.run(...)` inside an
    `async def`. Files that import `nest_asyncio` (which patches the loop to
    allow this) are left alone.

    ## Why is this bad?
    The code already runs inside an event loop, and a thread can run only
    one: the call raises `RuntimeError: asyncio.run() cannot be called from a
    running event loop` (or "This event loop is already running").

    ## Example
    ```python
    import asyncio

    async def handler():
        return asyncio.run(fetch_data())
    ```

    ## Use instead
    ```python
    async def handler():
        return await fetch_data()
    ```

    ## Fix safety
    No fix.
    """

    code = "AL205"
    name = "nested-event-loop"
    summary = "event loop started inside a running one"
    triggers = (rb"\basync\b",)

    @classmethod
    def screen(cls, facts, lookups) -> bool:
        return facts.may_call(EVENT_LOOP_RUNNERS, lambda call: call.in_async) or any(
            call.in_async and call.name == "run_until_complete" for call in facts.calls
        )

    def visit_Call(self, node: cst.Call) -> None:
        if not self.ctx.in_async or "nest_asyncio" in self.ctx.imported_modules:
            return
        callee = self.ctx.callee(node)
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else None
        # `run_until_complete` exists only on event loops: trust the method
        # name even when the receiver's type is unknown (`self.loop`).
        if callee in EVENT_LOOP_RUNNERS or method == "run_until_complete":
            shown = self.ctx.code_for(node.func)
            self.report(node, f"`{shown}()` inside a running event loop raises RuntimeError; `await` the coroutine instead")
