"""AL403 (preview): polling a flag with sleep instead of waiting on an event."""

from __future__ import annotations

import ast

from asynclint.diagnostics import Default
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
from asynclint.rule import Rule

_SLEEPS = ("asyncio.sleep", "anyio.sleep", "trio.sleep")


def _is_flag(test: cst.BaseExpression) -> bool:
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        test = test.expression
    return isinstance(test, (cst.Name, cst.Attribute))


def _may_poll(look, scope: str, loop: ast.While) -> bool:
    """The first look's side of `visit_While` (`pass` counts as a sleep there too)."""
    checks = sleeps = 0
    for stmt in loop.body:
        kind = type(stmt)
        if kind is ast.If and not stmt.orelse and all(type(s) in (ast.Break, ast.Return) for s in stmt.body):
            checks += 1
        elif kind is ast.Pass or (
            kind is ast.Expr and type(stmt.value) is ast.Await and type(stmt.value.value) is ast.Call
            and look.may_call_one_of(scope, from_ast(stmt.value.value.func), _SLEEPS)
        ):
            sleeps += 1
        else:
            return False
    polls_forever = type(loop.test) is ast.Constant and loop.test.value is True
    return sleeps > 0 and (checks > 0 or not polls_forever)


class BusyWait(Rule):
    """
    ## What it does
    Flags a `while` loop in async context that polls a flag and sleeps:
    `while not self.ready: await asyncio.sleep(0.1)`, or `while True:` whose
    body only checks a condition (`if ...: break`) and sleeps. Loops that do
    other work each iteration (heartbeats, retries) are not flagged.

    ## Why is this bad?
    Polling wakes the loop every interval for nothing and reacts late, up to
    a full interval after the flag changes. An `asyncio.Event` wakes the
    waiter exactly when it is set, and costs nothing meanwhile.

    ## Example
    ```python
    import asyncio

    class Service:
        async def wait_ready(self):
            while not self.ready:
                await asyncio.sleep(0.1)
    ```

    ## Use instead
    ```python
    import asyncio

    class Service:
        def __init__(self):
            self.ready = asyncio.Event()

        async def wait_ready(self):
            await self.ready.wait()
    ```

    ## Fix safety
    No fix.
    """

    code = "AL403"
    name = "busy-wait"
    summary = "polling a flag with sleep"
    default = Default.PREVIEW
    triggers = (rb"\basync\b",)

    first_look_nodes = (ast.While,)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # a `while` of async code whose body only checks, exits and sleeps
        return any(in_async and _may_poll(look, scope, loop) for loop, scope, in_async in look.nodes_of(ast.While))

    def visit_While(self, node: cst.While) -> None:
        if not self.ctx.in_async or not isinstance(node.body, cst.IndentedBlock):
            return
        polls_flag = _is_flag(node.test)
        checks = sleeps = 0
        for stmt in node.body.body:
            if isinstance(stmt, cst.If) and stmt.orelse is None and _only_exits(stmt.body):
                checks += 1
            elif isinstance(stmt, cst.SimpleStatementLine) and all(self._is_sleep(s) for s in stmt.body):
                sleeps += 1
            else:
                return
        is_true = isinstance(node.test, cst.Name) and node.test.value == "True"
        if sleeps and (polls_flag and not is_true or is_true and checks):
            self.report(node, "polling with `sleep` until a condition holds; wait on an `asyncio.Event` instead")

    def _is_sleep(self, small: cst.BaseSmallStatement) -> bool:
        if isinstance(small, cst.Pass):
            return True
        value = small.value if isinstance(small, cst.Expr) else None
        return (
            isinstance(value, cst.Await)
            and isinstance(value.expression, cst.Call)
            and self.ctx.callee(value.expression) in _SLEEPS
        )


def _only_exits(block: cst.BaseSuite) -> bool:
    statements = block.body if isinstance(block, cst.IndentedBlock) else [block]
    for stmt in statements:
        smalls = stmt.body if isinstance(stmt, (cst.SimpleStatementLine, cst.SimpleStatementSuite)) else None
        if smalls is None or not all(isinstance(s, (cst.Break, cst.Return)) for s in smalls):
            return False
    return True
