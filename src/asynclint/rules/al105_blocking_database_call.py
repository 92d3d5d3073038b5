"""AL105: synchronous database drivers and ORM sessions in async context."""

from __future__ import annotations

import ast

from asynclint.knowledge.libraries import BLOCKING_ITERATION
from asynclint.knowledge.libraries.django_orm import PREFETCH_ANSWERS, PREFETCHES
from asynclint.knowledge.types import RELATED_MANAGER
from asynclint.lazy import cst
from asynclint.model.expr import from_ast
from asynclint.model.resolve import known
from asynclint.rules._blocking import BlockingCallRule

# Builtins that iterate (or size, or test) the value they are given first.
_CONSUMERS = frozenset(
    {"list", "tuple", "set", "frozenset", "len", "bool", "sorted", "sum", "min", "max", "any", "all", "enumerate"}
)


class BlockingDatabaseCall(BlockingCallRule):
    """
    ## What it does
    Flags synchronous database work inside an `async def`: `sqlite3`,
    `psycopg2` and psycopg 3's sync `connect` and calls on their connections
    and cursors, `pymysql`, `pymongo.MongoClient`, the sync `redis.Redis`
    client, and I/O on a SQLAlchemy/SQLModel sync `Session` or `Engine`
    (`execute`, `scalars`, `get`, `commit`, `flush`, `refresh`,
    `query(...).all()`, `inspect(engine)`), including a `Session` received as
    a parameter (`session: Session = Depends(get_session)`). `add`,
    `add_all` and `expunge` do no I/O and are not flagged, nor is anything on
    an `AsyncSession`.

    Django's ORM too: a `QuerySet` evaluated from a model's manager
    (`User.objects.get(...)`, `.filter(...).count()`, `first`, `exists`,
    `create`, `update`, `delete`, `aggregate`, ...), iterated (`for u in qs`,
    `[... for u in qs]`, `list(qs)`, `len(qs)`, `bool(qs)`), a model's
    `save`, `delete` and `refresh_from_db`, and a project model's related
    managers (`user.orders.count()`, found from the `ForeignKey(User,
    related_name="orders")` of the project's models, in the model's module
    or one the file imports). Django raises `SynchronousOnlyOperation` there.
    Building a chain (`filter`, `exclude`, `order_by`, `select_related`) runs
    nothing and is not flagged; nor is `async for`, an awaited `aget`, or a
    related manager's `count()`, `exists()` or `all()` in a module that
    prefetches (`prefetch_related`), which its cache may answer.

    ## Why is this bad?
    Every query holds the event loop until the database answers; under load
    the whole service runs one query at a time.

    ## Example
    ```python
    from fastapi import Depends
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    async def list_users(session: Session = Depends(get_session)):
        return session.execute(select(User)).scalars().all()
    ```

    ## Use instead
    ```python
    from fastapi import Depends
    from sqlalchemy import select
    from sqlalchemy.ext.asyncio import AsyncSession

    async def list_users(session: AsyncSession = Depends(get_session)):
        result = await session.execute(select(User))
        return result.scalars().all()
    ```
    Or keep the sync session and make the endpoint a plain `def`: FastAPI
    then runs it in its threadpool.

    ## Fix safety
    No fix.
    """

    code = "AL105"
    name = "blocking-database-call"
    summary = "synchronous database call in async context"
    first_look_nodes = (ast.For, ast.comprehension, ast.Call)
    # The types whose plain iteration is this rule's (a Django `QuerySet`).
    iterated = frozenset(typ for typ, (code, _) in BLOCKING_ITERATION.items() if code == "AL105")

    @classmethod
    def screen(cls, look, lookups) -> bool:
        if super().screen(look, lookups):
            return True
        loops = [
            (scope, node.iter) for kind in (ast.For, ast.comprehension) for node, scope, in_async in look.nodes_of(kind)
            if in_async and not getattr(node, "is_async", 0)
        ]
        loops += [
            (scope, node.args[0]) for node, scope, in_async in look.nodes_of(ast.Call)
            if in_async and type(node.func) is ast.Name and node.func.id in _CONSUMERS and node.args
        ]
        return any(
            not known(look.resolver.value_type(scope, from_ast(value))).isdisjoint(cls.iterated) for scope, value in loops
        )

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is None:
            self._iterates(node.iter, node.iter)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if node.asynchronous is None:
            self._iterates(node.iter, node.iter)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            type(func) is cst.Name and func.value in _CONSUMERS and node.args and self.ctx.in_async
            and self.ctx.callee(node) == f"builtins.{func.value}"
        ):
            self._iterates(node, node.args[0].value)

    def _iterates(self, node: cst.BaseExpression, value: cst.BaseExpression) -> None:
        """`for x in qs`, `[... for x in qs]`, `list(qs)`: evaluating a queryset runs its query."""
        ctx = self.ctx
        if not ctx.in_async:
            return
        typ = ctx.value_type(value)
        if typ not in self.iterated or self._may_be_prefetched(value) or self._in_duck_typing_fallback():
            return
        shown = ctx.code_for(value)
        what = f"iterating `{shown}`" if node is value else f"`{ctx.code_for(node)}`"
        self.report(node, f"{what} runs the query of a `{typ}` and blocks the event loop; {ctx.advice(BLOCKING_ITERATION[typ][1])}")

    def _in_duck_typing_fallback(self) -> bool:
        """`except AttributeError: return len(qs)`: the fallback for a value
        that turned out not to be a queryset (a list), whatever its annotation says."""
        for node in reversed(self.ctx.node_stack):
            if type(node) is cst.ExceptHandler:
                return node.type is not None and "AttributeError" in self.ctx.code_for(node.type)
            if type(node) is cst.FunctionDef:
                return False
        return False

    def on_call(self, node: cst.Call, call, callee: str) -> None:
        if self._may_be_prefetched(node.func):
            return
        super().on_call(node, call, callee)

    def _may_be_prefetched(self, expr: cst.BaseExpression) -> bool:
        """A read of a Django related manager that a prefetched cache answers
        (`user.orders.count()`, iterating `user.orders.all()`) in a module
        that prefetches: it may make no query."""
        if type(expr) is cst.Call:
            expr = expr.func
        if type(expr) is not cst.Attribute or expr.attr.value not in PREFETCH_ANSWERS:
            return False
        if self.ctx.value_type(expr.value) != RELATED_MANAGER:
            return False
        return any(call.name in PREFETCHES for call in self.ctx.model.calls)
