"""AL702: `create_async_engine` with a driver that cannot run async."""

from __future__ import annotations

from asynclint.diagnostics import Applicability, FixClass
from asynclint.knowledge.sqlalchemy import CREATE_ASYNC_ENGINE, SYNC_ONLY_DRIVERS
from asynclint.lazy import cst
from asynclint.rule import CallPattern, NodeFix, Rule


def literal_scheme(expr: cst.BaseExpression) -> tuple[str, cst.SimpleString | None] | None:
    """The `dialect+driver` part of a URL literal (plain, f-string or
    concatenated), and the plain string node when a fix can rewrite it."""
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        if isinstance(value, str) and "://" in value:
            return value.split("://", 1)[0].lower(), expr
    elif isinstance(expr, cst.FormattedString) and expr.parts and isinstance(expr.parts[0], cst.FormattedStringText):
        head = expr.parts[0].value
        if "://" in head:
            return head.split("://", 1)[0].lower(), None
    elif isinstance(expr, cst.ConcatenatedString):
        found = literal_scheme(expr.left)
        return (found[0], None) if found else None
    return None


class SyncDriverInAsyncEngine(Rule):
    """
    ## What it does
    Flags `create_async_engine(...)` with a literal URL whose driver cannot
    run under asyncio: `postgresql+psycopg2://`, `postgresql+pg8000://`,
    `mysql://`, `mysql+pymysql://`, `mysql+mysqldb://`, `sqlite://`,
    `mssql+pyodbc://`, .... A bare `postgresql://` is not flagged: since
    SQLAlchemy 2.1 it means psycopg 3, which has an async mode.

    ## Why is this bad?
    The engine fails when it is created: `InvalidRequestError: The asyncio
    extension requires an async driver to be used`. Usually the URL comes
    from a sync set-up that was copied over.

    ## Example
    ```python
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine("postgresql+psycopg2://app@localhost/app")
    ```

    ## Use instead
    ```python
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine("postgresql+asyncpg://app@localhost/app")
    ```

    ## Fix safety
    Unsafe: the async driver is a different package that must be installed,
    and it may accept different URL query options.
    """

    code = "AL702"
    name = "sync-driver-in-async-engine"
    summary = "sync-only driver in `create_async_engine`"
    fix_class = FixClass.UNSAFE
    triggers = (rb"create_async_engine",)
    calls = CallPattern(frozenset({CREATE_ASYNC_ENGINE}))

    def on_call(self, node: cst.Call, call, callee: str) -> None:
        url = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "url"), None)
        if url is None and node.args and node.args[0].keyword is None:
            url = node.args[0].value
        found = literal_scheme(url) if url is not None else None
        if found is None or found[0] not in SYNC_ONLY_DRIVERS:
            return
        scheme, literal = found
        replacement = SYNC_ONLY_DRIVERS[scheme]
        fix = None
        if literal is not None:
            prefix_end = literal.value.index("://")
            quote_start = len(literal.prefix) + len(literal.quote)
            new_value = literal.value[:quote_start] + replacement + literal.value[prefix_end:]
            fix = NodeFix(Applicability.UNSAFE, f"Use `{replacement}://`", ((literal, literal.with_changes(value=new_value)),))
        self.report(
            url,
            f"`{scheme}://` is a sync-only driver: `create_async_engine` fails at start-up; use `{replacement}://`",
            fix,
        )
