"""AL501 (opt-in): a plain `def` endpoint doing network or database I/O."""

from __future__ import annotations

from asynclint.analysis.blocking import display_name
from asynclint.diagnostics import Default
from asynclint.knowledge.frameworks import FRAMEWORK_TRIGGER
from asynclint.lazy import cst
from asynclint.rule import CallPattern, Rule

# Network and database families of the blocking-call tables.
_IO_CODES = frozenset({"AL101", "AL105", "AL106"})


class SyncEndpointIo(Rule):
    """
    ## What it does
    Flags network and database calls (the AL101, AL105 and AL106 tables) made
    directly in a plain `def` endpoint of a framework that runs such
    endpoints in worker threads (FastAPI, Starlette, Quart, Django), one
    finding per call so that a `# noqa` can silence one call. (Frameworks
    that call a plain `def` handler on the event loop itself, Sanic say, get
    the blocking-call rules' findings instead.) Opt-in: FastAPI's own documentation
    recommends plain `def` endpoints for sync libraries, and that is correct
    code; enable this rule (`extend-select = ["AL501"]`) if your service
    should be async all the way.

    ## Why is this bad?
    FastAPI runs a `def` endpoint in AnyIO's worker threads, which are capped
    at 40 tokens shared with sync dependencies, `run_in_threadpool` and sync
    background tasks. The endpoint holds its token for the whole wait on the
    network or the database, so 40 slow upstream calls in flight stall every
    other sync endpoint and dependency of the process, while the event loop
    sits idle.

    ## Example
    ```python
    import requests
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/rates")
    def rates():
        return requests.get("https://rates.example.com", timeout=5).json()
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI, Request

    app = FastAPI()

    @app.get("/rates")
    async def rates(request: Request):
        response = await request.app.state.http.get("https://rates.example.com")
        return response.json()
    ```

    ## Fix safety
    No fix.
    """

    code = "AL501"
    name = "sync-endpoint-io"
    summary = "`def` endpoint doing network or database I/O"
    default = Default.OPT_IN
    triggers = (FRAMEWORK_TRIGGER,)

    calls = CallPattern(blocking=_IO_CODES, where=lambda call: not call.in_async)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # and only where the module registers endpoints
        return look.may_register_handlers(per_request=False) and super().screen(look, lookups)

    def on_call(self, node: cst.Call, call, qualname: str) -> None:
        function, app = self.ctx.function, self.ctx.app
        framework = app.framework(function)
        if framework is None or function.asynchronous is not None or framework.sync_handlers == "refused":
            return  # (a framework that takes coroutine functions only raises for this def)
        if app.runs_on_loop(function) is not None:
            return  # a plain def run on the loop: the blocking-call rules' finding
        self.report(
            node,
            f"{display_name(self.ctx, node, qualname)} in the `def` endpoint `{function.name.value}` holds "
            f"{framework.thread_pool} for the whole wait; consider `async def` with an async client",
        )
