"""A bounded look inside one node, for the few rules that must see a whole
body at once (does this function yield? does this block await?)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from asynclint.lazy import cst


@cache
def _scopes() -> frozenset[type]:
    # Exact types (libcst's node classes are final): cheaper than isinstance().
    return frozenset({cst.FunctionDef, cst.Lambda, cst.ClassDef})


class _Search:
    """A walker client (see `rule.walk`) that stops at the first match."""

    def __init__(self, root: cst.CSTNode, predicate, into_scopes: bool) -> None:
        self.root = root
        self.predicate = predicate
        self.into_scopes = into_scopes
        self.scopes = _scopes()
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.found:
            return False
        if self.predicate(node):
            self.found = True
            return False
        return self.into_scopes or node is self.root or type(node) not in self.scopes

    def on_leave(self, node: cst.CSTNode) -> None:
        pass


def contains(node: cst.CSTNode, predicate: Callable[[cst.CSTNode], bool], into_scopes: bool = False) -> bool:
    """Whether any node under `node` satisfies `predicate`; nested functions,
    lambdas and classes run elsewhere, so they are skipped unless `into_scopes`."""
    from asynclint.rule import walk

    search = _Search(node, predicate, into_scopes)
    walk(node, search)
    return search.found


def is_checkpoint(node: cst.CSTNode) -> bool:
    """`await`, `async for`, `async with`: where a coroutine can be suspended or cancelled."""
    node_type = type(node)
    if node_type is cst.Await:
        return True
    return node_type in _async_statements() and node.asynchronous is not None


@cache
def _async_statements() -> frozenset[type]:
    return frozenset({cst.For, cst.With, cst.CompFor})
