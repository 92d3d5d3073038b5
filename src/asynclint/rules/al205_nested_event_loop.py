"""AL205: starting an event loop from inside one."""

from __future__ import annotations

from asynclint.knowledge.coroutines import EVENT_LOOP_RUNNERS
from asynclint.lazy import cst
from asynclint.rule import Rule
from asynclint.rules._blocking import shown_chain


class NestedEventLoop(Rule):
    """
    ## What it does
    Flags `asyncio.run(...)`, `loop.run_until_complete(...)`,
    `loop.run_forever()`, `anyio.run(...)` and `trio.run(...)` inside an
    `async def`, and calls there of sync project functions (of any module)
    that start one on every call, themselves or through the sync project
    functions they call, with the chain in the message. A helper that
    starts a loop only on some paths (`except RuntimeError: asyncio.run(...)`
    after asking for the running loop) is written for both worlds and left
    alone, and so is a helper handed uncalled to `asyncio.to_thread`. Files
    that import `nest_asyncio` (which patches the loop to allow this) are
    left alone.

    ## Why is this bad?
    The code already runs inside an event loop, and a thread can run only
    one: the call raises `RuntimeError: asyncio.run() cannot be called from a
    running event loop` (or "This event loop is already running").

    ## Example
    ```python
    import asyncio

    async def fetch_data():
        ...

    def load():
        return asyncio.run(fetch_data())

    async def handler():
        return asyncio.run(fetch_data())

    async def other_handler():
        return load()
    ```

    ## Use instead
    ```python
    async def fetch_data():
        ...

    async def handler():
        return await fetch_data()

    async def other_handler():
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
        if facts.may_call(EVENT_LOOP_RUNNERS, lambda call: call.in_async):
            return True
        calls = [call for call in facts.calls if call.in_async]
        return any(call.name == "run_until_complete" for call in calls) or any(
            lookups.starts_event_loop(target) for call in calls if not call.awaited for target in facts.targets(call)
        )

    def visit_Call(self, node: cst.Call) -> None:
        if not self.ctx.in_async or "nest_asyncio" in self.ctx.imported_modules:
            return
        callee = self.ctx.callee(node)
        if callee is not None and self.ctx.project is not None and not self.ctx.is_awaited(node):
            chain = self.ctx.project.event_loop_chain(callee, self.ctx.path)
            if chain is not None:
                self.report(
                    node,
                    f"calls {shown_chain(self.ctx, node.func, chain)}, which starts an event loop inside the running "
                    "one: RuntimeError; make the helper `async def` and `await` it",
                )
                return
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else None
        # `run_until_complete` exists only on event loops: trust the method
        # name even when the receiver's type is unknown (`self.loop`).
        if callee in EVENT_LOOP_RUNNERS or method == "run_until_complete":
            shown = self.ctx.code_for(node.func)
            self.report(node, f"`{shown}()` inside a running event loop raises RuntimeError; `await` the coroutine instead")
