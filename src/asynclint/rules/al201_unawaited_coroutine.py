"""AL201: a coroutine that is never awaited."""

from __future__ import annotations

import ast

from asynclint.analysis.coroutines import (
    Origin,
    Pending,
    StoredValues,
    Use,
    coroutine_origin,
    is_load,
    value_use,
)
from asynclint.diagnostics import Applicability, FixClass
from asynclint.knowledge.coroutines import (
    COROUTINE_ATTRIBUTES,
    COROUTINE_FUNCTIONS,
)
from asynclint.lazy import cst
from asynclint.model.facts import MAY_BE_UNUSED
from asynclint.rule import NodeFix, Rule

_WHAT_HAPPENS = {
    Use.DROPPED: "is never awaited: the call does nothing",
    Use.CONDITION: "is used as a condition: a coroutine object is always true and the call never runs",
    Use.FORMATTED: "is formatted into a string instead of its result",
    Use.MISUSED: "is used as if it were its result (missing `await`)",
}


def _stored(name: str) -> str:
    return f"is stored in `{name}` but never awaited, gathered or passed on"


def _described(origin: Origin) -> str:
    return f"`{origin.name}()` returns a coroutine ({origin.where}) that"


class UnawaitedCoroutine(Rule):
    """
    ## What it does
    Flags a call that returns a coroutine whose result is never awaited: the
    call is a statement of its own, its coroutine is returned from an
    `async def`, stored in a name that is never awaited, gathered or passed
    on, used as a condition (`if fetch():`, `if token and fetch():`,
    `x if fetch() else y`, a comprehension's `if`), formatted into a
    string, or used as if it were the result (`client.get(url).json()`). A call returns a coroutine when
    it calls an `async def` of this file or of the project (or a `def` made a
    coroutine function by `@sync_to_async`), a known async API
    (`asyncio.sleep`), or a method of an object known to be async
    (`httpx.AsyncClient`, `aiohttp.ClientSession`, `AsyncSession`).

    Passing the coroutine to any call (`asyncio.gather`, `create_task`,
    `asyncio.run`, `add_task`, ...), returning it from a plain `def`, and
    keeping it in an attribute or a container that is later used are not
    flagged.

    ## Why is this bad?
    Calling a coroutine function only creates the coroutine: nothing runs
    until it is awaited. The work silently never happens (Python warns
    "coroutine ... was never awaited" at garbage collection, in a log nobody
    reads), and an endpoint that returns the coroutine sends a serialisation
    error instead of the result.

    ## Example
    ```python
    async def fetch_data():
        return {"data": 1}

    async def handler():
        return fetch_data()
    ```

    ## Use instead
    ```python
    async def fetch_data():
        return {"data": 1}

    async def handler():
        return await fetch_data()
    ```

    ## Fix safety
    Unsafe: inserting `await` (offered where the call is a statement or the
    returned value inside an `async def`) makes the call run, so it can now
    take time, raise, and have side effects that the code never had.
    """

    code = "AL201"
    name = "unawaited-coroutine"
    summary = "coroutine never awaited"
    fix_class = FixClass.UNSAFE
    triggers = (rb"\basync\b", rb"\basyncio\b")

    first_look_nodes = (ast.FunctionDef, ast.AsyncFunctionDef)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # Awaited or consumed calls are never this rule's, nor returned ones outside
        # async code, nor those stored in a name read later (other than by a `return`).
        def may_give_coroutine(call) -> bool:
            targets = look.targets(call)
            return (
                any(map(COROUTINE_FUNCTIONS.__contains__, targets))  # (a namespace's methods too: a test, no set)
                or look.may_be_own_coroutine(call)
                or any(map(lookups.is_project_coroutine, targets))
            )

        return any(
            (call.use in MAY_BE_UNUSED or (call.use == "returned" and call.in_async))
            and may_give_coroutine(call)
            and (call.use != "stored" or look.first_use_of_stored(call)[1] != "used")
            for call in look.calls
        )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.stored = StoredValues()

    def visit_Call(self, node: cst.Call) -> None:
        # How the value is used is cheap to see; where the callee is defined may
        # mean reading another module: ask only when the use could be wrong.
        use = value_use(self.ctx, node, COROUTINE_ATTRIBUTES)
        if use.use in (Use.AWAITED, Use.OTHER) or (use.use is Use.RETURNED and not self.ctx.in_async):
            return
        if use.use is Use.STORED:
            self._store(node, use.name)
            return
        origin = coroutine_origin(self.ctx, node)
        if origin is None:
            return
        described = _described(origin)
        in_async = self.ctx.in_async
        if use.use is Use.RETURNED:
            fix = None if use.through_container else self._await_fix(node)
            self.report(node, f"{described} is returned unawaited from an `async def`; `await` it", fix, origin.definition)
        elif use.use in _WHAT_HAPPENS:
            fix = self._await_fix(node) if use.use is Use.DROPPED and in_async and not use.through_container else None
            self.report(node, f"{described} {_WHAT_HAPPENS[use.use]}", fix, origin.definition)

    def _store(self, node: cst.Call, name: str) -> None:
        """Remember a call stored in a local name; what it returns is looked up
        (in other modules too) only if the name is never used."""
        function = self.ctx.frames[-1].node
        if not isinstance(function, cst.FunctionDef):
            return
        origin = coroutine_origin(self.ctx, node, other_modules=False)
        if origin is not None:
            message = f"{_described(origin)} {_stored(name)}"
            self.stored.store(function, Pending(node, name, message, None, origin.definition))
            return
        qualname = self.ctx.callee(node)
        if qualname is None:
            return
        written = self.ctx.code_for(node.func)
        project = self.ctx.project_coroutines

        def describe():
            definition = project.get(qualname)
            if definition is None:
                return None
            return f"{_described(Origin(written, definition))} {_stored(name)}", None

        self.stored.store(function, Pending(node, name, None, None, None, describe))

    def visit_Name(self, node: cst.Name) -> None:
        if not self.stored.pending or not is_load(self.ctx, node):
            return
        pending = self.stored.load(self.ctx.frames, node.value)
        if pending is None:
            return
        use = value_use(self.ctx, node)
        if use.use is Use.RETURNED and not use.through_container and self.ctx.in_async:
            found = pending.resolved()
            if found is not None:
                message, related = found
                self.report(pending.node, message.replace(_stored(pending.name), "and returned unawaited"), None, related)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        for pending in self.stored.unused(node):
            found = pending.resolved()
            if found is not None:
                self.report(pending.node, found[0], None, found[1])

    def _await_fix(self, node: cst.Call) -> NodeFix:
        return NodeFix(
            Applicability.UNSAFE,
            "Insert `await`",
            ((node, cst.Await(expression=node)),),
        )
