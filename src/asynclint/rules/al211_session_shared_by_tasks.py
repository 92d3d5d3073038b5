"""AL211 (preview): one async database session or connection used by tasks that run at once."""

from __future__ import annotations

import ast
from functools import cache

from asynclint.diagnostics import Default
from asynclint.knowledge.connections import ONE_OPERATION_AT_A_TIME
from asynclint.knowledge.coroutines import (
    CONCURRENT_RUNNERS,
    COROUTINE_WRAPPERS,
    FUNCTION_TASK_STARTERS,
    TASK_STARTERS,
)
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
from asynclint.model.facts import CallSite
from asynclint.model.resolve import known
from asynclint.rule import CallPattern, Rule

_ADVICE = "give each task a session (or connection) of its own, or await the operations one after the other"


@cache
def _comprehensions() -> tuple[type, ...]:
    return (cst.ListComp, cst.SetComp, cst.GeneratorExp)


def _positional(node: cst.Call) -> list[cst.Arg]:
    return [arg for arg in node.args if arg.keyword is None]


def _comprehension_targets(comprehension: cst.CSTNode) -> set[str]:
    """The names a comprehension's `for`s bind: each element has its own."""
    names: set[str] = set()
    for_in = comprehension.for_in
    while for_in is not None:
        pending = [for_in.target]
        while pending:
            target = pending.pop()
            if isinstance(target, cst.Name):
                names.add(target.value)
            elif isinstance(target, (cst.Tuple, cst.List)):
                pending.extend(element.value for element in target.elements)
        for_in = for_in.inner_for_in
    return names


