"""AL604 (preview): a timeout around the await of work in a worker thread."""

from __future__ import annotations

from asynclint.diagnostics import Default
from asynclint.knowledge.timeouts import (
    ABANDON_KEYWORDS,
    THREAD_ABANDONED,
    THREAD_AWAITS,
    TIMEOUT_CONTEXT_MANAGERS,
    TIMEOUT_WRAPPERS,
)
from asynclint.lazy import cst
from asynclint.rule import Rule

_ADVICE = (
    "give the work a timeout of its own (the client's or socket's `timeout=`) or a stop flag it checks, "
    "or accept that it runs on"
)


class TimeoutAroundThread(Rule):
    """
    ## What it does
    Flags a timeout around the await of work in a worker thread:
    `asyncio.wait_for(asyncio.to_thread(f), 5)`, or an
    `asyncio.to_thread(...)`, `loop.run_in_executor(...)`,
    `anyio.to_thread.run_sync(...)` or `run_in_threadpool(...)` awaited in
    the body of `async with asyncio.timeout(...)` (or `timeout_at`, anyio's
    and trio's `fail_after` / `move_on_after`). A project function that
    returns such an await on every call (`return
    self.loop.run_in_executor(None, target, *args)`) counts as the call
    it returns, with its place in the message.

    ## Why is this bad?
    A thread cannot be cancelled. With asyncio the timeout cancels only
    the wait: the function runs on to the end in the executor, holding
    one of its few workers (and any lock or connection it has), its result
    or exception is dropped, and a retry after the timeout starts a second
    copy beside the first; under load the executor fills with abandoned
    work and every `to_thread` queues. With anyio and trio, whose threads
    are waited for by default, the timeout cannot even fire before the
    thread finishes. Either way the timeout does not bound what it seems to.

    ## Example
    ```python
    import asyncio

    import requests

    def fetch_report(url):
        return requests.get(url).json()

    async def report(url):
        return await asyncio.wait_for(asyncio.to_thread(fetch_report, url), 5)
    ```

    ## Use instead
    ```python
    import asyncio

    import requests

    def fetch_report(url):
        return requests.get(url, timeout=5).json()

    async def report(url):
        return await asyncio.to_thread(fetch_report, url)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL604"
    name = "timeout-around-thread"
    summary = "timeout around the await of work in a worker thread (it cannot stop the thread)"
    default = Default.PREVIEW

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # a timeout in async code, and work given to a thread there (or a project function returning it)
        def in_async(call) -> bool:
            return call.in_async

        if not look.may_call(TIMEOUT_CONTEXT_MANAGERS | TIMEOUT_WRAPPERS, in_async):
            return False
        return look.may_call(THREAD_AWAITS, in_async) or look.may_call(
            lambda qualname: lookups.returns_thread_work(qualname, THREAD_AWAITS), in_async
        )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.deadlines: list[tuple[cst.With, cst.CSTNode, str]] = []  # (the block, its function, the timeout)

    def visit_With(self, node: cst.With) -> None:
        if not self.ctx.in_async:
            return
        for item in node.items:
            if isinstance(item.item, cst.Call) and self.ctx.callee(item.item) in TIMEOUT_CONTEXT_MANAGERS:
                self.deadlines.append((node, self.ctx.frames[-1].node, self.ctx.code_for(item.item.func)))
                return

    def leave_With(self, node: cst.With) -> None:
        if self.deadlines and self.deadlines[-1][0] is node:
            self.deadlines.pop()

    def visit_Call(self, node: cst.Call) -> None:
        ctx = self.ctx
        if not ctx.in_async:
            return
        timeout = self._wrapping_timeout(node) or self._enclosing_timeout(node)
        if timeout is None:
            return
        callee = ctx.callee(node)
        if callee is None:
            return
        shown = f"`{ctx.code_for(node.func)}()`"
        if callee in THREAD_AWAITS:
            abandons = any(arg.keyword is not None and arg.keyword.value in ABANDON_KEYWORDS for arg in node.args)
            consequence = THREAD_ABANDONED if abandons else THREAD_AWAITS[callee]
        elif ctx.project is not None and not callee.startswith("builtins."):
            link = ctx.project.thread_work(callee, ctx.path, THREAD_AWAITS)
            if link is None:
                return
            shown += f", which returns `{link.name}()` ({link.path}:{link.line}),"
            consequence = THREAD_AWAITS[link.qualname]
        else:
            return
        self.report(node, f"{shown} runs in a worker thread under `{timeout}`: {consequence}; {_ADVICE}")

    def _wrapping_timeout(self, node: cst.Call) -> str | None:
        """`asyncio.wait_for(<node>, ...)`: the timeout's name."""
        arg, outer = self.ctx.parent(node), self.ctx.parent(node, 2)
        if not (isinstance(arg, cst.Arg) and isinstance(outer, cst.Call) and arg.keyword is None and arg.star == ""):
            return None
        if outer.args[0] is not arg or self.ctx.callee(outer) not in TIMEOUT_WRAPPERS:
            return None
        return self.ctx.code_for(outer.func)

    def _enclosing_timeout(self, node: cst.Call) -> str | None:
        """The timeout block of this function whose body awaits `node`, if any."""
        if not self.deadlines or not self.ctx.is_awaited(node):
            return None
        block, function, shown = self.deadlines[-1]
        return shown if function is self.ctx.frames[-1].node else None
