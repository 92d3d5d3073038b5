"""AL204: `BackgroundTasks.add_task(f(x))` calls the function instead of passing it."""

from __future__ import annotations

from asynclint.analysis.coroutines import coroutine_origin
from asynclint.analysis.search import contains
from asynclint.diagnostics import Applicability, FixClass
from asynclint.lazy import cst
from asynclint.rule import CallPattern, NodeFix, Rule

BACKGROUND_TASKS = "fastapi.BackgroundTasks"


def _is_side_effect_free(expr: cst.BaseExpression) -> bool:
    """Names, attribute chains and literals: evaluating them later is the same."""
    if isinstance(expr, (cst.Name, cst.Integer, cst.Float, cst.SimpleString, cst.Ellipsis)):
        return True
    if isinstance(expr, cst.Attribute):
        return _is_side_effect_free(expr.value)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        return _is_side_effect_free(expr.expression)
    return False


def _defines_a_callable(function: cst.FunctionDef) -> bool:
    """Whether a function's body holds an inner def or lambda (a factory)."""
    return contains(function.body, lambda node: type(node) is cst.FunctionDef or type(node) is cst.Lambda)


class BackgroundTaskCalled(Rule):
    """
    ## What it does
    Flags `background_tasks.add_task(f(x))` on FastAPI/Starlette
    `BackgroundTasks`: the first argument is a call, so the function runs (or,
    for an `async def`, creates a coroutine) now instead of being scheduled.
    Only calls known to run the task are flagged: an `async def`, or a plain
    function of this file that builds no inner function; `add_task(partial(f,
    x))` or `add_task(Job(x))` pass a callable and are fine.

    ## Why is this bad?
    `add_task` takes the function and its arguments. With `f(x)` a sync
    function runs during the request, delaying the response, and an async one
    never runs at all; after the response Starlette then fails with
    `TypeError: the first argument must be callable`.

    ## Example
    ```python
    from fastapi import BackgroundTasks

    async def send_welcome_email(user_id: int): ...

    async def create_user(user_id: int, background_tasks: BackgroundTasks):
        background_tasks.add_task(send_welcome_email(user_id))
    ```

    ## Use instead
    ```python
    from fastapi import BackgroundTasks

    async def send_welcome_email(user_id: int): ...

    async def create_user(user_id: int, background_tasks: BackgroundTasks):
        background_tasks.add_task(send_welcome_email, user_id)
    ```

    ## Fix safety
    Safe when the arguments are names, attributes or literals: the rewrite to
    `add_task(f, x)` evaluates them at the same point, and runs `f` after the
    response, which is what `add_task` is for. Not offered when an argument
    is itself a call or another expression whose evaluation could be
    reordered.
    """

    code = "AL204"
    name = "background-task-called"
    summary = "`add_task(f(x))` calls the task instead of passing it"
    fix_class = FixClass.SAFE
    triggers = (rb"add_task",)
    calls = CallPattern(frozenset({f"{BACKGROUND_TASKS}.add_task"}))

    def on_call(self, node: cst.Call, call, callee: str) -> None:
        if not node.args:
            return
        first = node.args[0]
        if first.keyword is not None or first.star or not isinstance(first.value, cst.Call):
            return
        inner = first.value
        if not self._surely_not_a_callable_factory(inner):
            return
        self.report(
            inner,
            f"`add_task` receives the result of `{self.ctx.code_for(inner.func)}(...)`: pass the function and "
            f"its arguments, `add_task({self.ctx.code_for(inner.func)}, ...)`",
            self._fix(node, inner),
        )

    def _surely_not_a_callable_factory(self, call: cst.Call) -> bool:
        """Whether `call` runs the task itself rather than building the callable
        to schedule (`partial(f, x)`, `Job(x)`, a factory returning a function):
        a coroutine function, or a plain function of this file that defines no
        inner function or lambda."""
        if coroutine_origin(self.ctx, call) is not None:
            return True
        function = None
        if isinstance(call.func, cst.Name):
            binding = self.ctx.lookup(call.func.value)
            function = binding.node if binding is not None and binding.kind == "function" else None
        else:
            qualname = self.ctx.callee(call)
            function = self.ctx.local_function(qualname) if qualname else None
        return (
            isinstance(function, cst.FunctionDef)
            and not function.decorators
            and not _defines_a_callable(function)
        )

    @staticmethod
    def _fix(outer: cst.Call, inner: cst.Call) -> NodeFix | None:
        if len(outer.args) != 1 or not isinstance(inner.func, (cst.Name, cst.Attribute)):
            return None
        if not _is_side_effect_free(inner.func) or not all(_is_side_effect_free(a.value) for a in inner.args):
            return None
        function_arg = cst.Arg(value=inner.func, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args = [function_arg, *inner.args] if inner.args else [cst.Arg(value=inner.func)]
        if inner.args:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return NodeFix(Applicability.SAFE, "Pass the function and its arguments", ((outer, outer.with_changes(args=args)),))
