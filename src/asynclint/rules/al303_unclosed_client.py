"""AL303: an HTTP client that is not closed on every path."""

from __future__ import annotations

from dataclasses import dataclass

from asynclint.analysis.clients import shares_a_pool
from asynclint.analysis.coroutines import Use, is_load, value_use
from asynclint.knowledge.web import (
    CLIENT_CLASSES,
    CLIENT_TRIGGER,
    CLIENTS_TO_CLOSE,
    CLOSE_METHODS,
)
from asynclint.lazy import cst
from asynclint.model.facts import MAY_BE_UNUSED
from asynclint.rule import CallPattern, Rule


@dataclass
class _Client:
    node: cst.Call
    shown: str  # how messages name it: "`httpx.Client`", "`httpx.Client` from `make_client()`"
    closed_in_finally: bool = False
    closed: bool = False
    escapes: bool = False


class UnclosedClient(Rule):
    """
    ## What it does
    Flags an HTTP client or session stored in a local variable without
    `async with`/`with`, whose `aclose()`/`close()` is missing or not in a
    `finally` block. Clients that leave the function (returned, yielded,
    stored on an attribute or app state, passed to another call such as
    `AsyncExitStack.enter_async_context`) are someone else's to close, and
    are not flagged, nor are clients given a pool built elsewhere
    (`transport=shared`, `http_client=shared`), whose closing would close it,
    nor SDK clients that close their pool when dropped
    (openai's and anthropic's) or that are kept unclosed by design (boto3's,
    which have no `with`). A call of a project function, in this module or
    another, that builds and returns a new client on every call
    (`return httpx.Client(...)`) counts as building one here.

    ## Why is this bad?
    An unclosed client leaks its connection pool: sockets stay open until
    garbage collection (aiohttp warns "Unclosed client session"). When the
    close call is not in a `finally`, every exception on the way leaks one
    client, which under error bursts exhausts file descriptors.

    ## Example
    ```python
    import httpx

    async def fetch(url):
        client = httpx.AsyncClient()
        response = await client.get(url)
        await client.aclose()
        return response.json()
    ```

    ## Use instead
    ```python
    import httpx

    async def fetch(url):
        async with httpx.AsyncClient() as client:
            response = await client.get(url)
        return response.json()
    ```

    ## Fix safety
    No fix.
    """

    code = "AL303"
    name = "unclosed-client"
    summary = "HTTP client not closed on every path"
    # a client library, or an import (a project function that returns a new client)
    triggers = (CLIENT_TRIGGER, rb"\bimport\b")

    # dropped, stored or used once (not handed on, returned or opened by a `with`), in a function
    calls = CallPattern(CLIENTS_TO_CLOSE, where=lambda call: call.use in MAY_BE_UNUSED and call.in_function)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # or a call of a project function that returns a new client (`client = make_client()`)
        return super().screen(look, lookups) or look.may_call(lookups.is_client_factory, cls.calls.where)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.clients: dict[int, dict[str, _Client]] = {}

    def on_call(self, node: cst.Call, call, cls: str) -> None:
        if not shares_a_pool(self.ctx, node):  # closing it would close the shared pool
            self._built(node, f"`{cls}`")

    def _built(self, node: cst.Call, client: str) -> None:
        """A new client, `client` as the message names it."""
        function = self.ctx.frames[-1].node
        if not isinstance(function, cst.FunctionDef):
            return
        use = value_use(self.ctx, node)
        if use.use is Use.STORED and not use.through_container:
            self.clients.setdefault(id(function), {})[use.name] = _Client(node, client)
        elif use.use is Use.DROPPED:
            self.report(node, f"{client} is built and dropped without being closed")
        elif use.use is Use.MISUSED:  # `aiohttp.ClientSession().get(url)`: one call, never closed
            self.report(node, f"{client} is built for a single call and never closed; use `async with`")

    def visit_Call(self, node: cst.Call) -> None:
        """A call of a project function that builds and returns a new client: as if built here."""
        project, callee = self.ctx.project, self.ctx.callee(node)
        if project is None or callee is None or callee in CLIENT_CLASSES or callee.startswith("builtins."):
            return
        cls = project.new_client(callee, self.ctx.path)
        if cls in CLIENTS_TO_CLOSE:
            self._built(node, f"`{cls}` from `{callee.rpartition('.')[2]}()`")

    def visit_Name(self, node: cst.Name) -> None:
        if not self.clients or not is_load(self.ctx, node):
            return
        client = self._tracked(node.value)
        if client is None:
            return
        parent = self.ctx.parent(node)
        if isinstance(parent, cst.Attribute):
            call = self.ctx.parent(parent)
            if parent.attr.value in CLOSE_METHODS and isinstance(call, cst.Call):
                client.closed = True
                client.closed_in_finally |= self._in_finally()
            return  # a method call on the client: using it, not handing it on
        if isinstance(parent, cst.WithItem):
            client.closed_in_finally = True  # `async with client:` closes it
            return
        client.escapes = True

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        for client in self.clients.pop(id(node), {}).values():
            if client.escapes or client.closed_in_finally:
                continue
            if client.closed:
                message = f"{client.shown} is closed only when no exception occurs; close it in `finally` or use `async with`"
            else:
                message = f"{client.shown} is never closed; use `async with` (or close it in `finally`)"
            self.report(client.node, message)

    def _tracked(self, name: str) -> _Client | None:
        for frame in reversed(self.ctx.frames):
            held = self.clients.get(id(frame.node))
            if held and name in held:
                return held[name]
        return None

    def _in_finally(self) -> bool:
        frame = self.ctx.frames[-1].node
        for ancestor in reversed(self.ctx.node_stack):
            if ancestor is frame:
                return False
            if isinstance(ancestor, cst.Finally):
                return True
        return False
