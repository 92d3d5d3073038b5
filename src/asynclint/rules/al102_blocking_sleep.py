"""AL102: `time.sleep` in async context."""

from __future__ import annotations

from asynclint.diagnostics import Applicability, FixClass
from asynclint.knowledge.blocking import LIBRARY_ADVICE
from asynclint.lazy import cst
from asynclint.rule import NodeFix
from asynclint.rules._blocking import BlockingCallRule


class BlockingSleep(BlockingCallRule):
    """
    ## What it does
    Flags `time.sleep(...)` inside an `async def`.

    ## Why is this bad?
    `time.sleep` suspends the whole thread, and with it the event loop: no
    other request, task or timeout makes progress until it returns. One
    `time.sleep(1)` in a handler caps the whole server at one request per
    second.

    ## Example
    ```python
    import time

    async def poll():
        time.sleep(1)
    ```

    ## Use instead
    ```python
    import asyncio

    async def poll():
        await asyncio.sleep(1)
    ```
    In files that use anyio or trio the advice is `anyio.sleep` / `trio.sleep`.

    ## Fix safety
    Safe, where the call is a statement of its own: `await asyncio.sleep(x)`
    (or `anyio.sleep` / `trio.sleep` in files that use those) keeps the
    intent, a pause of the same length, and adds the import once. It also
    makes the pause a suspension point where other tasks run and
    cancellation can arrive, which is what a sleep in async code is expected
    to be.
    """

    code = "AL102"
    name = "blocking-sleep"
    summary = "`time.sleep` in async context"
    fix_class = FixClass.SAFE

    def fix_for(self, node: cst.Call) -> NodeFix | None:
        if not isinstance(self.ctx.parent(node), cst.Expr):
            return None
        library = self.ctx.library
        sleep = cst.parse_expression(LIBRARY_ADVICE[library]["sleep"])
        replacement = cst.Await(expression=node.with_changes(func=sleep))
        return NodeFix(Applicability.SAFE, f"Use `await {library}.sleep(...)`", ((node, replacement),), (library,))
