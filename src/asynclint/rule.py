"""The base class every rule derives from, and the single-traversal visitor.

A rule is a class that declares the calls it is about (``calls``, handed to
its ``on_call``) or has typed ``visit_<Node>`` / ``leave_<Node>`` methods, or
both; it reads facts from ``self.ctx`` and calls ``self.report(node,
message)``. Rules do not walk the tree, resolve names or print: the engine
runs every enabled rule in one traversal and turns reports into diagnostics.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

from asynclint.diagnostics import Applicability, Default, FixClass
from asynclint.lazy import cst

if TYPE_CHECKING:
    from asynclint.context import FileContext
    from asynclint.model.facts import CallSite
    from asynclint.screen import FirstLook, Lookups


def anywhere(call: CallSite) -> bool:
    return True


@dataclass(frozen=True)
class CallPattern:
    """The calls a rule is about: what they call, and where and how they are
    made. Declared once, it is both halves of the rule: the first look asks
    whether a call of the module's model may match (`Rule.screen`), and the
    traversal hands the rule each call that matches for sure (`Rule.on_call`)."""

    callees: Collection[str] = ()  # qualified names
    blocking: frozenset[str] = frozenset()  # or: the calls the blocking tables (and the user) report under these codes
    where: Callable[[CallSite], bool] = anywhere  # how the call is made (see `CallSite`)
    # How a call made directly in a plain `def` handler that its framework calls on the event loop
    # (Sanic, python-socketio's AsyncServer, ...) must be made to match too: None, never.
    on_loop: Callable[[CallSite], bool] | None = None

    def test(self, settings, known_codes: dict[str, str | None] | None = None) -> Callable[[str], bool]:
        """Whether a qualified name is one of the pattern's callees."""
        if self.blocking:
            from asynclint.analysis.blocking import blocking_test

            return blocking_test(self.blocking, settings, known_codes)
        return self.callees.__contains__


