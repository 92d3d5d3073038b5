"""AL603: a timeout block that never awaits."""

from __future__ import annotations

import ast

from asynclint.analysis.search import contains, is_checkpoint
from asynclint.diagnostics import Applicability, FixClass
from asynclint.knowledge.timeouts import TIMEOUT_CONTEXT_MANAGERS
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
from asynclint.rule import NodeFix, Rule
from asynclint.screen import own_nodes, suspends


class TimeoutWithoutAwait(Rule):
    """
    ## What it does
    Flags `async with asyncio.timeout(...)` / `timeout_at(...)` (and anyio's
    and trio's `fail_after` / `move_on_after`) whose body has no `await`,
    `async for` or `async with`.

    ## Why is this bad?
    A timeout can only interrupt the body at an await: cancellation is
    delivered there. A body that never awaits runs to the end however long
    it takes, so the timeout is decoration that suggests a protection the
    code does not have (often the sign of a blocking call inside).

    ## Example
    ```python
    import asyncio

    async def load(path):
        async with asyncio.timeout(5):
            data = parse_file(path)
        return data
    ```

    ## Use instead
    ```python
    import asyncio

    async def load(path):
        async with asyncio.timeout(5):
            data = await asyncio.to_thread(parse_file, path)
        return data
    ```

    ## Fix safety
    Safe: removing a timeout that can never fire keeps behaviour; the body
    is kept as it is, one level out. Offered when the timeout is the
    statement's only context manager.
    """

    code = "AL603"
    name = "timeout-without-await"
    summary = "timeout block that never awaits"
    fix_class = FixClass.SAFE
    triggers = (rb"\basync\b",)

    first_look_nodes = (ast.AsyncWith,)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # an `async with` of a timeout that never suspends
        return any(
            look.may_call_one_of(scope, from_ast(item.context_expr.func), TIMEOUT_CONTEXT_MANAGERS)
            for block, scope, _ in look.nodes_of(ast.AsyncWith)
            if not any(map(suspends, own_nodes(block.body)))
            for item in block.items
            if isinstance(item.context_expr, ast.Call)
        )

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is None:
            return
        for item in node.items:
            call = item.item
            if isinstance(call, cst.Call) and self.ctx.callee(call) in TIMEOUT_CONTEXT_MANAGERS:
                if not contains(node.body, is_checkpoint):
                    shown = self.ctx.code_for(call.func)
                    self.report(
                        call,
                        f"`{shown}()` guards a block that never awaits, so it can never time out; "
                        "await inside it or remove it",
                        self._fix(node),
                    )
                return

    @staticmethod
    def _fix(node: cst.With) -> NodeFix | None:
        if len(node.items) != 1 or node.items[0].asname is not None or not isinstance(node.body, cst.IndentedBlock):
            return None
        body = list(node.body.body)
        body[0] = body[0].with_changes(leading_lines=[*node.leading_lines, *body[0].leading_lines])
        return NodeFix(
            Applicability.SAFE,
            "Remove the timeout that can never fire",
            ((node, cst.FlattenSentinel(body)),),
        )
