"""AL305: `@app.on_event("startup")` instead of a lifespan."""

from __future__ import annotations

from asynclint.lazy import cst
from asynclint.rule import Rule

_EVENTS = ("startup", "shutdown")


class StartupEventHandler(Rule):
    """
    ## What it does
    Flags `@app.on_event("startup")` / `@app.on_event("shutdown")` and
    `app.add_event_handler("startup", handler)` on FastAPI and Starlette apps
    and routers. Reported at the decorator.

    ## Why is this bad?
    Event handlers are deprecated in FastAPI and Starlette in favour of a
    lifespan context manager, and the two do not mix: once an app has a
    lifespan, its startup and shutdown handlers are silently not called.
    A lifespan also keeps set-up and tear-down of a resource (a shared
    client, a pool) together, with `async with` closing it.

    ## Example
    ```python
    import httpx
    from fastapi import FastAPI

    app = FastAPI()

    @app.on_event("startup")
    async def start_client():
        app.state.http = httpx.AsyncClient()
    ```

    ## Use instead
    ```python
    from contextlib import asynccontextmanager

    import httpx
    from fastapi import FastAPI

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        async with httpx.AsyncClient() as client:
            app.state.http = client
            yield

    app = FastAPI(lifespan=lifespan)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL305"
    name = "startup-event-handler"
    summary = "`on_event` startup/shutdown handler (deprecated)"
    triggers = (rb"on_event|add_event_handler",)

    @classmethod
    def screen(cls, facts, lookups) -> bool:
        return facts.calls_on_app(frozenset({"on_event", "add_event_handler"}))

    def visit_Module(self, node: cst.Module) -> None:
        for where, event, _handler in self.ctx.app.event_handlers:
            if event in _EVENTS:
                self.report(
                    where,
                    f'`on_event("{event}")` is deprecated and ignored once the app has a lifespan; '
                    "use a lifespan context manager (`FastAPI(lifespan=...)`)",
                )
