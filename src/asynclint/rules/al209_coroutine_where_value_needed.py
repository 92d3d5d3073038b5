"""AL209: a coroutine, or an `async def`, given to an API that needs something else."""

from __future__ import annotations

import ast

from asynclint.analysis.coroutines import Origin, coroutine_function, coroutine_origin
from asynclint.knowledge.coroutines import FUTURE_FUNCTIONS, TASKS_ONLY, THREAD_RUNNERS
from asynclint.knowledge.frameworks import FRAMEWORKS, framework_of_app
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
from asynclint.model.facts import CallSite
from asynclint.model.resolve import known
from asynclint.rule import CallPattern, Rule


def _argument(node: cst.Call, position: int) -> cst.BaseExpression | None:
    positional = [arg for arg in node.args if arg.keyword is None]
    if len(positional) > position and positional[position].star == "":
        return positional[position].value
    return None


class CoroutineWhereValueNeeded(Rule):
    """
    ## What it does
    Flags coroutines given to calls that cannot run them:

    - `asyncio.wait([fetch(a), fetch(b)])`: a list, set or tuple (or a
      comprehension) of coroutines, where `asyncio.wait` takes tasks;
    - an `async def` handed to a worker thread, uncalled
      (`asyncio.to_thread(fetch)`, `loop.run_in_executor(None, fetch)`,
      `anyio.to_thread.run_sync`, `run_in_threadpool`, `executor.submit`),
      or called inside a `lambda` given to one;
    - a coroutine given to one (`asyncio.to_thread(fetch())`);
    - an `async def` registered as a task with a framework that calls its
      tasks as plain functions and never awaits them: Celery's `@app.task`
      and `@shared_task`.

    A coroutine used as a truth value (`if fetch():`) is AL201's finding.

    ## Why is this bad?
    Since Python 3.11 `asyncio.wait` raises `TypeError` for a coroutine
    (before, it wrapped each in a task you could not get back to compare
    with the `done` set). A worker thread calls what it is given as a
    plain function: an `async def` only creates a coroutine there, which
    the thread hands back unawaited, so the work never runs and the caller
    gets a coroutine object instead of a result; a coroutine object is not
    callable at all (`TypeError`).

    ## Example
    ```python
    import asyncio

    async def fetch(url):
        ...

    async def first_done(urls):
        done, pending = await asyncio.wait([fetch(url) for url in urls], return_when=asyncio.FIRST_COMPLETED)
        return done

    async def in_a_thread(url):
        return await asyncio.to_thread(fetch, url)
    ```

    ## Use instead
    ```python
    import asyncio

    async def fetch(url):
        ...

    async def first_done(urls):
        tasks = [asyncio.create_task(fetch(url)) for url in urls]
        done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        return done

    async def in_a_thread(url):
        return await fetch(url)
    ```

    ## Fix safety
    No fix.
    """

    code = "AL209"
    name = "coroutine-where-value-needed"
    summary = "coroutine or `async def` given to an API that cannot run it"
    triggers = (rb"\basync\b",)
    calls = CallPattern(frozenset(TASKS_ONLY) | frozenset(THREAD_RUNNERS), where=lambda call: call.in_function)

    first_look_nodes = (ast.Call,)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # a thread runner or `asyncio.wait` given what may be a coroutine or an `async def`
        if super().screen(look, lookups) and any(
            _may_be_given_a_coroutine(look, lookups, scope, node) for node, scope, _ in look.nodes_of(ast.Call)
        ):
            return True
        return look.may_register_async_tasks()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        """`@app.task async def job()`: the framework calls `job` as a plain function, never awaiting it."""
        if node.asynchronous is None:
            return
        for decorator in node.decorators:
            framework = self._never_awaiting(decorator.decorator)
            if framework is not None:
                name = node.name.value
                self.report(
                    decorator,
                    f"`@{self.ctx.code_for(decorator.decorator)}` registers `async def {name}` with "
                    f"{framework.name}, which calls a task as a plain function and never awaits it: each run "
                    f"only creates a coroutine and the work never happens; make `{name}` a plain `def` "
                    "(and run async code inside it with `asyncio.run(...)`)",
                )
                return

    def _never_awaiting(self, expr: cst.BaseExpression):
        """The framework whose task decorator `expr` is (`app.task`, `app.task(bind=True)`, `shared_task`)."""
        target = expr.func if isinstance(expr, cst.Call) else expr
        qualname = self.ctx.resolve(target)
        for framework in FRAMEWORKS:
            if qualname in framework.task_functions:
                return framework
        if isinstance(target, cst.Attribute):
            framework = framework_of_app(self.ctx.value_type(target.value) or "")
            if framework is not None and target.attr.value in framework.task_decorators:
                return framework
        return None

    def on_call(self, node: cst.Call, call: CallSite, callee: str) -> None:
        shown = self.ctx.code_for(node.func)
        if callee in TASKS_ONLY:
            self._tasks_only(node, shown, _argument(node, TASKS_ONLY[callee]))
            return
        given = _argument(node, THREAD_RUNNERS[callee])
        if given is None:
            return
        if isinstance(given, cst.Call):
            origin = self._coroutine(given)
            if origin is not None:
                self.report(
                    given,
                    f"{_described(origin, '()')} is given to `{shown}`, which calls what it is given: "
                    f"a coroutine is not callable (TypeError); `await {self.ctx.code_for(given)}` instead",
                    related=origin.definition,
                )
            return
        called = given.body if isinstance(given, cst.Lambda) and isinstance(given.body, cst.Call) else None
        origin = coroutine_origin(self.ctx, called) if called is not None else coroutine_function(self.ctx, given)
        if origin is not None:
            self.report(
                given,
                f"{_described(origin, '')} is run by `{shown}` in a worker thread, where calling it only "
                "creates a coroutine that is never awaited: the work never runs and the result is a coroutine "
                "object; `await` it on the loop instead",
                related=origin.definition,
            )

    def _coroutine(self, call: cst.Call) -> Origin | None:
        """Where the callee is defined, if the call gives a coroutine (not a future)."""
        return coroutine_origin(self.ctx, call) if self.ctx.callee(call) not in FUTURE_FUNCTIONS else None

    def _tasks_only(self, node: cst.Call, shown: str, given: cst.BaseExpression | None) -> None:
        if isinstance(given, (cst.List, cst.Set, cst.Tuple)):
            values = [element.value for element in given.elements if not isinstance(element, cst.StarredElement)]
        elif isinstance(given, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            values = [given.elt]
        else:
            return
        for value in values:
            origin = self._coroutine(value) if isinstance(value, cst.Call) else None
            if origin is not None:
                self.report(
                    value,
                    f"{_described(origin, '()')} is given to `{shown}`, which takes tasks: a coroutine raises "
                    f"TypeError since Python 3.11; wrap it: `asyncio.create_task({self.ctx.code_for(value)})`",
                    related=origin.definition,
                )
                return


def _may_be_given_a_coroutine(look, lookups, scope: str, node: ast.Call) -> bool:
    """The first look's side of `on_call`: whether this call (of a thread runner or
    `asyncio.wait`) may be given a coroutine, or a function giving one."""
    called = from_ast(node)
    if called is None:  # a callee of a shape the model cannot follow (`handlers[0](...)`)
        return False
    callees = known(look.resolver.callee(scope, called))
    for callee in callees & _TAKERS.keys():
        position = _TAKERS[callee]  # (counted as `_argument` counts: a starred argument takes a place)
        given = node.args[position] if len(node.args) > position and not isinstance(node.args[position], ast.Starred) else None
        if callee in TASKS_ONLY:
            if isinstance(given, (ast.List, ast.Set, ast.Tuple)):
                values = given.elts
            elif isinstance(given, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
                values = [given.elt]
            else:
                values = []
        elif isinstance(given, ast.Lambda):
            values = [given.body]
        else:
            values = [given] if given is not None else []
        for value in values:
            if isinstance(value, ast.Call):
                if look.may_give_coroutine(scope, from_ast(value.func), lookups):
                    return True
            elif callee in THREAD_RUNNERS and look.may_give_coroutine(scope, from_ast(value), lookups, called=False):
                return True
    return False


_TAKERS = {**TASKS_ONLY, **THREAD_RUNNERS}  # callee -> the position of what it is given


def _described(origin: Origin, called: str) -> str:
    what = "a coroutine" if called else "an async function"
    return f"`{origin.name}{called}` ({what}: {origin.where})"
