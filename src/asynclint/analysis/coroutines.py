"""Shared by the coroutine rules: which calls return a coroutine, and what
the code does with a call's value (awaits it, passes it on, drops it...).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from asynclint.knowledge.coroutines import COROUTINE_FUNCTIONS, defined_as
from asynclint.lazy import cst


@dataclass(frozen=True)
class Origin:
    """Where a coroutine-returning callee comes from, for messages."""

    name: str  # how to call it in a message: `fetch_data`, `httpx.AsyncClient.get`
    where: str  # "async def at line {related_line}", "asyncio coroutine function"
    definition: cst.CSTNode | None = None  # the def, when it is in this file


_DEFS = ("async_function", "function")  # a name bound by a def (a `@sync_to_async` one may give a coroutine)


def returns_coroutine(ctx, function: cst.FunctionDef) -> bool:
    """An `async def` whose call gives a coroutine (not an async generator, not
    changed by an unknown decorator), or a def made a coroutine function by its
    decorator (`@sync_to_async`): the model's answer for this def."""
    found = ctx.function_model(function)
    return found is not None and ctx.resolver.returns_coroutine(found)


def coroutine_origin(ctx, call: cst.Call, other_modules: bool = True) -> Origin | None:
    """Where the callee is defined, if calling it returns a coroutine.
    `other_modules=False` skips the (possibly costly) look into other project modules."""
    return _origin(ctx, call.func, lambda: ctx.callee(call), other_modules)


def coroutine_function(ctx, func: cst.BaseExpression) -> Origin | None:
    """Where a function referred to (not called: `to_thread(fetch)`) is
    defined, if calling it returns a coroutine."""
    return _origin(ctx, func, lambda: ctx.resolve(func), True)


def _origin(ctx, func: cst.BaseExpression, qualname_of: Callable[[], str | None], other_modules: bool) -> Origin | None:
    if isinstance(func, cst.Name):
        binding = ctx.lookup(func.value)
        if binding is not None and binding.kind in _DEFS and isinstance(binding.node, cst.FunctionDef):
            if returns_coroutine(ctx, binding.node):
                return Origin(func.value, defined_as(binding.kind == "async_function", "line {related_line}"), binding.node)
            return None
    qualname = qualname_of()
    if qualname is None:
        return None
    local = ctx.local_function(qualname)
    if local is not None:
        if returns_coroutine(ctx, local):
            shown = qualname[len(ctx.local_prefix) + 1 :]
            return Origin(shown, defined_as(local.asynchronous is not None, "line {related_line}"), local)
        return None
    if qualname in COROUTINE_FUNCTIONS:
        return Origin(qualname, f"{qualname.split('.')[0]} coroutine function")
    if not other_modules:
        return None
    definition = ctx.project_coroutines.get(qualname)
    if definition is not None:
        return Origin(ctx.code_for(func), definition)
    return None


class Use(enum.Enum):
    """What happens to the value of an expression."""

    AWAITED = "awaited"
    DROPPED = "dropped"  # an expression statement
    RETURNED = "returned"
    STORED = "stored"  # bound to a plain local name: see what becomes of the name
    CONDITION = "condition"
    FORMATTED = "formatted"
    MISUSED = "misused"  # attribute or item access on it
    OTHER = "other"  # passed on, kept in an attribute, yielded, ...: not our business


@cache
def _containers() -> tuple[type, ...]:
    return (cst.Element, cst.DictElement, cst.List, cst.Tuple, cst.Set, cst.Dict)


@dataclass(frozen=True)
class ValueUse:
    use: Use
    through_container: bool = False
    name: str | None = None  # for STORED
    statement: cst.CSTNode | None = None


