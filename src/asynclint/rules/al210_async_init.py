"""AL210: `async def __init__`."""

from __future__ import annotations

from asynclint.lazy import cst
from asynclint.rule import Rule


class AsyncInit(Rule):
    """
    ## What it does
    Flags `async def __init__` in a class body.

    ## Why is this bad?
    Python calls `__init__` as a plain function and expects `None` back:
    an `async def __init__` returns a coroutine, so every `Service(...)`
    raises `TypeError: __init__() should return None, not 'coroutine'`,
    and the set-up inside it never runs.

    ## Example
    ```python
    class Service:
        async def __init__(self, pool):
            self.conn = await pool.acquire()
    ```

    ## Use instead
    ```python
    class Service:
        def __init__(self, conn):
            self.conn = conn

        @classmethod
        async def create(cls, pool):
            return cls(await pool.acquire())
    ```
    (or do the set-up in `async def __aenter__`, for `async with Service(pool)`).

    ## Fix safety
    No fix.
    """

    code = "AL210"
    name = "async-init"
    summary = "`async def __init__`"
    triggers = (rb"async\s+def\s+__init__\b",)

    @classmethod
    def screen(cls, look, lookups) -> bool:
        scopes = look.model.scopes
        return any(
            function.is_async and name == "__init__" and scopes[outer].kind == "class"
            for key, function in look.model.functions.items()
            for outer, _, name in [key.rpartition(".")]
            if outer in scopes
        )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        frame = self.ctx.frames[-1]
        if node.asynchronous is not None and node.name.value == "__init__" and frame.kind == "class":
            name = frame.node.name.value
            self.report(
                node.name,
                f"`async def __init__` returns a coroutine, so `{name}(...)` raises TypeError and the "
                "set-up never runs; keep `__init__` sync and await the set-up in an async classmethod "
                f"(`await {name}.create(...)`) or in `__aenter__`",
            )