class SessionSharedByTasks(Rule):
    """
    ## What it does
    Flags one SQLAlchemy `AsyncSession` or `AsyncConnection`, or one
    asyncpg connection, used by coroutines that run at once:

    - two of the awaitables given to `asyncio.gather` use the same one
      (`asyncio.gather(session.execute(a), session.execute(b))`), or a
      comprehension gathered with `*` uses it in every element
      (`asyncio.gather(*[load(session, i) for i in ids])`, also through a
      name bound to the comprehension, or a list filled in a loop);
    - tasks started with `asyncio.create_task`, `TaskGroup.create_task`,
      anyio's or trio's `start_soon` use it, twice in one function or in
      a loop.

    A coroutine uses the object when it is a method call on it or a call
    (of a project `async def`, say) that receives it as an argument. The
    type comes from annotations, `Depends(...)` providers, session
    factories and `async with engine.begin() as conn` / `pool.acquire()`;
    an asyncpg pool, which hands each query its own connection, is fine.

    ## Why is this bad?
    A session or connection holds one database connection and the state of
    the one operation in flight on it. Run from several tasks, the
    operations interleave: SQLAlchemy raises `InvalidRequestError`
    ("This session is provisioning a new connection; concurrent operations
    are not permitted"), asyncpg raises `InterfaceError` ("another operation
    is in progress"), or, worse, a flush sees another task's half-done
    changes. The failure depends on timing, so it shows up under load.

    ## Example
    ```python
    import asyncio

    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import AsyncSession

    async def dashboard(session: AsyncSession, user_id: int):
        return await asyncio.gather(
            session.execute(select(User).where(User.id == user_id)),
            session.execute(select(Order).where(Order.user_id == user_id)),
        )
    ```

    ## Use instead
    ```python
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import AsyncSession

    async def dashboard(session: AsyncSession, user_id: int):
        user = await session.execute(select(User).where(User.id == user_id))
        orders = await session.execute(select(Order).where(Order.user_id == user_id))
        return user, orders
    ```

    ## Fix safety
    No fix.
    """

    code = "AL211"
    name = "session-shared-by-tasks"
    summary = "one async database session or connection used by concurrent tasks"
    default = Default.PREVIEW
    triggers = (rb"gather|create_task|ensure_future|start_soon",)
    calls = CallPattern(
        CONCURRENT_RUNNERS | frozenset(TASK_STARTERS) | FUNCTION_TASK_STARTERS, where=lambda call: call.in_function
    )
    first_look_nodes = (ast.FunctionDef, ast.AsyncFunctionDef)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        # a function that runs coroutines at once and gives a call (or calls a method of)
        # what may be a one-operation object: where the coroutines that use one are made
        if not super().screen(look, lookups):
            return False
        runners = lookups.callees(cls.calls)
        for call in look.calls:
            if call.in_function and any(map(runners, look.targets(call))):
                function = look.innermost_def(call.line)
                if function is None or _may_use_one_operation_object(look, call.scope, function):
                    return True
        return False

    def __init__(self, ctx) -> None:
        super().__init__(ctx)
        # (function, name) -> a comprehension bound to the name, or an element appended to it in a loop
        self.collected: dict[tuple[int, str], cst.CSTNode] = {}
        # (function, session) -> the first task started with it
        self.started: dict[tuple[int, str], cst.CSTNode] = {}
        self.reported: set[int] = set()  # the tasks started in a loop reported already (not again at their gather)

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        if isinstance(target, cst.Name) and isinstance(node.value, _comprehensions()):
            self.collected[(id(self.ctx.frames[-1].node), target.value)] = node.value

    def on_call(self, node: cst.Call, call: CallSite, callee: str) -> None:
        if callee in CONCURRENT_RUNNERS:
            self._gathered(node)
        elif not call.awaited:
            self._started(node, call, callee)

    def visit_Call(self, node: cst.Call) -> None:
        """`tasks.append(load(session, i))` in a loop: remembered for a later `gather(*tasks)`."""
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "append" and isinstance(func.value, cst.Name)):
            return
        call = self.ctx.call_site(node)
        if call is None or not (call.in_for or call.in_while) or len(node.args) != 1:
            return
        self.collected.setdefault((id(self.ctx.frames[-1].node), func.value.value), node)

    # ------------------------------------------------------------ gather
    def _gathered(self, node: cst.Call) -> None:
        shown = self.ctx.code_for(node.func)
        seen: dict[str, cst.CSTNode] = {}
        for arg in _positional(node):
            if arg.star == "**":
                continue
            value = arg.value
            if arg.star == "*":
                many = self._many(value)
                if many is not None:
                    element, bound = many
                    if id(element) in self.reported:
                        continue
                    for session, what in self._sessions(element).items():
                        if _root_name_of(session) not in bound:
                            collection = f"`{value.value}`" if isinstance(value, cst.Name) else "the collection"
                            self.report(
                                value,
                                f"`{session}` ({what}) is used by every coroutine of {collection}, which "
                                f"`{shown}` runs at once; {_ADVICE}",
                            )
                            return
                continue
            for session, what in self._sessions(value).items():
                if session in seen:
                    self.report(
                        value,
                        f"`{session}` ({what}) is used by this coroutine and the one at line {{related_line}}, "
                        f"which `{shown}` runs at once; {_ADVICE}",
                        related=seen[session],
                    )
                    return
                seen[session] = value

    def _many(self, value: cst.BaseExpression) -> tuple[cst.BaseExpression, set[str]] | None:
        """What each element of a starred collection is, and the names bound per element."""
        if isinstance(value, cst.Name):
            value = self.collected.get((id(self.ctx.frames[-1].node), value.value))
            if isinstance(value, cst.Call):  # `tasks.append(<element>)` in a loop
                return value.args[0].value, set()
        if isinstance(value, _comprehensions()):
            return value.elt, _comprehension_targets(value)
        return None

    # ------------------------------------------------------------ tasks
    def _started(self, node: cst.Call, call: CallSite, callee: str) -> None:
        if callee in FUNCTION_TASK_STARTERS:
            given = _positional(node)
            sessions = self._arguments(given[1:]) if given else {}
            if given and isinstance(given[0].value, cst.Attribute):
                sessions.update(self._receiver(given[0].value))
        else:
            given = _positional(node)
            position = TASK_STARTERS[callee]
            sessions = self._sessions(given[position].value) if len(given) > position else {}
        frame = id(self.ctx.frames[-1].node)
        for session, what in sessions.items():
            if call.in_for or call.in_while or self._in_comprehension(node):
                self.reported.add(id(node))
                self.report(
                    node,
                    f"`{session}` ({what}) is used by a task started in a loop, so by several tasks at once; {_ADVICE}",
                )
                return
            first = self.started.setdefault((frame, session), node)
            if first is not node:
                self.report(
                    node,
                    f"`{session}` ({what}) is used by this task and the one started at line {{related_line}}, "
                    f"which run at once; {_ADVICE}",
                    related=first,
                )
                return

    def _in_comprehension(self, node: cst.Call) -> bool:
        function = self.ctx.frames[-1].node
        for parent in reversed(self.ctx.node_stack):
            if parent is function:
                return False
            if isinstance(parent, _comprehensions()) and parent is not node:
                return True
        return False

    # ------------------------------------------------------------ what a coroutine uses
    def _sessions(self, expr: cst.BaseExpression) -> dict[str, str]:
        """The one-operation objects a coroutine expression uses (their code
        -> what they are): a method call on one, or a call given one."""
        if not isinstance(expr, cst.Call):
            return {}
        callee = self.ctx.callee(expr)
        if callee in COROUTINE_WRAPPERS:
            given = _positional(expr)
            position = COROUTINE_WRAPPERS[callee]
            return self._sessions(given[position].value) if len(given) > position else {}
        found = self._arguments(expr.args)
        if isinstance(expr.func, cst.Attribute):
            found.update(self._receiver(expr.func))
        return found

    def _receiver(self, method: cst.Attribute) -> dict[str, str]:
        what = ONE_OPERATION_AT_A_TIME.get(self.ctx.value_type(method.value))
        return {self.ctx.code_for(method.value): what} if what is not None else {}

    def _arguments(self, args) -> dict[str, str]:
        found = {}
        for arg in args:
            if arg.star:
                continue
            what = ONE_OPERATION_AT_A_TIME.get(self.ctx.value_type(arg.value))
            if what is not None:
                found[self.ctx.code_for(arg.value)] = what
        return found


def _may_use_one_operation_object(look, scope: str, function: ast.AST) -> bool:
    """Whether a call in the function is given, or is a method of, what may be a one-operation object."""
    for node in ast.walk(function):
        if type(node) is not ast.Call:
            continue
        used = [arg for arg in node.args if type(arg) is not ast.Starred] + [k.value for k in node.keywords if k.arg]
        used += [value.value for value in (node.func, *used) if type(value) is ast.Attribute]
        for expr in used:
            if not known(look.resolver.value_type(scope, from_ast(expr))).isdisjoint(ONE_OPERATION_AT_A_TIME):
                return True
    return False


def _root_name_of(code: str) -> str:
    return code.split(".")[0].split("[")[0]
