"""Where a libcst rule is, and what the model says its names and calls are.

The context is updated by the engine's single traversal (``enter``/``leave``
for every node, before the rules see it). It knows where we are: the stack
of function / lambda / class frames, whether the code runs in async
context, the parent of the current node. What a name or a call means it
does not work out itself: it names the current scope and the expression
the way the module's model does and asks the one resolver
(`asynclint.model.resolve`), which the first look asks too.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, Literal

from asynclint.knowledge.blocking import fill_advice
from asynclint.knowledge.python_versions import DEFAULT_TARGET_VERSION
from asynclint.lazy import cst
from asynclint.model.build import build_model
from asynclint.model.expr import from_cst
from asynclint.model.facts import CallSite, Function, ModuleModel, def_name
from asynclint.model.resolve import Resolver, known, one
from asynclint.modules import module_name_for

if TYPE_CHECKING:
    from asynclint.config import Settings
    from asynclint.project import Project, ProjectCoroutines


@dataclass(frozen=True)
class Binding:
    """What a name is bound to (see `asynclint.model.resolve.Binding`), with
    the def node of this file when it is a function."""

    kind: str
    target: str = ""
    node: cst.CSTNode | None = None
    annotated: bool = False


@dataclass
class Frame:
    """One lexical scope: the module, a function, a lambda or a class body."""

    kind: Literal["module", "function", "lambda", "class"]
    node: cst.CSTNode | None
    body: cst.CSTNode | None
    key: str = ""  # the scope's key in the model (`Client.fetch`)
    is_async: bool = False
    global_names: set[str] = field(default_factory=set)


def scope_key(outer: str, name: str) -> str:
    return f"{outer}.{name}" if outer else name


class FileContext:
    """Shared, incrementally updated facts about one file."""

    def __init__(
        self,
        module: cst.Module,
        path: str = "<string>",
        module_name: str = "",
        model: ModuleModel | None = None,
        settings: Settings | None = None,
        project: Project | None = None,
        file_state: list[int] | None = None,
        text: str | None = None,
        resolver: Resolver | None = None,
        defs_memo: dict[int, tuple] | None = None,
    ) -> None:
        self.module = module
        self.path = path
        self.module_name = module_name
        self.settings = settings
        self.project = project  # the run's view of the project, for questions across modules (AL109, AL201)
        self.file_state = file_state  # the file's [mtime, size] when it was read, if from disk
        self.text = text  # the decoded source, when at hand: positions come cheaper from it
        if model is None:
            name = module_name or module_name_for(path)
            model = build_model(module.code.encode("utf-8"), name, path.endswith("__init__.py")) or ModuleModel(name)
        self.model = model
        self.resolver = resolver or Resolver(model)  # the first look's, whose answers stand
        # Async defs of other project modules, for AL201 (none when checking one file alone)
        self.project_coroutines: ProjectCoroutines | dict[str, str] = {}
        if project is not None:
            from asynclint.project import ProjectCoroutines

            self.project_coroutines = ProjectCoroutines(project, path, model)
        self.frames: list[Frame] = [Frame("module", module, module, global_names=self._globals(""))]
        self.node_stack: list[cst.CSTNode] = []
        self.counts: dict[tuple[str, str], int] = {}  # (scope, name) -> its bindings passed so far
        self._sites_passed = 0  # the model's calls the traversal has passed
        self._site: tuple[cst.Call | None, CallSite | None] = (None, None)
        self.imported_modules: set[str] = model.imported
        self._pending_bodies: dict[int, Frame] = {}
        self._callee_cache: tuple[cst.Call | None, str | None] = (None, None)
        self._memo: dict[tuple, Any] = {}
        self._app = None
        # The web app model's pieces kept from the document's last version (the language server's: `AppPieces`)
        self.app_pieces = None
        self.defs: dict[str, cst.FunctionDef] = {}  # scope key -> the (last) def with that key
        self.def_keys: dict[int, str] = {}  # id of a def node -> its scope key
        for statement in module.body:
            self._defs_of(statement, defs_memo)
        self.library = self._detect_library()

    def _globals(self, key: str) -> set[str]:
        scope = self.model.scopes.get(key)
        return scope.global_names if scope is not None else set()

    def _defs_of(self, statement: cst.CSTNode, memo: dict[int, tuple] | None) -> None:
        """Record a top-level statement's defs, found once for the node when
        `memo` keeps them (an editor's: unchanged statements keep their nodes)."""
        known = memo.get(id(statement)) if memo is not None else None
        if known is None or known[0] is not statement:
            found: list[tuple[str, cst.FunctionDef]] = []
            _scan_defs([statement], "", found)
            known = (statement, found)
            if memo is not None:
                if len(memo) >= _DEFS_KEPT:
                    memo.clear()
                memo[id(statement)] = known  # the node is kept too: its id stays its own
        for key, function in known[1]:
            self.defs[key] = function
            self.def_keys[id(function)] = key

    def advice(self, template: str) -> str:
        """Advice for this file: in the words of its async library, naming
        only what its target Python version has (see `fill_advice`)."""
        return fill_advice(template, self.library, self.target_version)

    @property
    def target_version(self) -> str:
        """The Python version the file's code must run on (`target-version`)."""
        return self.settings.target_version if self.settings is not None else DEFAULT_TARGET_VERSION

    def _detect_library(self) -> str:
        roots = {m.split(".")[0] for m in self.imported_modules}
        if "anyio" in roots:
            return "anyio"
        if "trio" in roots and not roots & {"fastapi", "starlette"}:
            return "trio"
        return "asyncio"

    def remember(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """A fact about this file computed once, however many visits ask for it
        (whether a function yields, say, asked at each of its call sites)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # ------------------------------------------------------------- traversal
    def enter(self, node: cst.CSTNode) -> None:
        self.node_stack.append(node)
        frame = self._pending_bodies.pop(id(node), None)
        if frame is not None:
            self.frames.append(frame)
            if frame.kind in ("function", "lambda"):
                for param in _all_params(frame.node.params):
                    self._bound(param.name.value)
            if type(node) is not cst.Call:  # a lambda's body may be a call
                return
        node_type = type(node)
        if node_type is cst.Call:
            self._site = (node, self._next_site(node))
        elif len(self.frames) > 1 and node_type in _binds_on_enter():
            for name in _names_bound_on_enter(node):
                self._bound(name)
        if node_type is cst.FunctionDef or node_type is cst.ClassDef or node_type is cst.Lambda:
            outer = self.frames[-1].key
            if node_type is cst.FunctionDef:
                key = scope_key(outer, _def_name(node))
                frame = Frame("function", node, node.body, key, node.asynchronous is not None, self._globals(key))
            elif node_type is cst.ClassDef:
                key = scope_key(outer, node.name.value)
                frame = Frame("class", node, node.body, key, global_names=self._globals(key))
            else:
                key = scope_key(outer, "<lambda>")
                frame = Frame("lambda", node, node.body, key, global_names=self._globals(key))
            self._pending_bodies[id(node.body)] = frame

    def leave(self, node: cst.CSTNode) -> None:
        if len(self.frames) > 1:
            if self.frames[-1].body is node:
                self.frames.pop()
            elif type(node) in _binds_on_leave():
                for name in _names_bound_on_leave(node, self.frames[-1].kind):
                    self._bound(name)
        self.node_stack.pop()

    def resume_at(self, line: int) -> None:
        """A traversal that skips to the top-level statement starting on this
        line: the model's calls made before it count as passed."""
        calls = self.model.calls
        self._sites_passed = bisect.bisect_left(calls, line, key=lambda call: call.line)

    def _next_site(self, node: cst.Call) -> CallSite | None:
        """The model's record of the call being entered: the model lists calls
        in the order libcst visits them, so it is the next one, or (should a
        construct be ordered otherwise) one of the next few calling the same."""
        func, calls, start = from_cst(node.func), self.model.calls, self._sites_passed
        for index in range(start, min(start + 8, len(calls))):
            if calls[index].func == func:
                self._sites_passed = index + 1
                return calls[index]
        return None

    def call_site(self, node: cst.Call) -> CallSite | None:
        """What the model records of a call being visited (how its value is used, where it is made)."""
        current, site = self._site
        return site if current is node else None

    def _bound(self, name: str) -> None:
        """One more binding of a name in the current scope is in effect (see
        `asynclint.model.resolve.State`): the model numbers the same ones."""
        frame = self.frames[-1]
        if name not in frame.global_names:
            key = (frame.key, name)
            self.counts[key] = self.counts.get(key, 0) + 1

    # ------------------------------------------------------------- queries
    @property
    def scope(self) -> str:
        """The model's key of the scope the traversal is in."""
        return self.frames[-1].key

    @property
    def in_async(self) -> bool:
        """True inside an `async def` body, not in a nested def, lambda or class."""
        return self.frames[-1].is_async

    @property
    def on_loop(self):
        """The framework that calls the plain `def` the traversal is directly in on the event loop, if
        one does (a Sanic handler, say): its code is async context for the blocking-call rules."""
        frame = self.frames[-1]
        if frame.kind != "function" or frame.is_async:
            return None
        return self.app.runs_on_loop(frame.node)

    @property
    def function(self) -> cst.FunctionDef | None:
        """The innermost enclosing def, if the current code is directly in one."""
        node = self.frames[-1].node
        return node if isinstance(node, cst.FunctionDef) else None

    def parent(self, node: cst.CSTNode | None = None, levels: int = 1) -> cst.CSTNode | None:
        """The parent of the node being visited (or of `node`, if it is on the stack)."""
        stack = self.node_stack
        index = len(stack) - 1
        if node is not None:
            while index >= 0 and stack[index] is not node:
                index -= 1
        index -= levels
        return stack[index] if index >= 0 else None

    def is_awaited(self, node: cst.CSTNode) -> bool:
        return isinstance(self.parent(node), cst.Await)

    @property
    def app(self):
        """The web app model of this file (endpoints, dependencies, lifespan), built once."""
        if self._app is None:
            from asynclint.app_model import build_app_model

            self._app = build_app_model(self)
        return self._app

    def reset_app(self) -> None:
        """Build the web app model again when next asked (a walk given up on may have built it)."""
        self._app = None

    def lookup(self, name: str, scope: str | None = None) -> Binding | None:
        """The binding of a bare name here (or in `scope`: `""` is the
        module), or None for an unbound name."""
        found = self.resolver.binding(self.scope if scope is None else scope, name, self.counts)
        if found is None:
            return None
        node = self.defs.get(found.function) if found.function is not None else None
        return Binding(found.kind, found.target, node, found.annotated)

    def callee(self, call: cst.Call) -> str | None:
        """What a call calls (see `Resolver.callee`), remembered for the node all rules are visiting."""
        cached_node, cached = self._callee_cache
        if cached_node is call:
            return cached
        expr = from_cst(call)
        name = one(self.resolver.callee(self.scope, expr, self.counts)) if expr is not None else None
        self._callee_cache = (call, name)
        return name

    def resolve(self, expr: cst.BaseExpression) -> str | None:
        """The canonical qualified name an expression stands for, or None
        (see `Resolver.resolve`)."""
        return one(self.resolver.resolve(self.scope, from_cst(expr), self.counts))

    def value_type(self, expr: cst.BaseExpression) -> str | None:
        """The type an expression's value is an instance of, when it surely is one."""
        return one(self.resolver.value_type(self.scope, from_cst(expr), self.counts))

    @cached_property
    def may_run_accessors(self) -> bool:
        """Whether an attribute read or assignment of the file's async code may
        run a project property's getter or setter (asked once, of the model's
        reads and writes, before any is asked of a node)."""
        resolver = self.resolver
        return any(known(resolver.getters(scope, expr)) for expr, scope in self.model.reads) or any(
            known(resolver.setters(scope, expr)) for expr, scope in self.model.writes
        )

    def getter(self, node: cst.Attribute) -> str | None:
        """The project property getter an attribute read runs, when it surely is one."""
        return one(self.resolver.getters(self.scope, from_cst(node), self.counts))

    def entered(self, node: cst.BaseExpression) -> str | None:
        """The project `__enter__` a plain `with node:` runs, when it surely is one."""
        return one(self.resolver.enters(self.scope, from_cst(node), self.counts))

    def setter(self, node: cst.Attribute) -> str | None:
        """The project property setter an attribute assignment runs, when it surely is one."""
        return one(self.resolver.setters(self.scope, from_cst(node), self.counts))

    def result_type(self, call: cst.BaseExpression) -> str | None:
        """The qualified type a call evaluates to, when the model knows it."""
        expr = from_cst(call) if isinstance(call, cst.Call) else None
        return one(self.resolver.result_type(self.scope, expr, self.counts)) if expr is not None else None

    @property
    def local_prefix(self) -> str:
        """How qualified names of this file's own definitions start."""
        return self.model.prefix

    def local_function(self, qualname: str) -> cst.FunctionDef | None:
        """The def of this file's module-level function or class method
        named `qualname` (`app.fetch`, `app.Service.run`), if any."""
        found = self.resolver.local_function(qualname)
        return self.defs.get(found.key) if found is not None else None

    @property
    def statement(self) -> cst.CSTNode | None:
        """The top-level statement holding the node being visited (None at the module itself)."""
        stack = self.node_stack
        return stack[1] if len(stack) > 1 else None

    def function_model(self, node: cst.FunctionDef) -> Function | None:
        """What the model knows of one of this file's defs."""
        key = self.def_keys.get(id(node))
        return self.model.functions.get(key) if key is not None else None

    def code_for(self, node: cst.CSTNode) -> str:
        """The source text of a node, for messages."""
        return self.module.code_for_node(node)


def _scan_defs(statements, outer: str, found: list[tuple[str, cst.FunctionDef]]) -> None:
    """The defs among statements, with their scope keys, through blocks, classes and defs (statements only)."""
    for statement in statements:
        kind = type(statement)
        if kind is cst.FunctionDef or kind is cst.ClassDef:
            key = scope_key(outer, _def_name(statement))
            if kind is cst.FunctionDef:
                found.append((key, statement))
            if isinstance(statement.body, cst.IndentedBlock):
                _scan_defs(statement.body.body, key, found)
        elif isinstance(statement, cst.BaseCompoundStatement):
            for block in _blocks_of(statement):
                _scan_defs(block, outer, found)


_DEFS_KEPT = 20000  # top-level statements a memo of defs holds at most


@cache
def _binds_on_enter() -> frozenset[type]:
    return frozenset({cst.Import, cst.ImportFrom, cst.For, cst.CompFor, cst.ExceptHandler})


@cache
def _binds_on_leave() -> frozenset[type]:
    return frozenset({cst.Assign, cst.AnnAssign, cst.AugAssign, cst.WithItem, cst.NamedExpr, cst.FunctionDef, cst.ClassDef})


def _names_bound_on_enter(node: cst.CSTNode) -> list[str]:
    """Names bound from the start of a statement: imports, loop targets, `except ... as`."""
    if isinstance(node, cst.Import):
        return [
            alias.asname.name.value if alias.asname is not None else (_dotted_name(alias.name) or "").split(".")[0]
            for alias in node.names
        ]
    if isinstance(node, cst.ImportFrom):
        if isinstance(node.names, cst.ImportStar):
            return []
        return [alias.asname.name.value if alias.asname is not None else alias.name.value for alias in node.names]
    if isinstance(node, (cst.For, cst.CompFor)):
        return _target_names(node.target)
    return _target_names(node.name.name) if node.name is not None else []


def _names_bound_on_leave(node: cst.CSTNode, frame_kind: str) -> list[str]:
    """Names bound once a statement or expression has been evaluated."""
    if isinstance(node, cst.Assign):
        return [name for target in node.targets for name in _target_names(target.target)]
    if isinstance(node, cst.AnnAssign):
        return [node.target.value] if isinstance(node.target, cst.Name) else []
    if isinstance(node, (cst.AugAssign, cst.NamedExpr)):
        return _target_names(node.target)
    if isinstance(node, cst.WithItem):
        return _target_names(node.asname.name) if node.asname is not None else []
    return [node.name.value] if frame_kind != "class" else []  # a def or class, not a method


def _def_name(node: cst.FunctionDef | cst.ClassDef) -> str:
    """The name the model keys a def's scope by (see `asynclint.model.facts.def_name`)."""
    if type(node) is cst.ClassDef or not node.decorators:
        return node.name.value
    return def_name(node.name.value, [from_cst(d.decorator) for d in node.decorators])


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for element in target.elements for n in _target_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    out = [*params.posonly_params, *params.params, *params.kwonly_params]
    if isinstance(params.star_arg, cst.Param):
        out.append(params.star_arg)
    if params.star_kwarg is not None:
        out.append(params.star_kwarg)
    return out


def _dotted_name(expr: cst.BaseExpression) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    parts = []
    while isinstance(expr, cst.Attribute):
        parts.append(expr.attr.value)
        expr = expr.value
    if not isinstance(expr, cst.Name):
        return None
    parts.append(expr.value)
    return ".".join(reversed(parts))


def _blocks_of(statement: cst.BaseCompoundStatement) -> list:
    """The statement lists of a compound statement's blocks (if/elif/else, try/except/finally, loops, with)."""
    blocks = [getattr(statement, "body", None)] + [case.body for case in getattr(statement, "cases", ())]
    orelse = getattr(statement, "orelse", None)
    while orelse is not None:
        blocks.append(orelse.body)
        orelse = orelse.orelse if isinstance(orelse, cst.If) else None
    blocks += [handler.body for handler in getattr(statement, "handlers", ())]
    final = getattr(statement, "finalbody", None)
    if final is not None:
        blocks.append(final.body)
    return [b.body for b in blocks if isinstance(b, cst.IndentedBlock)] + [
        [b] for b in blocks if isinstance(b, cst.SimpleStatementSuite)
    ]
