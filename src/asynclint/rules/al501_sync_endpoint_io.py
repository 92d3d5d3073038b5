"""AL501 (opt-in): a plain `def` endpoint doing network or database I/O."""

from __future__ import annotations

from asynclint.analysis.blocking import display_name
from asynclint.diagnostics import Default
from asynclint.knowledge.web import ENDPOINT_METHODS
from asynclint.lazy import cst
from asynclint.rule import CallPattern, Rule

# Network and database families of the blocking-call tables.
_IO_CODES = frozenset({"AL101", "AL105", "AL106"})


class SyncEndpointIo(Rule):
    """
    ## What it does
    Flags network and database calls (the AL101, AL105 and AL106 tables) made
    directly in a plain `def` FastAPI endpoint, one finding per call so that
    a `# noqa` can silence one call. Opt-in: FastAPI's own documentation
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
    triggers = (rb"fastapi",)

    calls = CallPattern(blocking=_IO_CODES, where=lambda call: not call.in_async)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # and only where the module registers endpoints
        return look.calls_on_app(ENDPOINT_METHODS) and super().screen(look, lookups)

    def on_call(self, node: cst.Call, call, qualname: str) -> None:
        function = self.ctx.function
        if function is None or function.asynchronous is not None or not self.ctx.app.is_endpoint(function):
            return
        self.report(
            node,
            f"{display_name(self.ctx, node, qualname)} in the `def` endpoint `{function.name.value}` holds one of "
            "AnyIO's 40 worker-thread tokens (shared with sync dependencies and background tasks) for the whole "
            "wait; consider `async def` with an async client",
        )
