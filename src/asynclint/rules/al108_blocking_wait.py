"""AL108: waiting on a thread, lock or future from the event loop."""

from __future__ import annotations

from asynclint.lazy import cst
from asynclint.rules._blocking import BlockingCallRule

# Calls that return at once when told not to block: method -> (keyword, position).
_NON_BLOCKING_SWITCH = {
    "acquire": ("blocking", 0),
    "get": ("block", 0),
    "put": ("block", 1),
    "shutdown": ("wait", 0),
}
# Waits given a timeout: method -> the timeout's position. With a timeout of
# zero they only poll (`thread.join(timeout=0)`, `event.wait(0)`).
_TIMEOUT_POSITION = {"join": 0, "wait": 0, "result": 0, "exception": 0, "acquire": 1, "get": 1, "put": 2}


class BlockingWait(BlockingCallRule):
    """
    ## What it does
    Flags waits on threads and thread-side futures inside an `async def`:
    `concurrent.futures.Future.result()` (also on
    `asyncio.run_coroutine_threadsafe(...)` and `executor.submit(...)`),
    `concurrent.futures.wait`, `threading` lock, event, condition, semaphore,
    barrier and thread waits, `queue.Queue` `get`/`put`/`join`, and leaving
    a plain `with ThreadPoolExecutor()` (or `ProcessPoolExecutor()`) block
    that awaits nothing: its exit waits for every worker. Calls told
    not to block (`lock.acquire(blocking=False)`, `queue.get(block=False)`,
    `executor.shutdown(wait=False)`, a zero timeout as in
    `thread.join(timeout=0)`), and a queue's `get` right under
    `while not q.empty():` or `if q.qsize():`, are not flagged; `asyncio` locks, events,
    queues and futures are awaited and never flagged.

    ## Why is this bad?
    The event loop sleeps until another thread finishes. If that thread in
    turn waits for the loop (a coroutine scheduled with
    `run_coroutine_threadsafe` on the same loop) the process deadlocks.

    ## Example
    ```python
    from concurrent.futures import ThreadPoolExecutor

    executor = ThreadPoolExecutor()

    async def render(page):
        return executor.submit(render_page, page).result()
    ```

    ## Use instead
    ```python
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    executor = ThreadPoolExecutor()

    async def render(page):
        return await asyncio.get_running_loop().run_in_executor(executor, render_page, page)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL108"
    name = "blocking-wait"
    summary = "waiting on a thread or future from the event loop"

    def on_call(self, node: cst.Call, call, callee: str) -> None:
        if not self._told_not_to_block(node) and not self._known_not_empty(node, callee):
            super().on_call(node, call, callee)

    def _known_not_empty(self, node: cst.Call, callee: str) -> bool:
        """A queue's `get` inside `while not q.empty():` / `if q.qsize():`:
        the loop's own thread just saw an item, so the call returns at once."""
        if not callee.endswith("Queue.get") or not isinstance(node.func, cst.Attribute):
            return False
        receiver = self.ctx.code_for(node.func.value)
        holds_an_item = {f"not {receiver}.empty()", f"{receiver}.qsize()", f"{receiver}.qsize() > 0"}
        for ancestor in reversed(self.ctx.node_stack):
            if isinstance(ancestor, cst.FunctionDef):
                return False
            if isinstance(ancestor, (cst.If, cst.While)) and self.ctx.code_for(ancestor.test) in holds_an_item:
                return any(node is ancestor.body for node in self.ctx.node_stack)  # not its `else`
        return False

    def _told_not_to_block(self, node: cst.Call) -> bool:
        if not isinstance(node.func, cst.Attribute):
            return False
        method = node.func.attr.value
        switch = _NON_BLOCKING_SWITCH.get(method)
        if switch is not None and any(
            isinstance(v, cst.Name) and v.value == "False" for v in _argument(node, *switch)
        ):
            return True
        position = _TIMEOUT_POSITION.get(method)
        return position is not None and any(
            isinstance(v, (cst.Integer, cst.Float)) and float(v.value) == 0 for v in _argument(node, "timeout", position)
        )


def _argument(node: cst.Call, keyword: str, position: int) -> list[cst.BaseExpression]:
    """The values a call gives a parameter, by keyword or by position."""
    positional = [a for a in node.args if a.keyword is None and not a.star]
    values = [a.value for a in node.args if a.keyword is not None and a.keyword.value == keyword]
    if len(positional) > position:
        values.append(positional[position].value)
    return values
