"""AL701: `sessionmaker(class_=AsyncSession)` instead of `async_sessionmaker`."""

from __future__ import annotations

from asynclint.diagnostics import Applicability, FixClass
from asynclint.knowledge.sqlalchemy import ASYNC_SESSION, SESSIONMAKER
from asynclint.lazy import cst
from asynclint.rule import CallPattern, NodeFix, Rule


class AsyncSessionmaker(Rule):
    """
    ## What it does
    Flags `sessionmaker(..., class_=AsyncSession)`.

    ## Why is this bad?
    `sessionmaker` is typed for sync sessions: type checkers then see
    `Session` where the code has an `AsyncSession`, and miss every forgotten
    `await` on `execute`/`commit`. SQLAlchemy 2.0's `async_sessionmaker` is the
    documented factory for async sessions and types them correctly.

    ## Example
    ```python
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
    from sqlalchemy.orm import sessionmaker

    engine = create_async_engine("postgresql+asyncpg://localhost/app")
    SessionLocal = sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)
    ```

    ## Use instead
    ```python
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    engine = create_async_engine("postgresql+asyncpg://localhost/app")
    SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
    ```

    ## Fix safety
    Safe: `async_sessionmaker(...)` builds the same `AsyncSession` objects;
    the fix renames the call, drops `class_=` and imports
    `async_sessionmaker` (an unused `sessionmaker` import is left for your
    import linter).
    """

    code = "AL701"
    name = "async-sessionmaker"
    summary = "`sessionmaker(class_=AsyncSession)`"
    fix_class = FixClass.SAFE
    triggers = (rb"sessionmaker",)
    calls = CallPattern(frozenset({SESSIONMAKER}))

    def on_call(self, node: cst.Call, call, callee: str) -> None:
        class_arg = next((a for a in node.args if a.keyword is not None and a.keyword.value == "class_"), None)
        if class_arg is None or self.ctx.resolve(class_arg.value) != ASYNC_SESSION:
            return
        args = [a for a in node.args if a is not class_arg]
        if args and class_arg is node.args[-1]:
            args[-1] = args[-1].with_changes(comma=class_arg.comma)  # keep the call's trailing layout
        fixed = node.with_changes(func=cst.Name("async_sessionmaker"), args=args)
        fix = NodeFix(
            Applicability.SAFE,
            "Use `async_sessionmaker`",
            ((node, fixed),),
            (("sqlalchemy.ext.asyncio", "async_sessionmaker"),),
        )
        self.report(node, "`sessionmaker(class_=AsyncSession)`: use `async_sessionmaker(...)`, which types async sessions correctly", fix)
