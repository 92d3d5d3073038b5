"""Shared by the client rules: the defs around the current node, and whether
a client is built on a pool built elsewhere."""

from __future__ import annotations

from asynclint.knowledge.web import SHARED_POOL_KEYWORDS
from asynclint.lazy import cst


def enclosing_functions(ctx) -> list[cst.FunctionDef]:
    """The defs the current node is inside, innermost first (lambdas and classes skipped)."""
    return [f.node for f in reversed(ctx.frames) if isinstance(f.node, cst.FunctionDef)]


def shares_a_pool(node: cst.Call) -> bool:
    """`httpx.AsyncClient(transport=shared)`: the connections live in a pool built elsewhere."""
    return any(
        arg.keyword is not None
        and arg.keyword.value in SHARED_POOL_KEYWORDS
        and isinstance(arg.value, (cst.Name, cst.Attribute))
        for arg in node.args
    )
