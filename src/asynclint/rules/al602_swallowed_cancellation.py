"""AL602: an `except` that swallows cancellation."""

from __future__ import annotations

import ast
from collections.abc import Sequence

from asynclint.analysis.search import contains
from asynclint.knowledge.timeouts import CANCELLATION_CATCHERS
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
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


def _awaited_name(try_node: cst.Try) -> cst.BaseExpression | None:
    """`x` when the try body is only `await x` (or `y = await x`) on a name or attribute."""
    body = _body(try_node.body)
    if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine) or len(body[0].body) != 1:
        return None
    small = body[0].body[0]
    awaited = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
    if isinstance(awaited, cst.Await) and isinstance(awaited.expression, (cst.Name, cst.Attribute)):
        return awaited.expression
    return None


def _cancelled_before(task: cst.BaseExpression, try_node: cst.Try, block: cst.CSTNode | None) -> bool:
    """Whether a statement before the try in the same block calls `task.cancel()`."""
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


# Calls that show a handler deals with cancellation on purpose: it asks whether
# its own task is being cancelled, or hands the exception on.
_DELIBERATE_CALLS = frozenset({"cancelling", "uncancel", "set_exception", "append", "add", "put_nowait"})


def _handles_deliberately(handler: cst.ExceptHandler) -> bool:
    """`if task.cancelling(): raise`, `errors.append(exc)`, `future.set_exception(exc)`:
    code that routes cancellation itself (re-raising later or conditionally)."""
    bound = handler.name.name.value if handler.name is not None and isinstance(handler.name.name, cst.Name) else None
    found = False

    class Finder(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            nonlocal found
            if not isinstance(node.func, cst.Attribute) or node.func.attr.value not in _DELIBERATE_CALLS:
                return
            if node.func.attr.value in ("cancelling", "uncancel"):
                found = True
            elif bound is not None and any(isinstance(a.value, cst.Name) and a.value.value == bound for a in node.args):
                found = True

    handler.body.visit(Finder())
    return found or (bound is not None and _raises_somewhere(handler) and _passes_on(handler, bound))


def _raises_somewhere(handler: cst.ExceptHandler) -> bool:
    return contains(handler.body, lambda node: isinstance(node, cst.Raise))


def _passes_on(handler: cst.ExceptHandler, name: str) -> bool:
    """Whether the handler passes the caught exception to a call (`cm.__exit__(type(e), e, tb)`)."""
    return contains(
        handler.body, lambda node: isinstance(node, cst.Arg) and isinstance(node.value, cst.Name) and node.value.value == name
    )


class SwallowedCancellation(Rule):
    """
    ## What it does
    Flags, in async context, `except BaseException`, a bare `except:`, or
    `except asyncio.CancelledError` (alone or in a tuple) whose body does not
    re-raise on every path. Any `raise` on a path counts as re-raising; a
    `raise` inside a nested function does not. `task.cancel()` followed by
    `try: await task` / `except CancelledError: pass`, the idiom for
    collecting a task you cancelled yourself, is not flagged; nor is a
    handler that checks `task.cancelling()` (re-raising only when its own task
    is cancelled) or hands the exception on (`errors.append(exc)`,
    `future.set_exception(exc)`, or to a call on a path that may re-raise, as
    in a context manager's `__exit__`).

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
    triggers = (rb"\basync\b",)

    first_look_nodes = (ast.ExceptHandler,)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # an `except` of async code that may end without raising, and may catch cancellation
        for handler, scope, in_async in look.nodes_of(ast.ExceptHandler):
            if not in_async or _raises_first(handler.body):
                continue
            if handler.type is None:
                return True  # a bare `except` catches everything
            caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
            if any(look.may_be(scope, from_ast(expr), CANCELLATION_CATCHERS) for expr in caught):
                return True
        return False

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if not self.ctx.in_async:
            return
        caught = self._catches_cancellation(node.type)
        if caught is None or always_raises(_body(node.body)) or _handles_deliberately(node):
            return
        try_node = self.ctx.parent(node)
        if isinstance(try_node, cst.Try) and self._collects_tasks(try_node):
            return
        self.report(
            node,
            f"`{caught}` catches cancellation and does not re-raise it; add `raise` "
            "(or catch `Exception`, which does not include `CancelledError`)",
        )

    def _collects_tasks(self, try_node: cst.Try) -> bool:
        """`task.cancel()` then `try: await task`, or `for task in tasks: try: await task`."""
        task = _awaited_name(try_node)
        if task is None:
            return False
        block = self.ctx.parent(try_node)
        if _cancelled_before(task, try_node, block):
            return True
        loop = self.ctx.parent(block)
        return isinstance(loop, cst.For) and loop.target.deep_equals(task)

    def _catches_cancellation(self, expr: cst.BaseExpression | None) -> str | None:
        if expr is None:
            return "except:"
        candidates = [e.value for e in expr.elements] if isinstance(expr, cst.Tuple) else [expr]
        for candidate in candidates:
            name = self.ctx.resolve(candidate)
            if name in CANCELLATION_CATCHERS:
                return f"except {self.ctx.code_for(candidate)}"
        return None


def _raises_first(body: list[ast.stmt]) -> bool:
    """The first look: whether a block surely raises: a `raise` comes before any `return`,
    `break` or `continue` among its own statements."""
    for statement in body:
        if isinstance(statement, ast.Raise):
            return True
        if isinstance(statement, (ast.Return, ast.Break, ast.Continue)):
            return False
    return False
