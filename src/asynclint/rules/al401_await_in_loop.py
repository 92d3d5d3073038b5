"""AL401 (preview): independent awaits run one after another in a loop."""

from __future__ import annotations

import ast

from asynclint.analysis.coroutines import coroutine_origin
from asynclint.analysis.loops import body_facts, names_in
from asynclint.diagnostics import Default
from asynclint.knowledge.coroutines import COROUTINE_FUNCTIONS
from asynclint.knowledge.python_versions import target_has
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
from asynclint.model.resolve import known
from asynclint.rule import Rule
from asynclint.screen import NESTED_SCOPES

# Awaits that are safe to run concurrently: HTTP client requests.
_CONCURRENT_SAFE_PREFIXES = ("httpx.AsyncClient.", "aiohttp.ClientSession.")


class AwaitInLoop(Rule):
    """
    ## What it does
    Flags the `await` in a `for` loop over a collection when the iterations
    are independent and the results are collected: one await per iteration,
    of an `async def` of this file or an HTTP client request; no value
    carried from one iteration to the next (the awaited call's arguments use
    only the loop variable and names from before the loop); no `break`,
    `continue`, `return` or `yield`. Awaits on a database session or
    connection are never flagged: those must stay sequential.

    ## Why is this bad?
    Each iteration waits for the previous one: ten requests of 100 ms take a
    second instead of 100 ms.

    ## Example
    ```python
    import httpx

    async def fetch_all(client: httpx.AsyncClient, urls):
        results = []
        for url in urls:
            response = await client.get(url)
            results.append(response.json())
        return results
    ```

    ## Use instead
    ```python
    import asyncio

    import httpx

    async def fetch_all(client: httpx.AsyncClient, urls):
        responses = await asyncio.gather(*(client.get(url) for url in urls))
        return [response.json() for response in responses]
    ```
    Bound the concurrency (a semaphore, or the client's pool limits) when
    the collection can be large.

    ## Fix safety
    No fix.
    """

    code = "AL401"
    name = "await-in-loop"
    summary = "independent awaits run sequentially in a loop"
    default = Default.PREVIEW
    triggers = (rb"\bawait\b",)

    first_look_nodes = (ast.For,)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # a plain `for` of async code that could be gathered, whose one await is of
        # an `async def` of this file or an HTTP client's request (see `_safe_to_run_together`)
        for loop, scope, in_async in look.nodes_of(ast.For):
            awaited = _gathered(loop.body) if in_async else None
            call = awaited.value if awaited is not None and type(awaited.value) is ast.Call else None
            func = from_ast(call.func) if call is not None else None
            if func is not None and (
                look.may_give_coroutine(scope, func, None)
                or any(map(_is_request, known(look.resolver.callee(scope, ("call", func)))))
            ):
                return True
        return False

    def leave_For(self, node: cst.For) -> None:
        # On leaving, the body's bindings (`async with ... as client`) are known.
        if node.asynchronous is not None or not self.ctx.in_async:
            return
        facts = body_facts(node.body)
        if facts.exits or len(facts.awaits) != 1 or not facts.collects:
            return
        awaited = facts.awaits[0].expression
        if not isinstance(awaited, cst.Call) or not self._safe_to_run_together(awaited):
            return
        argument_names = set().union(*(names_in(arg.value) for arg in awaited.args))
        if (facts.assigned - names_in(node.target)) & argument_names:
            return  # a value computed in the loop feeds the next await
        task_group = " or a `TaskGroup`" if target_has("asyncio.TaskGroup", self.ctx.target_version) else ""
        self.report(
            facts.awaits[0],
            "each iteration waits for the previous one although they are independent; "
            f"run them together with `asyncio.gather`{task_group}",
        )

    def _safe_to_run_together(self, call: cst.Call) -> bool:
        origin = coroutine_origin(self.ctx, call)
        if origin is None:
            return False
        if origin.definition is not None:  # (`@sync_to_async` defs run in one shared thread by default: no faster together)
            return origin.definition.asynchronous is not None
        return origin.name.startswith(_CONCURRENT_SAFE_PREFIXES)


def _is_request(qualname: str) -> bool:
    """A coroutine method of an HTTP client: requests are safe to run together."""
    return qualname.startswith(_CONCURRENT_SAFE_PREFIXES) and qualname in COROUTINE_FUNCTIONS


_EXITS = (ast.Break, ast.Continue, ast.Return, ast.Yield, ast.YieldFrom)
_COLLECTORS = frozenset({"append", "add", "extend"})


def _gathered(body: list[ast.stmt]) -> ast.Await | None:
    """The first look: the await of a loop body (nested defs aside) that
    awaits once, never leaves early (break, continue, return, yield) and
    collects (`.append(...)`, `.add(...)`, `.extend(...)`, `x[k] = ...`)."""
    awaits, collects, pending = [], False, list(body)
    while pending:
        node = pending.pop()
        kind = type(node)
        if kind in NESTED_SCOPES:
            continue
        if kind in _EXITS:
            return None
        if kind is ast.Await:
            awaits.append(node)
        elif (kind is ast.Subscript and type(node.ctx) is ast.Store) or (
            kind is ast.Call and type(node.func) is ast.Attribute and node.func.attr in _COLLECTORS
        ):
            collects = True
        pending.extend(ast.iter_child_nodes(node))
    return awaits[0] if len(awaits) == 1 and collects else None
