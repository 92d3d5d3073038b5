"""AL304 (opt-in): asyncio primitives built at import time."""

from __future__ import annotations

from asynclint.diagnostics import Default
from asynclint.knowledge.web import ASYNC_PRIMITIVES
from asynclint.lazy import cst
from asynclint.rule import CallPattern, Rule


class ModuleLevelAsyncPrimitive(Rule):
    """
    ## What it does
    Flags `asyncio.Lock`, `Semaphore`, `BoundedSemaphore`, `Event`,
    `Condition`, `Queue` (and its variants) built at import time: at module
    level or in a class body. Opt-in: enable it with
    `extend-select = ["AL304"]`.

    ## Why is this bad?
    An asyncio primitive binds to the first event loop that uses it. Code that
    runs more than one loop in a process (test suites with a loop per test,
    `asyncio.run` called twice, worker frameworks) then fails with
    "is bound to a different event loop", far from where the object was
    built.

    ## Example
    ```python
    import asyncio

    semaphore = asyncio.Semaphore(10)

    async def fetch(client, url):
        async with semaphore:
            return await client.get(url)
    ```

    ## Use instead
    ```python
    import asyncio

    async def fetch_many(client, urls):
        semaphore = asyncio.Semaphore(10)

        async def fetch(url):
            async with semaphore:
                return await client.get(url)

        return await asyncio.gather(*(fetch(url) for url in urls))
    ```
    Or create it in the app's lifespan and keep it on the app state.

    ## Fix safety
    No fix.
    """

    code = "AL304"
    name = "module-level-async-primitive"
    summary = "asyncio primitive built at import time"
    default = Default.OPT_IN
    triggers = (rb"asyncio",)

    # outside every function (class bodies included)
    calls = CallPattern(ASYNC_PRIMITIVES, where=lambda call: not call.in_function)

    def on_call(self, node: cst.Call, call, primitive: str) -> None:
        self.report(
            node,
            f"`{primitive}` built at import time binds to the first event loop that uses it; "
            "create it inside the running loop (in a function or the app's lifespan)",
        )
