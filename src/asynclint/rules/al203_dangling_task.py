"""AL203: a task created and not kept."""

from __future__ import annotations

import ast

from asynclint.analysis.coroutines import Pending, StoredValues, Use, is_load, value_use
from asynclint.knowledge.coroutines import TASK_FACTORIES
from asynclint.lazy import cst
from asynclint.model.facts import MAY_BE_UNUSED
from asynclint.rule import CallPattern, Rule


class DanglingTask(Rule):
    """
    ## What it does
    Flags `asyncio.create_task(...)`, `asyncio.ensure_future(...)` and
    `loop.create_task(...)` whose task is not kept: the call is a statement,
    its result goes to `_`, or it is stored in a local name that is never
    used again. Tasks kept in a set, a list or an attribute, returned,
    awaited or passed on are fine, and so is `TaskGroup.create_task` (the
    group keeps its tasks).

    ## Why is this bad?
    The event loop keeps only a weak reference to a task. A task nobody
    references can be garbage-collected before it finishes, and its
    exception is never seen: work silently disappears, intermittently.

    ## Example
    ```python
    import asyncio

    async def handler(event):
        asyncio.create_task(notify(event))
    ```

    ## Use instead
    ```python
    import asyncio

    background_tasks = set()

    async def handler(event):
        task = asyncio.create_task(notify(event))
        background_tasks.add(task)
        task.add_done_callback(background_tasks.discard)
    ```
    Or run it in an `asyncio.TaskGroup`.

    ## Fix safety
    No fix: where to keep the task is the program's decision.
    """

    code = "AL203"
    name = "dangling-task"
    summary = "task created and not kept"
    triggers = (rb"create_task|ensure_future",)

    calls = CallPattern(TASK_FACTORIES, where=lambda call: call.use in MAY_BE_UNUSED)
    first_look_nodes = (ast.FunctionDef, ast.AsyncFunctionDef)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # and a task stored in a name must be left unread (`_` is never a keeper)
        def left(call) -> bool:
            if call.use != "stored":
                return True
            name, fate = look.first_use_of_stored(call)
            return fate == "unused" or name == "_"

        test = lookups.callees(cls.calls)
        return any(
            call.use in MAY_BE_UNUSED and any(map(test, look.targets(call))) and left(call) for call in look.calls
        )

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        self.stored = StoredValues()

    def on_call(self, node: cst.Call, call, factory: str) -> None:
        shown = factory.replace("asyncio.AbstractEventLoop.", "loop.")
        use = value_use(self.ctx, node)
        if use.through_container:
            return
        message = f"the task from `{shown}()` is not kept; the loop holds only a weak reference and may drop it"
        if use.use is Use.DROPPED or (use.use is Use.STORED and use.name == "_"):
            self.report(node, message)
        elif use.use is Use.STORED:
            function = self.ctx.frames[-1].node
            if isinstance(function, cst.FunctionDef):
                self.stored.store(function, Pending(node, use.name, f"{message} (`{use.name}` is never used)"))

    def visit_Name(self, node: cst.Name) -> None:
        if self.stored.pending and is_load(self.ctx, node):
            self.stored.load(self.ctx.frames, node.value)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        for pending in self.stored.unused(node):
            self.report(pending.node, pending.message)
