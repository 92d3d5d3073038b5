"""AL207: a thread lock held across an `await`."""

from __future__ import annotations

import ast

from asynclint.analysis.search import contains, is_checkpoint
from asynclint.knowledge.locks import THREAD_LOCKS
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
from asynclint.rule import Rule
from asynclint.screen import own_nodes, suspends


class ThreadLockAcrossAwait(Rule):
    """
    ## What it does
    Flags a plain `with` on a `threading.Lock`, `RLock`, `Condition` or
    `Semaphore`, in an `async def`, whose body awaits (`await`,
    `async for`, `async with`). A `with` whose body never suspends is not
    flagged: it holds the lock only while no other coroutine runs.

    ## Why is this bad?
    Every coroutine of the loop runs on one thread. While the holder is
    suspended at its `await`, another coroutine that reaches the same
    `with lock:` blocks that thread waiting for the lock, so the holder can
    never resume to release it: the whole event loop deadlocks. With an
    `RLock` the second coroutine is let in instead (same thread), so the
    lock guards nothing.

    ## Example
    ```python
    import threading

    cache_lock = threading.Lock()

    async def refresh(cache, client):
        with cache_lock:
            cache["rates"] = await client.get("/rates")
    ```

    ## Use instead
    ```python
    import asyncio

    cache_lock = asyncio.Lock()

    async def refresh(cache, client):
        async with cache_lock:
            cache["rates"] = await client.get("/rates")
    ```
    A lock shared with threads stays a `threading.Lock`, held only around
    code that does not await (fetch first, then take the lock to store).

    ## Fix safety
    No fix.
    """

    code = "AL207"
    name = "thread-lock-across-await"
    summary = "`threading` lock held across an `await`"
    triggers = (rb"\bthreading\b",)
    first_look_nodes = (ast.With,)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # a plain `with` in async code whose body suspends, on what may be a thread lock
        return any(
            look.may_be(scope, from_ast(item.context_expr), THREAD_LOCKS)
            for block, scope, in_async in look.nodes_of(ast.With)
            if in_async and any(map(suspends, own_nodes(block.body)))
            for item in block.items
        )

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is not None or not self.ctx.in_async:
            return
        locks = [item.item for item in node.items if self.ctx.value_type(item.item) in THREAD_LOCKS]
        if locks and contains(node.body, is_checkpoint):
            lock = locks[0]
            self.report(
                lock,
                f"`{self.ctx.code_for(lock)}` is a thread lock held across an `await`: a coroutine that "
                "takes it meanwhile blocks the event loop's thread, and the holder never resumes to release it; "
                "use an `asyncio.Lock` with `async with`, or release it before awaiting",
            )
