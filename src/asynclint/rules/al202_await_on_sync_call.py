"""AL202: `await` applied to the result of a synchronous call."""

from __future__ import annotations

from asynclint.analysis.blocking import BLOCKING_CODES, display_name
from asynclint.knowledge import blocking
from asynclint.lazy import cst
from asynclint.rule import CallPattern, Rule


class AwaitOnSyncCall(Rule):
    """
    ## What it does
    Flags `await` on the result of a call that is known to be synchronous:
    `await httpx.get(url)`, `await requests.get(url)`, `await time.sleep(1)`,
    `await open(path)`.

    ## Why is this bad?
    The call runs to completion first, blocking the event loop, and returns
    a plain object; awaiting that object then raises `TypeError: object
    Response can't be used in 'await' expression`. The `await` makes the code
    look asynchronous when it is not (httpx's top-level `get` is a plain
    function; only `httpx.AsyncClient` methods are coroutines).

    ## Example
    ```python
    import httpx

    async def fetch(url):
        response = await httpx.get(url)
        return response.json()
    ```

    ## Use instead
    ```python
    import httpx

    async def fetch(client: httpx.AsyncClient, url):
        response = await client.get(url)
        return response.json()
    ```

    Not flagged: awaiting a method of a name whose type is known only from
    its annotation (`session: Session`): the annotation is the likelier
    mistake.

    ## Fix safety
    No fix: the right async replacement depends on the program.
    """

    code = "AL202"
    name = "await-on-sync-call"
    summary = "`await` on a synchronous call"
    triggers = (rb"\bawait\b",)
    calls = CallPattern(blocking=BLOCKING_CODES, where=lambda call: call.awaited)

    def on_call(self, node: cst.Call, call, callee: str) -> None:
        if self._annotation_disagrees(node):
            return
        settings = self.ctx.settings
        entry = blocking.lookup(callee, settings.blocking_extras() if settings is not None else None)
        self.report(
            self.ctx.parent(node),
            f"`await` on {display_name(self.ctx, node, callee)}, a synchronous call: it blocks the event loop, "
            f"then raises TypeError on the await; {self.ctx.advice(entry.advice)}",
        )

    def _annotation_disagrees(self, call: cst.Call) -> bool:
        """`await session.execute(...)` with `session: Session`: code that awaits
        a method of an annotated parameter more likely has a wrong annotation
        (an `AsyncSession` passed as `Session`) than a wrong `await`."""
        receiver = call.func.value if isinstance(call.func, cst.Attribute) else None
        if not isinstance(receiver, cst.Name):
            return False
        binding = self.ctx.lookup(receiver.value)
        return binding is not None and binding.annotated
