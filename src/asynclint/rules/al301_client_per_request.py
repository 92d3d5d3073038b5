"""AL301: an HTTP client built for every request."""

from __future__ import annotations

from asynclint.analysis.clients import enclosing_functions, shares_a_pool
from asynclint.knowledge.frameworks import FRAMEWORK_TRIGGER
from asynclint.knowledge.types import DEPENDS_FUNCTIONS
from asynclint.knowledge.web import CLIENT_CLASSES
from asynclint.lazy import cst
from asynclint.rule import CallPattern, Rule


class ClientPerRequest(Rule):
    """
    ## What it does
    Flags an HTTP client or session (`httpx.AsyncClient`, `httpx.Client`,
    `aiohttp.ClientSession`, `requests.Session`), or an SDK client that owns
    one (`openai.OpenAI`/`AsyncOpenAI`, `anthropic.Anthropic`, `boto3.client(...)`),
    built inside an endpoint, a
    dependency, middleware, or a function of the same file that one of them
    calls or schedules as a background task: code that runs on every request.
    Endpoints and middleware are those of each framework the README's
    Frameworks section lists, however they are registered: decorators on an
    app or router built at module level or in a factory function, route
    lists (`Route("/", f)`), class-based endpoints and middleware classes.
    A function of another module that builds a new client on every call
    (itself or through the functions it calls: `async with httpx.AsyncClient()`,
    `client = httpx.Client()`, `return aiohttp.ClientSession()`) is flagged
    where the request path calls it or takes it as a dependency
    (`Depends(get_client)`). A client built in the lifespan, at module level,
    kept on an object (`self.client = ...`), given a pool built elsewhere
    (`transport=shared_transport`, `connector=shared_connector`,
    `http_client=shared_client`), copied from a shared one
    (`client.with_options(...)`), remembered by a `global` or a
    caching decorator, or outside any request path is not flagged.

    ## Why is this bad?
    A client owns a connection pool. Building one per request throws the pool
    away each time: every request pays a new TCP connection and TLS
    handshake, keep-alive never helps, and under load the process runs out of
    sockets or file descriptors. httpx and aiohttp both document "one client
    per application"; an SDK client also reads its configuration (a boto3
    client loads its service model) each time.

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
    # (an async file may register handlers on an app it imports from another module: `from .server import sio`)
    triggers = (FRAMEWORK_TRIGGER, rb"\basync\b")

    calls = CallPattern(CLIENT_CLASSES)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # and only where the module registers code that runs per request
        if not look.may_register_handlers(per_request=True):
            return False
        if super().screen(look, lookups):
            return True
        return any(map(lookups.builds_client, look.dependencies())) or any(
            any(map(lookups.builds_client, look.targets(call))) for call in look.calls
        )

    def on_call(self, node: cst.Call, call, cls: str) -> None:
        if shares_a_pool(self.ctx, node):
            return
        found = self._per_request(enclosing_functions(self.ctx))
        if found is None:
            return
        function, entry = found
        unit, once = _per(self.ctx.app.framework(entry))
        if entry is function:
            where = f"in `{function.name.value}`, which runs on every {unit}"
        else:
            where = f"in `{function.name.value}`, which `{entry.name.value}` runs on every {unit}"
        self.report(node, f"`{cls}` is built {where}; create one client in {once} and share it")

    def visit_Call(self, node: cst.Call) -> None:
        """A call, or a dependency, of another module's function that builds a client."""
        ctx = self.ctx
        if ctx.project is None:
            return
        callee = ctx.callee(node)
        if callee in DEPENDS_FUNCTIONS:
            provider = node.args[0].value if node.args and node.args[0].keyword is None else None
            target = ctx.resolve(provider) if provider is not None else None
            found, uses = self._per_request(self._taking_it()), "takes it as a dependency"
        else:
            target, found, uses = callee, None, "calls it"
            if _elsewhere(target, ctx.local_prefix):
                found = self._per_request(enclosing_functions(ctx))
        if found is None or not _elsewhere(target, ctx.local_prefix):
            return
        chain = ctx.project.client_chain(target, ctx.path)
        if chain is None:
            return
        (function, entry), (steps, built) = found, chain
        unit, once = _per(ctx.app.framework(entry))
        runs = f"on every {unit}" if entry is function else f"which `{entry.name.value}` runs on every {unit}"
        self.report(
            node,
            f"`{built.name}` is built on every call of `{' -> '.join(steps)}` ({built.path}:{built.line}), "
            f"and `{function.name.value}` {uses}, {runs}; create one client in {once} and share it",
        )

    def _per_request(self, functions: list[cst.FunctionDef]) -> tuple[cst.FunctionDef, cst.FunctionDef] | None:
        """The first of the functions that a request runs, and the endpoint or dependency that runs it."""
        app = self.ctx.app
        for function in functions:
            entry = app.request_entry(function)
            if entry is not None:
                return function, entry
        return None

    def _taking_it(self) -> list[cst.FunctionDef]:
        """The def whose parameter (its default or annotation) holds the node being visited."""
        stack = self.ctx.node_stack
        for index in range(len(stack) - 1, 0, -1):
            if type(stack[index]) is cst.Param:
                holder = next((node for node in reversed(stack[:index]) if type(node) is cst.FunctionDef), None)
                return [holder] if holder is not None else []
        return []


def _per(framework) -> tuple[str, str]:
    """What the entry runs once for (a request, an event, a job), and where a shared client belongs."""
    return (framework.unit, framework.run_once) if framework is not None else ("request", "the app's lifespan")


def _elsewhere(target: str | None, local_prefix: str) -> bool:
    """Whether a qualified name may be another module's (not this file's, not a builtin)."""
    return target is not None and not target.startswith(("builtins.", local_prefix + "."))
