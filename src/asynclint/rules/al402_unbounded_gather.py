"""AL402 (preview): gathering one coroutine per input item, with no limit."""

from __future__ import annotations

import ast

from asynclint.analysis.coroutines import coroutine_origin
from asynclint.analysis.loops import body_facts
from asynclint.diagnostics import Default
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
from asynclint.rule import Rule

_GATHERS = ("asyncio.gather", "asyncio.wait")


def _bounded(iterable: cst.BaseExpression) -> bool:
    """A literal collection or `range(<literal>)`: its size is known."""
    if isinstance(iterable, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
        return True
    return (
        isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Name)
        and iterable.func.value == "range"
        and all(isinstance(a.value, cst.Integer) for a in iterable.args)
    )


class UnboundedGather(Rule):
    """
    ## What it does
    Flags `asyncio.gather(*[work(x) for x in xs])` (or a generator, or a
    name bound to such a comprehension in the same function) where `work` is
    an `async def` of this file that takes no semaphore or limiter (`async
    with` in its body) and `xs` is not a literal or `range(<literal>)`.
    Client requests (`client.get(url) for url in urls`) are not flagged: the
    client's connection pool bounds them.

    ## Why is this bad?
    The number of coroutines running at once is the size of the input: a
    list of 50,000 items opens 50,000 connections or queries at once,
    exhausting file descriptors, database connections or the remote
    service's rate limit.

    ## Example
    ```python
    import asyncio

    async def notify(user_id):
        await asyncio.sleep(0.1)

    async def notify_all(user_ids):
        await asyncio.gather(*[notify(u) for u in user_ids])
    ```

    ## Use instead
    ```python
    import asyncio

    async def notify(user_id, limit):
        async with limit:
            await asyncio.sleep(0.1)

    async def notify_all(user_ids):
        limit = asyncio.Semaphore(20)
        await asyncio.gather(*[notify(u, limit) for u in user_ids])
    ```

    ## Fix safety
    No fix.
    """

    code = "AL402"
    name = "unbounded-gather"
    summary = "gather over an input of unbounded size"
    default = Default.PREVIEW
    triggers = (rb"gather|asyncio\.wait",)

    first_look_nodes = (ast.ListComp, ast.GeneratorExp)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # a gather, and a comprehension of calls of an `async def` of this file
        if not look.may_call(_GATHERS, lambda call: True):
            return False
        return any(
            len(comprehension.generators) == 1
            and type(comprehension.elt) is ast.Call
            and look.may_give_coroutine(scope, from_ast(comprehension.elt.func), None)
            for kind in (ast.ListComp, ast.GeneratorExp)
            for comprehension, scope, _ in look.nodes_of(kind)
        )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.comprehensions: dict[tuple[int, str], cst.CSTNode] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            if isinstance(node.value, (cst.ListComp, cst.GeneratorExp)):
                key = (id(self.ctx.frames[-1].node), node.targets[0].target.value)
                self.comprehensions[key] = node.value

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.callee(node) not in _GATHERS:
            return
        for arg in node.args:
            comprehension = arg.value
            if isinstance(comprehension, cst.Name):
                comprehension = self.comprehensions.get((id(self.ctx.frames[-1].node), comprehension.value))
            if (arg.star == "*" or self.ctx.callee(node) == "asyncio.wait") and self._unbounded(comprehension):
                self.report(
                    node,
                    "one coroutine per input item run at once, with no limit; bound it with an "
                    "`asyncio.Semaphore` (or process the input in batches)",
                )
                return

    def _unbounded(self, comprehension: cst.CSTNode | None) -> bool:
        if not isinstance(comprehension, (cst.ListComp, cst.GeneratorExp)) or not isinstance(comprehension.elt, cst.Call):
            return False
        if comprehension.for_in.inner_for_in is not None or _bounded(comprehension.for_in.iter):
            return False
        origin = coroutine_origin(self.ctx, comprehension.elt)
        return (
            origin is not None
            and isinstance(origin.definition, cst.FunctionDef)
            and origin.definition.asynchronous is not None  # (a `@sync_to_async` def's calls queue for worker threads)
            and body_facts(origin.definition.body).async_withs == 0
        )