def value_use(ctx, node: cst.CSTNode, allowed_attributes: frozenset[str] = frozenset()) -> ValueUse:
    """Classify how the value of `node` (on the traversal's path) is used.

    The value is followed out of containers and comprehensions that hold it,
    so `return [fetch(u) for u in urls]` counts as returned, and out of the
    last operand of `and`/`or`, whose value it becomes; an earlier operand,
    like the test of `x if test else y` or of a comprehension, is tested
    for truth: a condition.
    """
    stack = ctx.node_stack
    index = len(stack) - 1
    while index >= 0 and stack[index] is not node:
        index -= 1
    current = node
    in_container = False
    while index > 0:
        parent = stack[index - 1]
        if isinstance(parent, _containers()) or (
            isinstance(parent, (cst.ListComp, cst.SetComp, cst.GeneratorExp)) and parent.elt is current
        ) or (isinstance(parent, cst.DictComp) and parent.value is current):
            in_container = True
        elif isinstance(parent, cst.IfExp) and parent.test is not current:
            pass
        elif isinstance(parent, cst.BooleanOperation):
            if parent.left is current:
                return ValueUse(Use.CONDITION)
        else:
            break
        current = parent
        index -= 1
    if index <= 0:
        return ValueUse(Use.OTHER)
    parent = stack[index - 1]
    if isinstance(parent, cst.Await):
        return ValueUse(Use.AWAITED, in_container)
    if isinstance(parent, cst.Expr):
        return ValueUse(Use.DROPPED, in_container)
    if isinstance(parent, cst.Return):
        return ValueUse(Use.RETURNED, in_container)
    if isinstance(parent, cst.Assign) and parent.value is current and len(parent.targets) == 1:
        target = parent.targets[0].target
        if isinstance(target, cst.Name) and target.value not in ctx.frames[-1].global_names:
            return ValueUse(Use.STORED, in_container, target.value, parent)
        return ValueUse(Use.OTHER, in_container)
    if isinstance(parent, cst.AnnAssign) and parent.value is current and isinstance(parent.target, cst.Name):
        return ValueUse(Use.STORED, in_container, parent.target.value, parent)
    if in_container:
        return ValueUse(Use.OTHER, True)
    if isinstance(parent, (cst.If, cst.While, cst.Assert, cst.IfExp, cst.CompIf)) and parent.test is current:
        return ValueUse(Use.CONDITION)
    if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
        return ValueUse(Use.CONDITION)
    if isinstance(parent, cst.FormattedStringExpression):
        return ValueUse(Use.FORMATTED)
    if isinstance(parent, cst.Attribute) and parent.value is current:
        if parent.attr.value in allowed_attributes:
            return ValueUse(Use.OTHER)
        return ValueUse(Use.MISUSED)
    if isinstance(parent, cst.Subscript) and parent.value is current:
        return ValueUse(Use.MISUSED)
    return ValueUse(Use.OTHER)


@dataclass
class Pending:
    """A value stored in a local name, waiting to see whether it is used.
    `message` may be computed only when needed (`describe`), since finding
    out what the value is can mean reading another module."""

    node: cst.CSTNode
    name: str
    message: str | None
    fix: object | None = None
    related: cst.CSTNode | None = None
    describe: Callable[[], tuple[str, cst.CSTNode | None] | None] | None = None

    def resolved(self) -> tuple[str, cst.CSTNode | None] | None:
        """(message, related node), or None when the value turned out harmless."""
        if self.message is not None:
            return self.message, self.related
        return self.describe() if self.describe is not None else None


class StoredValues:
    """Tracks values stored in local names until the function ends: a later
    load of the name (other than a `return` of it from an `async def`) counts
    as a use; names never used are reported by the owning rule."""

    def __init__(self) -> None:
        self.pending: dict[int, dict[str, Pending]] = {}

    def store(self, function: cst.CSTNode, pending: Pending) -> None:
        self.pending.setdefault(id(function), {})[pending.name] = pending

    def load(self, frames, name: str) -> Pending | None:
        """A load of `name` in the current frame or an enclosing one: the value is used."""
        for frame in reversed(frames):
            held = self.pending.get(id(frame.node))
            if held and name in held:
                return held.pop(name)
        return None

    def unused(self, function: cst.CSTNode) -> list[Pending]:
        return list(self.pending.pop(id(function), {}).values())


@cache
def _name_holders() -> tuple[type, ...]:
    return (cst.Param, cst.FunctionDef, cst.ClassDef, cst.AssignTarget, cst.ImportAlias, cst.AsName, cst.NameItem)


def is_load(ctx, name: cst.Name) -> bool:
    """Whether a Name node being visited reads the variable (not a binding,
    an attribute name, a keyword or a parameter)."""
    parent = ctx.parent(name)
    if isinstance(parent, (cst.Attribute, cst.Arg)):
        return parent.value is name
    if isinstance(parent, (cst.For, cst.CompFor)):
        return parent.target is not name
    return not isinstance(parent, _name_holders())
