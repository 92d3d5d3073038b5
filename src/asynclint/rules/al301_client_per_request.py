"""AL301: an HTTP client built for every request."""

from __future__ import annotations

from asynclint.analysis.clients import enclosing_functions
from asynclint.knowledge.web import CLIENT_CLASSES, PER_REQUEST_METHODS
from asynclint.lazy import cst
from asynclint.rule import CallPattern, Rule


class ClientPerRequest(Rule):
    """
    ## What it does
    Flags an HTTP client or session (`httpx.AsyncClient`, `httpx.Client`,
    `aiohttp.ClientSession`, `requests.Session`) built inside an endpoint, a
    dependency, middleware, or a function of the same file that one of them
    calls or schedules as a background task: code that runs on every request.
    A client built in the lifespan, at module level, or outside any request
    path is not flagged.

    ## Why is this bad?
    A client owns a connection pool. Building one per request throws the pool
    away each time: every request pays a new TCP connection and TLS
    handshake, keep-alive never helps, and under load the process runs out of
    sockets or file descriptors. httpx and aiohttp both document "one client
    per application".

    ## Example
    ```python
    import httpx
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/users/{user_id}")
    async def get_user(user_id: int):
        async with httpx.AsyncClient() as client:
            response = await client.get(f"https://api.example.com/users/{user_id}")
            return response.json()
    ```

    ## Use instead
    ```python
    from contextlib import asynccontextmanager

    import httpx
    from fastapi import FastAPI, Request

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        async with httpx.AsyncClient() as client:
            app.state.http = client
            yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/users/{user_id}")
    async def get_user(user_id: int, request: Request):
        response = await request.app.state.http.get(f"https://api.example.com/users/{user_id}")
        return response.json()
    ```

    ## Fix safety
    No fix: sharing the client changes the app's structure.
    """

    code = "AL301"
    name = "client-per-request"
    summary = "HTTP client built on every request"
    triggers = (rb"fastapi|starlette",)

    calls = CallPattern(CLIENT_CLASSES)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # and only where the module registers code that runs per request
        return look.calls_on_app(PER_REQUEST_METHODS) and super().screen(look, lookups)

    def on_call(self, node: cst.Call, call, cls: str) -> None:
        app = self.ctx.app
        for function in enclosing_functions(self.ctx):
            entry = app.request_entry(function)
            if entry is None:
                continue
            if entry is function:
                where = f"in `{function.name.value}`, which runs on every request"
            else:
                where = f"in `{function.name.value}`, which `{entry.name.value}` runs on every request"
            self.report(
                node,
                f"`{cls}` is built {where}; create one client in the app's lifespan and share it",
            )
            return
