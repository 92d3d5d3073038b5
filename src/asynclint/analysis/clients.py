"""Shared by the client lifecycle rules: recognising a client construction."""

from __future__ import annotations

from asynclint.knowledge.web import CLIENT_CLASSES
from asynclint.lazy import cst


def client_class(ctx, call: cst.Call) -> str | None:
    """`httpx.AsyncClient` etc. when `call` builds an HTTP client, else None."""
    name = ctx.callee(call)
    return name if name in CLIENT_CLASSES else None


def enclosing_functions(ctx) -> list[cst.FunctionDef]:
    """The defs the current node is inside, innermost first (lambdas and classes skipped)."""
    return [f.node for f in reversed(ctx.frames) if isinstance(f.node, cst.FunctionDef)]
