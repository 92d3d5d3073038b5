"""AL206: `asyncio.get_event_loop()` inside a coroutine."""

from __future__ import annotations

from asynclint.diagnostics import Applicability, FixClass
from asynclint.lazy import cst
from asynclint.rule import CallPattern, NodeFix, Rule


class GetEventLoopInCoroutine(Rule):
    """
    ## What it does
    Flags `asyncio.get_event_loop()` inside an `async def`.

    ## Why is this bad?
    `get_event_loop()` is deprecated outside a running loop and its
    behaviour depends on the policy and the Python version; inside a
    coroutine it can only mean the running loop, which
    `asyncio.get_running_loop()` returns without ambiguity (and it raises
    instead of creating a stray loop if the code ever runs outside one).

    ## Example
    ```python
    import asyncio

    async def offload(func):
        loop = asyncio.get_event_loop()
        return await loop.run_in_executor(None, func)
    ```

    ## Use instead
    ```python
    import asyncio

    async def offload(func):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, func)
    ```

    ## Fix safety
    Safe: inside a coroutine both functions return the running loop.
    """

    code = "AL206"
    name = "get-event-loop-in-coroutine"
    summary = "`asyncio.get_event_loop()` in a coroutine"
    fix_class = FixClass.SAFE
    triggers = (rb"get_event_loop",)

    calls = CallPattern(frozenset({"asyncio.get_event_loop"}), where=lambda call: call.in_async)

    def on_call(self, node: cst.Call, call, callee: str) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            replacement = func.with_changes(attr=cst.Name("get_running_loop"))
            imports: tuple = ()
        else:
            replacement = cst.Name("get_running_loop")
            imports = (("asyncio", "get_running_loop"),)
        fix = NodeFix(Applicability.SAFE, "Use `asyncio.get_running_loop()`", ((func, replacement),), imports)
        self.report(node, "`asyncio.get_event_loop()` in a coroutine; use `asyncio.get_running_loop()`", fix)
