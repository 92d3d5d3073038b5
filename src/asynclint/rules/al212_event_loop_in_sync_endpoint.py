"""AL212 (preview): an event loop started in a `def` endpoint or dependency, which runs in a worker thread."""

from __future__ import annotations

from asynclint.diagnostics import Default
from asynclint.knowledge.coroutines import EVENT_LOOP_RUNNERS
from asynclint.lazy import cst
from asynclint.rule import Rule
from asynclint.rules._blocking import shown_chain

_CONSEQUENCE = (
    "it starts a new event loop on every request, in which anything bound to the server's loop (a client, pool, lock or "
    "queue made at startup) fails with \"attached to a different loop\"; make it `async def` and `await` the "
    "coroutine"
)


class EventLoopInSyncEndpoint(Rule):
    """
    ## What it does
    Flags `asyncio.run(...)`, `loop.run_until_complete(...)` (and the other
    calls AL205 knows that start an event loop) in a plain `def` FastAPI
    endpoint or dependency, or in a sync function of the same file that one
    of them calls, and calls there of sync project helpers (of any module)
    that start one on every call, with the chain in the message. Files that
    import `nest_asyncio` are left alone.

    ## Why is this bad?
    FastAPI and Starlette run a `def` endpoint or dependency in a worker
    thread, where no loop is running, so `asyncio.run` does not fail at
    once: it builds a new event loop for the request and closes it after.
    Everything the app built on the server's loop is bound to that loop: an
    async database engine or pool, an `httpx.AsyncClient`, an
    `asyncio.Lock` or `Queue`. Used from the new loop, they raise
    `RuntimeError: ... attached to a different loop` (or hang, or corrupt
    the pool's connections); and each request pays for a loop of its own
    while holding one of the 40 worker threads.

    ## Example
    ```python
    import asyncio

    from fastapi import FastAPI

    app = FastAPI()

    async def fetch_report(report_id: int):
        ...

    @app.get("/reports/{report_id}")
    def report(report_id: int):
        return asyncio.run(fetch_report(report_id))
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI

    app = FastAPI()

    async def fetch_report(report_id: int):
        ...

    @app.get("/reports/{report_id}")
    async def report(report_id: int):
        return await fetch_report(report_id)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL212"
    name = "event-loop-in-sync-endpoint"
    summary = "event loop started in a `def` endpoint or dependency (a worker thread)"
    default = Default.PREVIEW
    triggers = (rb"fastapi|starlette",)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        if not look.may_register_handlers(per_request=False):
            return False
        calls = [call for call in look.calls if not call.in_async and call.in_function]
        return (
            look.may_call(EVENT_LOOP_RUNNERS, lambda call: not call.in_async)
            or any(call.name == "run_until_complete" for call in calls)
            or any(lookups.starts_event_loop(target) for call in calls for target in look.targets(call))
        )

    def visit_Call(self, node: cst.Call) -> None:
        ctx = self.ctx
        function = ctx.function
        if function is None or function.asynchronous is not None or "nest_asyncio" in ctx.imported_modules:
            return
        entry = ctx.app.request_entry(function)
        if entry is None or entry.asynchronous is not None or ctx.app.runs_on_loop(entry) is not None:
            return  # a plain def a framework calls on the loop: a nested loop, AL205's
        callee = ctx.callee(node)
        method = node.func.attr.value if isinstance(node.func, cst.Attribute) else None
        if callee in EVENT_LOOP_RUNNERS or method == "run_until_complete":
            self.report(node, f"`{ctx.code_for(node.func)}()` {self._where(function, entry)}: {_CONSEQUENCE}")
            return
        if callee is None or ctx.project is None or self._reported_inside(callee):
            return
        chain = ctx.project.event_loop_chain(callee, ctx.path)
        if chain is not None:
            self.report(
                node,
                f"calls {shown_chain(ctx, node.func, chain)}, which starts an event loop, "
                f"{self._where(function, entry)}: {_CONSEQUENCE}",
            )

    def _reported_inside(self, callee: str) -> bool:
        """A function of this file that a `def` endpoint or dependency runs: its own calls are reported."""
        local = self.ctx.local_function(callee)
        entry = self.ctx.app.request_entry(local) if local is not None else None
        return entry is not None and entry.asynchronous is None

    def _where(self, function: cst.FunctionDef, entry: cst.FunctionDef) -> str:
        app = self.ctx.app
        kind = "endpoint" if app.is_endpoint(entry) else "dependency" if id(entry) in app.dependencies else "handler"
        runs = "runs in a worker thread"
        if entry is function:
            return f"in the `def` {kind} `{function.name.value}`, which {runs}"
        return f"in `{function.name.value}`, which the `def` {kind} `{entry.name.value}` {runs}"
