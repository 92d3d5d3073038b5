"""AL602: an `except` that swallows cancellation."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from asynclint.knowledge.timeouts import CANCELLATION_CATCHERS
from asynclint.rule import Rule


def always_raises(statements: Sequence[cst.BaseStatement]) -> bool:
    """Whether running these statements ends in a `raise` on every path
    (a `raise` inside a nested function does not count)."""
    for stmt in statements:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Raise):
                    return True
                if isinstance(small, (cst.Return, cst.Break, cst.Continue)):
                    return False
        elif isinstance(stmt, cst.If):
            branches = [stmt.body]
            orelse = stmt.orelse
            while isinstance(orelse, cst.If):
                branches.append(orelse.body)
                orelse = orelse.orelse
            if orelse is not None:
                branches.append(orelse.body)
                if all(always_raises(_body(b)) for b in branches):
                    return True
        elif isinstance(stmt, (cst.With, cst.Try)):
            if stmt.body and always_raises(_body(stmt.body)):
                if not isinstance(stmt, cst.Try) or all(always_raises(_body(h.body)) for h in stmt.handlers):
                    return True
            if isinstance(stmt, cst.Try) and stmt.finalbody is not None and always_raises(_body(stmt.finalbody.body)):
                return True
    return False


def _body(block: cst.BaseSuite) -> Sequence[cst.BaseStatement]:
    return block.body if isinstance(block, cst.IndentedBlock) else [cst.SimpleStatementLine(body=block.body)]


def _collects_a_cancelled_task(try_node: cst.Try, block: cst.CSTNode | None) -> bool:
    """`task.cancel()` then `try: await task` / `except CancelledError: pass`:
    collecting a task this code cancelled itself, the documented idiom."""
    body = _body(try_node.body)
    if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine) or len(body[0].body) != 1:
        return False
    small = body[0].body[0]
    awaited = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
    if not isinstance(awaited, cst.Await) or not isinstance(awaited.expression, (cst.Name, cst.Attribute)):
        return False
    task = awaited.expression
    statements = list(getattr(block, "body", ()))
    index = next((i for i, stmt in enumerate(statements) if stmt is try_node), 0)
    for previous in statements[:index]:
        if isinstance(previous, cst.SimpleStatementLine):
            for item in previous.body:
                call = item.value if isinstance(item, cst.Expr) else None
                if (
                    isinstance(call, cst.Call)
                    and isinstance(call.func, cst.Attribute)
                    and call.func.attr.value == "cancel"
                    and call.func.value.deep_equals(task)
                ):
                    return True
    return False


class SwallowedCancellation(Rule):
    """
    ## What it does
    Flags, in async context, `except BaseException`, a bare `except:`, or
    `except asyncio.CancelledError` (alone or in a tuple) whose body does not
    re-raise on every path. Any `raise` on a path counts as re-raising; a
    `raise` inside a nested function does not. `task.cancel()` followed by
    `try: await task` / `except CancelledError: pass`, the idiom for
    collecting a task you cancelled yourself, is not flagged.

    ## Why is this bad?
    Cancellation is delivered as `CancelledError`. Swallowing it makes the
    task carry on as if nothing happened: timeouts (`asyncio.timeout`,
    `wait_for`) stop working, `TaskGroup` and shutdown hang waiting for a
    task that refuses to stop, and a server cannot exit cleanly.
    `except Exception` is fine: `CancelledError` is a `BaseException`.

    ## Example
    ```python
    import asyncio

    async def worker(queue):
        while True:
            try:
                await handle(await queue.get())
            except BaseException:
                log_failure()
    ```

    ## Use instead
    ```python
    import asyncio

    async def worker(queue):
        while True:
            try:
                await handle(await queue.get())
            except asyncio.CancelledError:
                raise
            except Exception:
                log_failure()
    ```

    ## Fix safety
    No fix.
    """

    code = "AL602"
    name = "swallowed-cancellation"
    summary = "`except` that swallows cancellation"
    triggers = (rb"\bexcept\b",)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if not self.ctx.in_async:
            return
        caught = self._catches_cancellation(node.type)
        if caught is None or always_raises(_body(node.body)):
            return
        try_node = self.ctx.parent(node)
        if isinstance(try_node, cst.Try) and _collects_a_cancelled_task(try_node, self.ctx.parent(try_node)):
            return
        self.report(
            node,
            f"`{caught}` catches cancellation and does not re-raise it; add `raise` "
            "(or catch `Exception`, which does not include `CancelledError`)",
        )

    def _catches_cancellation(self, expr: cst.BaseExpression | None) -> str | None:
        if expr is None:
            return "except:"
        candidates = [e.value for e in expr.elements] if isinstance(expr, cst.Tuple) else [expr]
        for candidate in candidates:
            name = self.ctx.resolve(candidate)
            if name in CANCELLATION_CATCHERS:
                return f"except {self.ctx.code_for(candidate)}"
        return None
