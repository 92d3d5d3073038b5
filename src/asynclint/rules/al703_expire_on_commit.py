"""AL703 (opt-in): async session factories that expire objects on commit."""

from __future__ import annotations

from asynclint.diagnostics import Applicability, Default, FixClass
from asynclint.knowledge.sqlalchemy import (
    ASYNC_SESSION,
    ASYNC_SESSIONMAKER,
    SESSIONMAKER,
)
from asynclint.lazy import cst
from asynclint.rule import CallPattern, NodeFix, Rule


class ExpireOnCommit(Rule):
    """
    ## What it does
    Flags an async session factory, `async_sessionmaker(...)` or
    `sessionmaker(..., class_=AsyncSession)`, without
    `expire_on_commit=False`. Opt-in: enable it with
    `extend-select = ["AL703"]`.

    ## Why is this bad?
    By default a commit expires every loaded object. Reading an attribute
    afterwards (returning the object from an endpoint, say) triggers a lazy
    load, which async sessions cannot do implicitly: it raises
    `MissingGreenlet`. SQLAlchemy's asyncio docs recommend
    `expire_on_commit=False`.

    ## Example
    ```python
    from sqlalchemy.ext.asyncio import async_sessionmaker

    SessionLocal = async_sessionmaker(engine)
    ```

    ## Use instead
    ```python
    from sqlalchemy.ext.asyncio import async_sessionmaker

    SessionLocal = async_sessionmaker(engine, expire_on_commit=False)
    ```

    ## Fix safety
    Unsafe: objects keep their loaded state after commit, so code that
    relied on reloading fresh values after a commit sees the old ones.
    """

    code = "AL703"
    name = "expire-on-commit"
    summary = "async session factory without `expire_on_commit=False`"
    default = Default.OPT_IN
    fix_class = FixClass.UNSAFE
    triggers = (rb"sessionmaker",)
    calls = CallPattern(frozenset({SESSIONMAKER, ASYNC_SESSIONMAKER}))

    def on_call(self, node: cst.Call, call, callee: str) -> None:
        keywords = {a.keyword.value: a for a in node.args if a.keyword is not None}
        is_async_factory = callee == ASYNC_SESSIONMAKER or (
            callee == SESSIONMAKER and "class_" in keywords and self.ctx.resolve(keywords["class_"].value) == ASYNC_SESSION
        )
        if not is_async_factory or "expire_on_commit" in keywords or any(a.star == "**" for a in node.args):
            return
        args = list(node.args)
        keyword = cst.Arg(
            keyword=cst.Name("expire_on_commit"),
            value=cst.Name("False"),
            equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
        )
        if args and isinstance(args[-1].comma, cst.Comma):
            # A trailing comma (often before a newline): the new keyword takes it over.
            between = args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else cst.Comma(
                whitespace_after=cst.SimpleWhitespace(" ")
            )
            keyword = keyword.with_changes(comma=args[-1].comma)
            args[-1] = args[-1].with_changes(comma=between)
        elif args:
            args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        args.append(keyword)
        fix = NodeFix(Applicability.UNSAFE, "Add `expire_on_commit=False`", ((node, node.with_changes(args=args)),))
        self.report(
            node,
            "async session factory without `expire_on_commit=False`: attributes read after a commit "
            "raise `MissingGreenlet`",
            fix,
        )