@dataclass(frozen=True)
class NodeFix:
    """A fix expressed on the tree: replace nodes, optionally add imports.

    ``replacements`` maps an original node to its replacement node (or to
    ``cst.RemovalSentinel.REMOVE``); ``imports`` lists modules the fixed code
    needs (``"asyncio"``) or ``(module, name)`` pairs for ``from`` imports.
    """

    applicability: Applicability
    message: str
    replacements: tuple[tuple[cst.CSTNode, Any], ...]
    imports: tuple[str | tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Report:
    """A rule's finding before positions are known."""

    code: str
    node: cst.CSTNode
    message: str
    fix: NodeFix | None = None
    # A node the message refers to: `{related_line}` in the message becomes its line.
    related: cst.CSTNode | None = None
    # The top-level statement holding `node`, so positions are computed for it alone.
    statement: cst.CSTNode | None = None


class Rule:
    """Base class of all rules. Subclasses set the class attributes below.

    The docstring of a subclass is its user documentation and has the
    sections What it does / Why is this bad? / Example / Use instead /
    Fix safety.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    default: ClassVar[Default] = Default.ON
    fix_class: ClassVar[FixClass] = FixClass.NONE
    # Regular expressions over the file's bytes; if none matches, the rule
    # cannot fire and the file may be skipped without parsing.
    triggers: ClassVar[tuple[bytes, ...]] = (rb"\basync\b",)
    # The calls the rule is about (its first look comes from them); a rule
    # without any has a `screen` of its own, or says in `triggered_is_enough`
    # why its triggers are all the first look it needs.
    calls: ClassVar[CallPattern | None] = None
    triggered_is_enough: ClassVar[str] = ""
    # Python syntax node types (`ast.For`) its own first look reads (`FirstLook.nodes_of`).
    first_look_nodes: ClassVar[tuple[type, ...]] = ()

    _dispatch_cache: ClassVar[dict[type, tuple[dict[str, str], dict[str, str]]]] = {}

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.reports: list[Report] = []

    def report(
        self, node: cst.CSTNode, message: str, fix: NodeFix | None = None, related: cst.CSTNode | None = None
    ) -> None:
        self.reports.append(Report(self.code, node, message, fix, related, self.ctx.statement))

    def finish(self) -> None:
        """Called once after the traversal, for rules that decide at the end."""

    def on_call(self, node: cst.Call, call: CallSite, callee: str) -> None:
        """A call that matches the rule's `calls` for sure: `callee` is what it calls."""

    @classmethod
    def screen(cls, look: FirstLook, lookups: Lookups) -> bool:
        """Whether the rule could fire on a file with this model (see
        `asynclint.screen`). It may say yes in vain, never no wrongly."""
        return cls.calls is None or look.may_match(lookups.callees(cls.calls), cls.calls)

    @classmethod
    def handlers(cls) -> tuple[dict[str, str], dict[str, str]]:
        """Node type name -> method name for visits and leaves, built once per class."""
        cached = Rule._dispatch_cache.get(cls)
        if cached is None:
            visits = {n[6:]: n for n in dir(cls) if n.startswith("visit_")}
            leaves = {n[6:]: n for n in dir(cls) if n.startswith("leave_")}
            cached = Rule._dispatch_cache[cls] = (visits, leaves)
        return cached

    @classmethod
    def documentation(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


class Traversal:
    """Runs the context bookkeeping and every rule in one walk of the tree
    (see `walk`); handlers are looked up by node class."""

    def __init__(self, ctx: FileContext, rules: list[Rule]) -> None:
        self.ctx = ctx
        self.rules = rules
        self.visit_table: dict[type, list[Any]] = {}
        self.leave_table: dict[type, list[Any]] = {}
        # Rules with a call pattern: (the rule, what its callees are, where its calls are made)
        known_codes: dict[str, str | None] = {}
        self.on_calls = [
            (rule, type(rule).calls.test(ctx.settings, known_codes), type(rule).calls.where, type(rule).calls.on_loop)
            for rule in rules
            if type(rule).calls is not None
        ]
        for rule in rules:
            visits, leaves = type(rule).handlers()
            for node_type, method in visits.items():
                self.visit_table.setdefault(getattr(cst, node_type), []).append(getattr(rule, method))
            for node_type, method in leaves.items():
                self.leave_table.setdefault(getattr(cst, node_type), []).append(getattr(rule, method))
        wants_trivia = any(t in trivia() for t in (*self.visit_table, *self.leave_table))
        self.descend = DESCEND_ALL if wants_trivia else DESCEND

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.ctx.enter(node)
        if self.on_calls and type(node) is cst.Call:
            self._on_call(node)
        handlers = self.visit_table.get(type(node))
        if handlers is not None:
            _dispatch(handlers, node)
        return True

    def _on_call(self, node: cst.Call) -> None:
        call = self.ctx.call_site(node)
        callee = self.ctx.callee(node) if call is not None else None
        if callee is None:
            return
        for rule, is_callee, where, on_loop in self.on_calls:
            if is_callee(callee) and (
                where(call) or (on_loop is not None and on_loop(call) and self.ctx.on_loop is not None)
            ):
                try:
                    rule.on_call(node, call, callee)
                except Exception as exc:
                    raise RuleCrash(rule.code) from exc

    def on_leave(self, original_node: cst.CSTNode) -> None:
        handlers = self.leave_table.get(type(original_node))
        if handlers is not None:
            _dispatch(handlers, original_node)
        self.ctx.leave(original_node)


def _dispatch(handlers: list[Any], node: cst.CSTNode) -> None:
    for handler in handlers:
        try:
            handler(node)
        except Exception as exc:
            raise RuleCrash(handler.__self__.code) from exc


@cache
def _field_order_recorder() -> type:
    class FieldOrder(cst.CSTVisitor):
        """Records the attributes libcst visits for one node, in lexical order."""

        def __init__(self) -> None:
            super().__init__()
            self.fields: list[str] = []

        def on_visit(self, node: cst.CSTNode) -> bool:
            return False

        def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
            if attribute not in self.fields:
                self.fields.append(attribute)

    return FieldOrder


_FIELD_ORDER: dict[type, tuple[str, ...]] = {}


@cache
def trivia() -> frozenset[type]:
    """Whitespace, comments, punctuation and operators: two thirds of a tree's
    nodes, and no rule looks at them (a rule that does gets a full walk)."""
    import libcst  # the module itself: `vars` of the stand-in may not hold its names yet

    return frozenset(
        node_type
        for node_type in vars(libcst).values()
        if isinstance(node_type, type)
        and node_type.__module__ in ("libcst._nodes.whitespace", "libcst._nodes.op")
        and issubclass(node_type, cst.CSTNode)  # last: a failing check on an ABC walks all its subclasses
    ) | {cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket, cst.LeftCurlyBrace, cst.RightCurlyBrace}


# Value type -> whether `walk` descends into it; a dict look-up is several
# times cheaper than isinstance() against libcst's abstract node class.
DESCEND: dict[type, bool] = {}
DESCEND_ALL: dict[type, bool] = {}


def child_fields(node: cst.CSTNode) -> tuple[str, ...]:
    """The attributes holding a node type's children, in source order
    (learned once per type from libcst's own visiting order)."""
    fields = _FIELD_ORDER.get(type(node))
    if fields is None:
        recorder = _field_order_recorder()()
        node._visit_and_replace_children(recorder)
        fields = _FIELD_ORDER[type(node)] = tuple(recorder.fields)
    return fields


def _learn(descend: dict[type, bool], value: object) -> bool:
    value_type = type(value)
    # Its own ancestry: isinstance() against the abstract node class, for a str or None, asks each of
    # libcst's node classes first (a millisecond on a run's first file).
    is_node = cst.CSTNode in value_type.__mro__
    descend[value_type] = is_node and (descend is DESCEND_ALL or value_type not in trivia())
    return descend[value_type]


def walk(node: cst.CSTNode, traversal, descend: dict[type, bool] | None = None) -> None:
    """Visit a tree in libcst's order without rebuilding each node on the way
    back up, as `node.visit` does (that alone costs as much as the parse).
    `traversal` has `on_visit(node) -> bool` (descend?) and `on_leave(node)`;
    trivia are skipped unless `descend` is `DESCEND_ALL`."""
    if descend is None:
        descend = getattr(traversal, "descend", DESCEND)
    if traversal.on_visit(node):
        fields = _FIELD_ORDER.get(type(node)) or child_fields(node)
        for name in fields:
            value = getattr(node, name)
            value_type = type(value)
            if value_type is list or value_type is tuple:
                for item in value:
                    wanted = descend.get(type(item))
                    if wanted or (wanted is None and _learn(descend, item)):
                        walk(item, traversal, descend)
            else:
                wanted = descend.get(value_type)
                if wanted or (wanted is None and _learn(descend, value)):
                    walk(value, traversal, descend)
    traversal.on_leave(node)


class RuleCrash(Exception):
    """A rule raised while visiting a node; carries the rule's code."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
