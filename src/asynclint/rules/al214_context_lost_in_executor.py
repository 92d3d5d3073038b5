"""AL214 (preview): `run_in_executor` of a function that reads a context variable."""

from __future__ import annotations

import ast

from asynclint.diagnostics import Default
from asynclint.knowledge.coroutines import (
    CONTEXT_LOSING_RUNNERS,
    CONTEXT_READS,
    CONTEXT_WRITES,
)
from asynclint.knowledge.python_versions import target_has
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
from asynclint.model.facts import CallSite
from asynclint.model.resolve import known
from asynclint.rule import CallPattern, Rule

# Calls that bind arguments to a callable given first: the callable is what runs.
_BINDERS = frozenset({"functools.partial"})


def _may_be_given(look, scope: str, node: ast.Call) -> frozenset[str]:
    """The first look's side of `on_call`: what a call of a context-losing runner may be given to run."""
    called = from_ast(node)
    runners = known(look.resolver.callee(scope, called)) & CONTEXT_LOSING_RUNNERS.keys() if called is not None else ()
    found: set[str] = set()
    for runner in runners:
        position = CONTEXT_LOSING_RUNNERS[runner]
        given = node.args[position] if len(node.args) > position and not isinstance(node.args[position], ast.Starred) else None
        if isinstance(given, ast.Call) and given.args and look.may_call_one_of(scope, from_ast(given.func), _BINDERS):
            given = given.args[0]
        found |= known(look.resolver.resolve(scope, from_ast(given))) if given is not None else set()
    return frozenset(found)


class ContextLostInExecutor(Rule):
    """
    ## What it does
    Flags `loop.run_in_executor(executor, func, ...)` in a coroutine when
    `func` is a sync project function (or a `functools.partial` of one)
    that reads a `contextvars.ContextVar` of the project in its own body
    (`request_id.get()`) and sets none there.

    ## Why is this bad?
    Context variables are how async code carries per-request values (a
    request id, the current user, a tenant, a tracing span) without
    passing them along: each task runs in a copy of its creator's
    context. `asyncio.to_thread` runs its function in a copy of the
    caller's context too, but `loop.run_in_executor` does not (CPython
    decided against it, issue 78195, since a process pool cannot take a
    context): the function runs in the worker thread's own context, where
    the variable has none of the values the coroutine set. `.get()` raises
    `LookupError`, or quietly returns the default, so logs lose their
    request id and code that checks the current user sees none.

    ## Example
    ```python
    import asyncio
    import contextvars

    request_id = contextvars.ContextVar("request_id", default="-")

    def write_audit(event):
        print(request_id.get(), event)

    async def handle(event):
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, write_audit, event)
    ```

    ## Use instead
    ```python
    import asyncio
    import contextvars

    request_id = contextvars.ContextVar("request_id", default="-")

    def write_audit(event):
        print(request_id.get(), event)

    async def handle(event):
        await asyncio.to_thread(write_audit, event)
    ```

    With an executor of your own, run the function in a copy of the
    context: `loop.run_in_executor(pool, contextvars.copy_context().run,
    write_audit, event)`.

    ## Fix safety
    No fix.
    """

    code = "AL214"
    name = "context-lost-in-executor"
    summary = "`run_in_executor` of a function that reads a context variable (the thread has none of its values)"
    default = Default.PREVIEW
    triggers = (rb"run_in_executor",)
    calls = CallPattern(frozenset(CONTEXT_LOSING_RUNNERS), where=lambda call: call.in_async)
    first_look_nodes = (ast.Call,)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # and what the runner is given may be a project function that reads a context variable
        return super().screen(look, lookups) and any(
            lookups.reads_context(function, CONTEXT_READS, CONTEXT_WRITES)
            for node, scope, in_async in look.nodes_of(ast.Call) if in_async
            for function in _may_be_given(look, scope, node)
        )

    def on_call(self, node: cst.Call, call: CallSite, callee: str) -> None:
        ctx = self.ctx
        positional = [arg for arg in node.args if arg.keyword is None]
        position = CONTEXT_LOSING_RUNNERS[callee]
        if ctx.project is None or len(positional) <= position or positional[position].star:
            return
        given = positional[position].value
        if isinstance(given, cst.Call) and ctx.callee(given) in _BINDERS:
            bound = [arg for arg in given.args if arg.keyword is None]
            if not bound or bound[0].star:
                return
            given = bound[0].value
        function = ctx.resolve(given)
        if function is None or function.startswith("builtins."):
            return
        read = ctx.project.context_read(function, ctx.path, CONTEXT_READS, CONTEXT_WRITES)
        if read is None:
            return
        shown, name = ctx.code_for(node.func), ctx.code_for(given)
        executor = positional[0].value if position > 0 else None
        default_executor = isinstance(executor, cst.Name) and executor.value == "None"
        copy = f"pass `contextvars.copy_context().run, {name}` to `{shown}`"
        if default_executor and target_has("asyncio.to_thread", ctx.target_version):
            advice = f"use `await asyncio.to_thread({name}, ...)`, which copies the context, or {copy}"
        else:
            advice = copy
        self.report(
            node,
            f"`{shown}` runs `{name}` in a worker thread without this coroutine's context variables, and `{name}` "
            f"reads one (`{read.name}` at {read.path}:{read.line}): it gets `LookupError` or the default, not the "
            f"value set here; {advice}",
        )
