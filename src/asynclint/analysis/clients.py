"""Shared by the request-path rules: the defs around the current node."""

from __future__ import annotations

from asynclint.lazy import cst


def enclosing_functions(ctx) -> list[cst.FunctionDef]:
    """The defs the current node is inside, innermost first (lambdas and classes skipped)."""
    return [f.node for f in reversed(ctx.frames) if isinstance(f.node, cst.FunctionDef)]
