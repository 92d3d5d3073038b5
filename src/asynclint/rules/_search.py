"""A bounded look inside one node, for the few rules that must see a whole
body at once (does this function yield? does this block await?)."""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

_SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def contains(node: cst.CSTNode, predicate: Callable[[cst.CSTNode], bool], into_scopes: bool = False) -> bool:
    """Whether any node under `node` satisfies `predicate`; nested functions,
    lambdas and classes run elsewhere, so they are skipped unless `into_scopes`."""
    found = False

    class Search(cst.CSTVisitor):
        def on_visit(self, child: cst.CSTNode) -> bool:
            nonlocal found
            if found:
                return False
            if predicate(child):
                found = True
                return False
            return into_scopes or child is node or not isinstance(child, _SCOPES)

    node.visit(Search())
    return found


def is_checkpoint(node: cst.CSTNode) -> bool:
    """`await`, `async for`, `async with`: where a coroutine can be suspended or cancelled."""
    if isinstance(node, cst.Await):
        return True
    return isinstance(node, (cst.For, cst.With, cst.CompFor)) and node.asynchronous is not None
