"""AL109: a call to a sync project function that reaches a blocking call."""

from __future__ import annotations

from asynclint.lazy import cst
from asynclint.rule import Report, Rule


class TransitiveBlockingCall(Rule):
    """
    ## What it does
    Flags a call, in async context, to a sync function of the project (this
    file or any other module under the project root) that reaches a blocking
    call of the AL101-AL108 tables through its own sync calls, across
    modules. The project's own classes count: a method reached through an
    attribute chain (`self.services.settings.persist()`), inherited from a
    base in another module, or called on an object the function builds or
    receives (`UserRepo(session).get_one(1)`), a constructor whose
    `__init__` blocks on every path (one that blocks only in a branch, such
    as `if log_config is not None:`, depends on optional arguments and is
    left alone), a property whose getter blocks, read in async code
    (`if export.disk_left < 10:`), or whose setter blocks, assigned there
    (`self.throttle.delay = 0.5`), and a plain `with` on a project object
    whose `__enter__` blocks (`with FileLock(path):`). Names come in
    through imports of every kind, star imports of project modules
    included. The message shows the chain down to the blocking call. A
    disk metadata query (`os.path.exists`, AL110's) ends a chain only when
    AL110 is on. A function handed uncalled to `asyncio.to_thread` or
    `run_in_executor` is not a call, and so not a chain.

    ## Why is this bad?
    The blocking call runs on the event loop just as if it were written in
    the `async def`: hiding it in a helper (often in another module, written
    for sync code) does not make it asynchronous. This is how most blocking
    calls reach production: the endpoint looks clean, the helper looks
    clean, together they stall the server.

    ## Example
    ```python
    import requests

    def fetch_rates():
        return requests.get("https://rates.example.com", timeout=5).json()

    async def rates():
        return fetch_rates()
    ```

    ## Use instead
    ```python
    import asyncio

    import requests

    def fetch_rates():
        return requests.get("https://rates.example.com", timeout=5).json()

    async def rates():
        return await asyncio.to_thread(fetch_rates)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL109"
    name = "transitive-blocking-call"
    summary = "call to a sync project function that reaches a blocking call"

    @classmethod
    def screen(cls, facts, lookups) -> bool:
        # A call from async code into a sync function, here or in another module, that may block,
        # or an attribute read or assignment there that may run a property getter or setter that
        # may block, or a plain `with` whose `__enter__` may block.
        candidates = [call for call in facts.calls if call.in_async and not call.awaited]
        if any(lookups.reaches_blocking(target) for call in candidates for target in facts.targets(call)):
            return True
        run = facts.getters() | facts.setters() | facts.entered()
        return any(lookups.reaches_blocking(function) for function in run)

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # (the call, attribute read or assignment, what it does, the function it runs, its statement)
        self.candidates: list[tuple[cst.Call | cst.Attribute, str, str, cst.CSTNode | None]] = []

    def visit_Call(self, node: cst.Call) -> None:
        if self.ctx.in_async and not self.ctx.is_awaited(node):
            callee = self.ctx.callee(node)
            if callee is not None and not callee.startswith("builtins."):
                self.candidates.append((node, "calls", callee, self.ctx.statement))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if self.ctx.in_async and self.ctx.model.enters and not self.ctx.parent().asynchronous:
            enter = self.ctx.entered(node.item)
            if enter is not None:
                self.candidates.append((node.item, "enters", enter, self.ctx.statement))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not self.ctx.in_async or not (self.ctx.model.reads or self.ctx.model.writes):
            return
        parent = self.ctx.parent()
        if type(parent) is cst.Call and parent.func is node:
            return  # a call: visit_Call's
        if type(parent) in (cst.AssignTarget, cst.AnnAssign, cst.AugAssign) and parent.target is node:
            accessor, does = self.ctx.setter(node), "sets"
        else:
            accessor, does = self.ctx.getter(node), "reads"
        if accessor is not None:
            self.candidates.append((node, does, accessor, self.ctx.statement))

    def finish(self) -> None:
        project = self.ctx.project
        if project is None:
            return
        for node, does, callee, statement in self.candidates:
            chain = project.blocking_chain(callee, self.ctx.path)
            if not chain:
                continue
            steps, blocking = chain
            written = self.ctx.code_for(node.func if does == "calls" else node)
            shown = [written] if written != steps[0] and len(written) <= 60 and "\n" not in written else []
            names = " -> ".join([*shown, *(step.replace(":", ".") for step in steps), blocking.name])
            self.reports.append(
                Report(
                    self.code,
                    node,
                    f"{does} {names} ({blocking.path}:{blocking.line}), "
                    "which blocks the event loop; "
                    f"run it with `await asyncio.to_thread(...)` or make the chain async",
                    None,
                    None,
                    statement,
                )
            )
