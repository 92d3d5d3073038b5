"""AL302: an HTTP client built inside a loop."""

from __future__ import annotations

from asynclint.analysis.loops import names_in
from asynclint.knowledge.web import CLIENT_CLASSES, CLIENT_TRIGGER
from asynclint.lazy import cst
from asynclint.rule import CallPattern, Rule


class ClientInLoop(Rule):
    """
    ## What it does
    Flags an HTTP client or session (`httpx.AsyncClient`, `httpx.Client`,
    `aiohttp.ClientSession`, `requests.Session`), or an SDK client that owns
    one (`openai.OpenAI`, `anthropic.Anthropic`, `boto3.client(...)`), built
    inside the body of a `for`, `async for` or `while` loop. A client whose
    arguments come from the loop's own variable (`for server in servers:
    OpenAI(base_url=server.url)`) is one per item, and not flagged.

    ## Why is this bad?
    Each iteration builds and tears down a connection pool: every request
    opens a new connection (and TLS handshake) to the same hosts, which is
    what the client exists to avoid. httpx's docs warn against exactly this
    "hot loop".

    ## Example
    ```python
    import httpx

    async def fetch_all(urls):
        results = []
        for url in urls:
            async with httpx.AsyncClient() as client:
                results.append((await client.get(url)).json())
        return results
    ```

    ## Use instead
    ```python
    import httpx

    async def fetch_all(urls):
        results = []
        async with httpx.AsyncClient() as client:
            for url in urls:
                results.append((await client.get(url)).json())
        return results
    ```

    ## Fix safety
    No fix.
    """

    code = "AL302"
    name = "client-in-loop"
    summary = "HTTP client built inside a loop"
    triggers = (CLIENT_TRIGGER,)

    calls = CallPattern(CLIENT_CLASSES, where=lambda call: call.in_for or call.in_while)

    def on_call(self, node: cst.Call, call, cls: str) -> None:
        frame_node = self.ctx.frames[-1].node
        child = node
        for ancestor in reversed(self.ctx.node_stack[:-1]):
            if ancestor is frame_node:
                return
            if isinstance(ancestor, (cst.For, cst.While)) and child is ancestor.body:
                if isinstance(ancestor, cst.For) and _configured_by(node, ancestor.target):
                    return  # `for config in configs: OpenAI(base_url=config.url)`: one client per item, by design
                self.report(node, f"`{cls}` is built on every iteration of the loop; build it once, before the loop")
                return
            child = ancestor



def _configured_by(call: cst.Call, target: cst.BaseExpression) -> bool:
    """Whether the call's arguments read a name the loop binds."""
    bound = names_in(target)
    return any(not bound.isdisjoint(names_in(arg.value)) for arg in call.args)
