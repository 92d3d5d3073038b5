"""AL502 (preview): an `async def` endpoint that never awaits but does work."""

from __future__ import annotations

import ast

from asynclint.analysis.search import contains
from asynclint.diagnostics import Default
from asynclint.knowledge.frameworks import FRAMEWORK_TRIGGER
from asynclint.lazy import cst
from asynclint.rule import Rule
from asynclint.screen import own_nodes, suspends


def _loops(function: cst.CSTNode) -> bool:
    """Whether a function's body has a `for` or `while` loop (work that takes time)."""
    return contains(function, lambda node: type(node) is cst.For or type(node) is cst.While)


class AsyncEndpointWithoutAwait(Rule):
    """
    ## What it does
    Flags an `async def` endpoint whose own body never awaits (no `await`,
    `async for` or `async with`) and still does work: it loops, or calls a
    plain function of the same file that loops. Reported at the function's
    name.

    ## Why is this bad?
    An `async def` endpoint runs on the event loop itself. With nothing to
    await, it holds the loop for its whole duration: every other request
    waits while it computes. As a plain `def`, FastAPI would run it in a
    worker thread and keep the loop free.

    ## Example
    ```python
    from fastapi import FastAPI

    app = FastAPI()

    def build_report(rows):
        totals = []
        for row in rows:
            totals.append(row * 2)
        return totals

    @app.get("/report")
    async def report(rows: list[int]):
        return build_report(rows)
    ```

    ## Use instead
    ```python
    from fastapi import FastAPI

    app = FastAPI()

    def build_report(rows):
        totals = []
        for row in rows:
            totals.append(row * 2)
        return totals

    @app.get("/report")
    def report(rows: list[int]):
        return build_report(rows)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL502"
    name = "async-endpoint-without-await"
    summary = "`async def` endpoint that never awaits"
    default = Default.PREVIEW
    triggers = (FRAMEWORK_TRIGGER,)

    first_look_nodes = (ast.FunctionDef, ast.AsyncFunctionDef)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        return look.may_register_handlers(per_request=False) and idle_async_work(look)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.awaits: set[int] = set()
        self.works: set[int] = set()

    def _current(self) -> int | None:
        function = self.ctx.function
        return id(function) if function is not None else None

    def visit_Await(self, node: cst.Await) -> None:
        self.awaits.add(self._current())

    def visit_For(self, node: cst.For) -> None:
        (self.awaits if node.asynchronous else self.works).add(self._current())

    def visit_While(self, node: cst.While) -> None:
        self.works.add(self._current())

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous:
            self.awaits.add(self._current())

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if node.asynchronous:
            self.awaits.add(self._current())

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name):
            binding = self.ctx.lookup(node.func.value)
            if (
                binding is not None
                and binding.kind == "function"
                and binding.node is not None
                and self.ctx.remember(("loops", id(binding.node)), lambda: _loops(binding.node))
            ):
                self.works.add(self._current())

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        key = id(node)
        if (
            node.asynchronous is not None
            and key in self.works
            and key not in self.awaits
            and _runs_plain_defs_in_threads(self.ctx.app.framework(node))
        ):
            self.report(
                node.name,
                f"`async def {node.name.value}` never awaits: it holds the event loop for its whole run; "
                "make it a plain `def` so it runs in a worker thread",
            )


def _runs_plain_defs_in_threads(framework) -> bool:
    """Whether the framework of an endpoint would run it in a worker thread as a plain def."""
    return framework is not None and framework.sync_handlers == "thread"


def idle_async_work(look) -> bool:
    """The first look: an `async def` whose own body never awaits, and loops
    or calls by its bare name a plain def of the file that loops."""
    looping = {
        function.name
        for function, _, _ in look.nodes_of(ast.FunctionDef)
        if any(isinstance(node, (ast.For, ast.AsyncFor, ast.While)) for node in ast.walk(function))
    }
    for function, _, _ in look.nodes_of(ast.AsyncFunctionDef):
        own = list(own_nodes(function.body))
        if any(map(suspends, own)):
            continue
        if any(
            isinstance(node, (ast.For, ast.While))
            or (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in looping)
            for node in own
        ):
            return True
    return False
