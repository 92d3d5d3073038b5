"""Shared by the client rules: the defs around the current node, and whether
a client is built on a pool built elsewhere."""

from __future__ import annotations

from asynclint.knowledge.web import SHARED_POOL_KEYWORDS
from asynclint.lazy import cst


def enclosing_functions(ctx) -> list[cst.FunctionDef]:
    """The defs the current node is inside, innermost first (lambdas and classes skipped)."""
    return [f.node for f in reversed(ctx.frames) if isinstance(f.node, cst.FunctionDef)]


def shares_a_pool(ctx, node: cst.Call) -> bool:
    """`httpx.AsyncClient(transport=shared)`: the connections live in a pool
    built elsewhere, not in one the function builds for this client
    (`transport = AsyncHTTPTransport(); AsyncClient(transport=transport)`)."""
    for arg in node.args:
        if arg.keyword is None or arg.keyword.value not in SHARED_POOL_KEYWORDS:
            continue
        if isinstance(arg.value, cst.Attribute) or (isinstance(arg.value, cst.Name) and not _built_here(ctx, arg.value.value)):
            return True
    return False


def _built_here(ctx, name: str) -> bool:
    """Whether a name is local to the function being walked, and bound only to
    new objects: calls of a class (`AsyncHTTPTransport(...)`). A function's
    result (`get_transport()`) may be a pool shared by every caller."""
    scope = ctx.model.scopes.get(ctx.scope) if ctx.scope else None
    bound = scope.bindings.get(name) if scope is not None and scope.kind == "function" else None
    return bool(bound) and all(b[0] == "value" and _constructs(b[1]) for b in bound)


def _constructs(expr) -> bool:
    """A call of what is spelled as a class: its last name is capitalised."""
    if expr is None or expr[0] != "call" or expr[1] is None:
        return False
    func = expr[1]
    last = func[1] if func[0] == "name" else func[2] if func[0] == "attr" else ""
    return last[:1].isupper()
