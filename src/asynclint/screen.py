"""A first look at a file with Python's own parser: which rules could fire.

libcst's parse is the largest cost of a check, and most files of a project
hold no finding. The standard library's `ast` parses about ten times
faster. From its tree we collect what the rules' findings start from: the
qualified names the file refers to (through its imports, as the context
resolves them), its calls (awaited or not, in which function, on what),
what names may hold (from annotations and the calls that built them), and
what its `except` clauses in async code catch. Each rule's `screen` answers
from these facts whether it could fire; a file no rule could fire on is
never given to libcst. Other modules are looked at the same way, for the
rules that follow calls across the project (`ProjectFacts`).

A screen may say yes when the rule then finds nothing, never the reverse:
every answer over-approximates (a name bound anywhere in the file counts
everywhere; a method counts when a name it is called on may hold a type
that has it). The tests check this on every fixture, case by case, and the
benchmark's corpus gives the same findings with and without the screen.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

from asynclint.cache import file_state
from asynclint.knowledge.types import PATH_TYPES, RESULT_TYPES, canonical
from asynclint.knowledge.web import APP_CLASSES
from asynclint.modules import absolute_in

_BUILTINS = frozenset(dir(builtins))


@dataclass
class Call:
    qualname: str | None  # canonical, when the callee is a name or attribute chain that resolves
    name: str | None  # the last name written (`get` in `self.client.get(...)`)
    # "awaited" (`await f()`), "consumed" (`g(f())`, `with f():`), "returned"
    # (`return f()`), "dropped" (`f()` alone), "stored" (`x = f()`), "kept"
    # (`self.x = f()`, `yield f()`) or "other" (anything else); see `MAY_BE_UNUSED`
    use: str
    in_async: bool  # the innermost function is an `async def`
    in_for: bool  # inside a `for` (or `async for`) of the innermost function
    in_while: bool  # inside a `while` of the innermost function
    in_function: bool  # inside any function or lambda
    owner: str | None = None  # the function it is made in (`helper`, `Client.fetch`), nested defs included
    # For a method call, the last name of what it is called on (`client` in
    # `self.client.get()`); for a call's result (`make().get()`) a name of
    # its own (`()1`) whose `FileFacts.typed` says what the call builds; "?"
    # for anything else.
    receiver: str | None = None
    # `timeout=`: "missing" (and no `**kwargs`), "none" (`timeout=None`) or "set"
    timeout: str = "set"

    @property
    def awaited(self) -> bool:
        return self.use == "awaited"


# Uses of a call's value that may leave it unused (a rule follows a stored name further).
MAY_BE_UNUSED = frozenset({"dropped", "stored", "other"})


@dataclass(frozen=True)
class Callables:
    """A set of qualified callables as a screen looks for them: a call of one
    is either spelled out (`requests.get`) or is a method (`.get`) of a type
    the file names somewhere (`requests.Session`, or what builds one)."""

    names: frozenset[str]
    # a name a file may mention -> the method names that mention makes callable ("*": any)
    methods: dict[str, frozenset[str]]


@cache
def callables(names: frozenset[str]) -> Callables:
    methods: dict[str, set[str]] = {}
    for name in names:
        owner, _, method = name.rpartition(".")
        if owner and _is_type(owner):
            for source in reachable(frozenset({f"{owner}.*"})):
                methods.setdefault(source, set()).add(method)
    return Callables(names, {source: frozenset(found) for source, found in methods.items()})


@dataclass
class FileFacts:
    module: str = ""  # the module's name, which qualifies its own functions and classes
    refs: set[str] = field(default_factory=set)  # canonical qualified names referred to
    calls: list[Call] = field(default_factory=list)
    async_defs: set[str] = field(default_factory=set)  # names of every `async def`
    # Names of the `async def`s whose call gives a coroutine (no `yield`: not
    # async generators), and of those a bare name can call from a function (not methods).
    coroutine_defs: set[str] = field(default_factory=set)
    coroutine_functions: set[str] = field(default_factory=set)
    generators: set[str] = field(default_factory=set)  # the async generators among `functions`
    has_async: bool = False  # an `async def` (or an async construct at module level)
    star_import: bool = False  # `from m import *`: names we cannot see
    # A plain `for` in async code whose body (nested defs aside) awaits once,
    # never leaves early (break, continue, return, yield) and collects
    # (`.append(...)`, `.add(...)`, `.extend(...)`, `x[k] = ...`).
    gathers_in_loop: bool = False
    # An `async def` whose own body never awaits (no `await`, `async for`,
    # `async with`) and loops, or calls by its bare name a plain def of the file that loops.
    idle_async_work: bool = False
    # What the calls of `async with` blocks that never suspend call (`asyncio.timeout`)
    idle_guards: set[str] = field(default_factory=set)
    functions: dict[str, bool] = field(default_factory=dict)  # `helper` / `Client.fetch` -> is it async
    # Name (or attribute name) -> the qualified names of what it may hold: what
    # its annotations name and what built the values assigned to it. Names
    # bound in a function (see `Call.owner`) are in `typed_in`, by function;
    # `held` looks in both.
    typed: dict[str, set[str]] = field(default_factory=dict)
    typed_in: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    # What each `except` of async code that may end without raising catches:
    # qualified names, or None when it catches everything or we cannot tell.
    handlers_in_async: list[set[str] | None] = field(default_factory=list)
    _by_owner: dict[str | None, list[Call]] | None = field(default=None, repr=False, compare=False)
    _by_name: dict[str, list[str]] | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> dict:
        return {
            "module": self.module,
            "calls": [[getattr(call, f.name) for f in fields(Call)] for call in self.calls],
            "sets": {name: sorted(getattr(self, name)) for name in _SET_FIELDS},
            "flags": {name: getattr(self, name) for name in _FLAG_FIELDS},
            "functions": self.functions,
            "typed": _sorted(self.typed),
            "typed_in": {owner: _sorted(names) for owner, names in self.typed_in.items()},
            "handlers_in_async": [sorted(caught) if caught is not None else None for caught in self.handlers_in_async],
        }

    @classmethod
    def from_json(cls, data: dict) -> FileFacts:
        facts = cls(module=data["module"], functions=data["functions"])
        facts.calls = [Call(*values) for values in data["calls"]]
        for name in _SET_FIELDS:
            setattr(facts, name, set(data["sets"][name]))
        for name in _FLAG_FIELDS:
            setattr(facts, name, bool(data["flags"][name]))
        facts.typed = {name: set(held) for name, held in data["typed"].items()}
        facts.typed_in = {o: {n: set(held) for n, held in names.items()} for o, names in data["typed_in"].items()}
        facts.handlers_in_async = [set(caught) if caught is not None else None for caught in data["handlers_in_async"]]
        return facts

    def mentions(self, sources: frozenset[str]) -> bool:
        """Whether the file could reach one of the names (see `reachable`)."""
        return self.star_import or not self.refs.isdisjoint(sources)

    def digest(self) -> str:
        """Changes only when what a screen can learn from the file changes."""
        calls = sorted(
            (c.qualname or "", c.name or "", c.use, c.in_async, c.owner or "", c.receiver or "") for c in self.calls
        )
        typed = sorted((name, sorted(held)) for name, held in self.typed.items())
        typed += sorted((f"{owner}:{name}", sorted(held)) for owner, names in self.typed_in.items() for name, held in names.items())
        data = [sorted(self.functions.items()), sorted(self.generators), calls, sorted(self.refs), typed, self.star_import]
        return "ast:" + hashlib.sha256(json.dumps(data).encode()).hexdigest()[:32]

    def held(self, name: str | None, owner: str | None) -> set[str]:
        """What a name (or attribute name) used in a function may hold."""
        found = self.typed.get(name, set())
        local = self.typed_in.get(owner, {}).get(name) if owner is not None else None
        return found | local if local else found

    def calls_on_app(self, methods: frozenset[str]) -> bool:
        """Whether the file calls one of these methods on a web app or router
        its module builds (`app.get(...)` with `app = FastAPI()`): how
        endpoints, event handlers and middleware are registered."""
        apps = {name for name, held in self.typed.items() if not held.isdisjoint(APP_CLASSES)}
        return any(call.name in methods and call.receiver in apps for call in self.calls)

    def calls_in(self, owner: str) -> list[Call]:
        """The calls made in one function (see `Call.owner`)."""
        if self._by_owner is None:
            self._by_owner = {}
            for call in self.calls:
                self._by_owner.setdefault(call.owner, []).append(call)
        return self._by_owner.get(owner, [])

    def may_be_own_coroutine(self, call: Call) -> bool:
        """Whether a call may be of an `async def` of this file, as the context
        would resolve it: a function by its name, a method through `self` or
        a name that may hold an instance of one of the file's classes."""
        if call.receiver is None and call.in_function and not self.star_import:
            return call.name in self.coroutine_functions  # a method is no bare name inside a function
        if call.receiver is None or call.receiver == "?" or self.star_import:
            return call.name in self.coroutine_defs
        if call.receiver in ("self", "cls") and call.owner is not None and "." in call.owner:
            return self.gives_coroutine(f"{call.owner.split('.')[0]}.{call.name}")
        prefix = self.module + "."
        return any(
            self.gives_coroutine(f"{held[len(prefix):]}.{call.name}")
            for held in self.held(call.receiver, call.owner)
            if held.startswith(prefix)
        )

    def gives_coroutine(self, function: str) -> bool:
        """Whether one of `functions` is an `async def` that is no async generator."""
        return self.functions.get(function, False) and function not in self.generators

    def functions_named(self, name: str) -> list[str]:
        """The functions and methods whose own name is `name` (`Client.get` for `get`)."""
        if self._by_name is None:
            self._by_name = {}
            for function in self.functions:
                self._by_name.setdefault(function.rpartition(".")[2], []).append(function)
        return self._by_name.get(name, [])

    def may_call(self, wanted: Callables, where: Callable[[Call], bool], calls: list[Call] | None = None) -> bool:
        """Whether a call the filter accepts (of `calls`, by default all) may
        be one of `wanted`: by its name, or as a method of a value of a type
        that has it."""
        if self.star_import:
            allowed = {"*"}
        else:
            allowed = set().union(*(wanted.methods[ref] for ref in self.refs if ref in wanted.methods))
        for call in self.calls if calls is None else calls:
            if not where(call):
                continue
            if call.qualname in wanted.names:
                return True
            if call.receiver is None or not ("*" in allowed or call.name in allowed):
                continue
            if call.receiver == "?" or self.star_import:
                return True
            held = self.held(call.receiver, call.owner)
            if any(call.name in wanted.methods[t] or "*" in wanted.methods[t] for t in held if t in wanted.methods):
                return True
        return False


_SET_FIELDS = ("refs", "async_defs", "coroutine_defs", "coroutine_functions", "generators", "idle_guards")
_FLAG_FIELDS = ("has_async", "star_import", "gathers_in_loop", "idle_async_work")


def _sorted(typed: dict[str, set[str]]) -> dict[str, list[str]]:
    return {name: sorted(held) for name, held in typed.items()}


def facts_of(source: bytes, module: str, is_package: bool) -> FileFacts | None:
    """The facts of a file, or None if Python cannot parse it (libcst decides then)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    collector = _Collector(module, is_package)
    try:
        collector.visit(tree)
    except RecursionError:
        return None
    return collector.finish()


class _Collector:
    """One walk over the tree; names are resolved at the end, when every
    import and alias of the file is known."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.facts = FileFacts(module=module)
        self.bindings: dict[str, set[str]] = {}  # local name -> what it may stand for
        self.chains: set[tuple[str, ...]] = set()  # every name / attribute chain, as written
        self.raw_calls: list[tuple] = []  # (chain, then Call's fields after the qualified name)
        self.raw_handlers: list[list[tuple[str, ...]] | None] = []
        # (name, chains in its annotation or value, the method that built the value and what it was called on)
        self.raw_typed: list[tuple[str, list[tuple[str, ...]], str | None, str | None]] = []
        self.functions: list[bool] = []  # is each enclosing function async
        self.scopes: list[str] = []  # enclosing class names, outermost first
        self.in_class_body = False  # directly in a class body, where a def is a method
        self.results = 0  # calls whose result is called on (see `Call.receiver`)
        self.args_owner: str | None = None  # the owner of the parameters being visited
        self.global_names: set[str] = set()  # declared `global` in a function: the file's names
        self.yields: list[bool] = []  # does each enclosing function hold a `yield` (so far)
        self.body: _Body | None = None  # the innermost def's own body (lambdas belong to their def)
        self.bodies: list[_Body] = []
        self.raw_guards: list[tuple[str, ...] | None] = []
        self.owner: str | None = None  # see `Call.owner`
        self.fors = 0  # plain `for` loops around, inside the innermost function
        self.whiles = 0

    # ------------------------------------------------------------- walk
    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        if kind is ast.Name or kind is ast.Attribute:
            chain = _chain(node)
            if chain is not None:
                self.chains.add(chain)
                return
        elif kind is ast.Call:
            self._call(node, "other")
            return
        elif kind is ast.Await:
            self._await(node)
            return
        elif kind is ast.AsyncFunctionDef or kind is ast.FunctionDef or kind is ast.Lambda:
            self._function(node)
            return
        elif kind is ast.ClassDef:
            self.bindings.setdefault(node.name, set()).add(f"{self.module}.{node.name}")
            self.scopes.append(node.name)
            in_class_body, self.in_class_body = self.in_class_body, True
            self._children(node)
            self.in_class_body = in_class_body
            self.scopes.pop()
            return
        elif kind is ast.Import or kind is ast.ImportFrom:
            self._import(node)
        elif kind is ast.Expr and type(node.value) is ast.Call:
            self._call(node.value, "dropped")
            return
        elif kind is ast.Assign:
            self._assign(node)
            if type(node.value) is ast.Call:
                for target in node.targets:
                    self.visit(target)
                alone = len(node.targets) == 1 and type(node.targets[0]) is ast.Name
                self._call(node.value, "stored" if alone else "kept")
                return
        elif kind is ast.AnnAssign:
            self._typed(node.target, node.annotation, node.value)
            if type(node.value) is ast.Call:
                self.visit(node.target)
                self.visit(node.annotation)
                self._call(node.value, "stored" if type(node.target) is ast.Name else "kept")
                return
        elif (kind is ast.AugAssign or kind is ast.Yield or kind is ast.YieldFrom) and type(node.value) is ast.Call:
            if kind is ast.AugAssign:
                self.visit(node.target)
            elif self.yields:
                self.yields[-1] = True
            self._call(node.value, "kept")
            return
        elif kind is ast.NamedExpr:
            self._typed(node.target, value=node.value)
        elif kind is ast.withitem:
            self._typed(node.optional_vars, value=node.context_expr)
            if type(node.context_expr) is ast.Call:
                self._call(node.context_expr, "consumed")
                if node.optional_vars is not None:
                    self.visit(node.optional_vars)
                return
        elif kind is ast.Return and type(node.value) is ast.Call:
            self._call(node.value, "returned")
            return
        elif kind is ast.arg:
            self._typed(ast.Name(node.arg), node.annotation, scope=self.args_owner)
        elif kind is ast.ExceptHandler:
            if self.functions and self.functions[-1] and not _raises_first(node.body):
                self.raw_handlers.append(_caught(node.type))
        elif kind is ast.Yield or kind is ast.YieldFrom:
            if self.yields:
                self.yields[-1] = True
        elif kind is ast.Global:
            self.global_names.update(node.names)
        elif kind is ast.AsyncWith or (kind is ast.comprehension and node.is_async):
            self.facts.has_async = True
            if self.body is not None:
                self.body.waits = True
            if kind is ast.AsyncWith and not _suspends(node.body):
                self.raw_guards += [_chain(item.context_expr.func) for item in node.items if type(item.context_expr) is ast.Call]
        elif kind is ast.For or kind is ast.AsyncFor or kind is ast.While:
            if kind is ast.AsyncFor:
                self.facts.has_async = True
            if self.body is not None:
                self.body.loops_within = True
                if kind is ast.AsyncFor:
                    self.body.waits = True
                else:
                    self.body.loops = True
            if kind is ast.For and self.functions and self.functions[-1] and not self.facts.gathers_in_loop:
                self.facts.gathers_in_loop = _gathers(node.body)
            counter = "whiles" if kind is ast.While else "fors"
            setattr(self, counter, getattr(self, counter) + 1)
            self._children(node)
            setattr(self, counter, getattr(self, counter) - 1)
            return
        self._children(node)

    def _children(self, node: ast.AST) -> None:
        # `ast.iter_child_nodes`, without its two generators
        for field_name in node._fields:
            value = getattr(node, field_name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def _call(self, node: ast.Call, use: str) -> None:
        chain = _chain(node.func)
        name = chain[-1] if chain else (node.func.attr if isinstance(node.func, ast.Attribute) else None)
        receiver = None
        if isinstance(node.func, ast.Attribute):
            receiver = self._receiver(node.func.value)
        in_async = bool(self.functions) and self.functions[-1]
        timeout = "missing"
        for keyword in node.keywords:
            if keyword.arg is None or keyword.arg == "timeout":
                none = keyword.arg and isinstance(keyword.value, ast.Constant) and keyword.value.value is None
                timeout = "none" if none else "set"
                break
        if self.body is not None and type(node.func) is ast.Name:
            self.body.calls.add(node.func.id)
        self.raw_calls.append(
            (chain, name, use, in_async, self.fors > 0, self.whiles > 0, bool(self.functions), self.owner, receiver, timeout)
        )
        self.visit(node.func)
        for argument in (*node.args, *(keyword.value for keyword in node.keywords)):
            if type(argument) is ast.Call:
                self._call(argument, "consumed")
            else:
                self.visit(argument)

    def _receiver(self, value: ast.AST) -> str:
        """See `Call.receiver`."""
        held = _chain(value)
        if held:
            return held[-1]
        built = value.value if type(value) is ast.Await else value
        if type(built) is not ast.Call:
            return "?"
        self.results += 1
        name = f"(){self.results}"
        chain = _chain(built.func)
        method = receiver = None
        if isinstance(built.func, ast.Attribute):
            method, receiver = built.func.attr, self._receiver(built.func.value)
        self.raw_typed.append((name, self.owner, [chain] if chain else [], method, receiver))
        return name

    def _await(self, node: ast.Await) -> None:
        self.facts.has_async = True
        if self.body is not None:
            self.body.waits = True
        if isinstance(node.value, ast.Call):
            self._call(node.value, "awaited")
        else:
            self.visit(node.value)

    def _function(self, node: ast.AST) -> None:
        is_async = type(node) is ast.AsyncFunctionDef
        if is_async:
            self.facts.has_async = True
            self.facts.async_defs.add(node.name)
        if type(node) is not ast.Lambda:
            self.bindings.setdefault(node.name, set()).add(f"{self.module}.{node.name}")
            for decorator in node.decorator_list:
                self.visit(decorator)
            if node.returns is not None:
                self.visit(node.returns)
        owner = self.owner
        if type(node) is not ast.Lambda and owner is None and len(self.scopes) <= 1:
            # a module-level function or a method of a module-level class
            own = ".".join([*self.scopes, node.name])
            self.facts.functions[own] = is_async
        else:
            own = owner
        # defaults and annotations run outside the body; the parameters are the function's own
        args_owner, self.args_owner = self.args_owner, own
        self.visit(node.args)
        self.args_owner = args_owner
        self.owner = own
        self.functions.append(is_async)
        self.yields.append(False)
        outer = self.body
        if type(node) is not ast.Lambda:
            self.body = _Body(node.name, is_async)
            self.bodies.append(self.body)
        in_class_body, self.in_class_body = self.in_class_body, False
        loops, self.fors, self.whiles = (self.fors, self.whiles), 0, 0
        for statement in node.body if isinstance(node.body, list) else [node.body]:
            self.visit(statement)
        self.fors, self.whiles = loops
        if outer is not None and self.body is not outer:
            outer.loops_within |= self.body.loops_within
        self.body = outer
        self.in_class_body = in_class_body
        self.functions.pop()
        if is_async:
            if self.yields.pop():
                if own != owner:
                    self.facts.generators.add(own)
            else:
                self.facts.coroutine_defs.add(node.name)
                if not in_class_body:
                    self.facts.coroutine_functions.add(node.name)
        else:
            self.yields.pop()
        self.owner = owner

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.bindings.setdefault(alias.asname, set()).add(alias.name)
                else:
                    root = alias.name.split(".")[0]
                    self.bindings.setdefault(root, set()).add(root)
            return
        base = absolute_in(self.module, self.is_package, "." * node.level + (node.module or ""))
        for alias in node.names:
            if alias.name == "*":
                self.facts.star_import = True
                continue
            target = f"{base}.{alias.name}" if base else alias.name
            self.bindings.setdefault(alias.asname or alias.name, set()).add(target)

    def _assign(self, node: ast.Assign) -> None:
        """`name = other.name`: the name may stand for what the value stands for."""
        for target in node.targets:
            self._typed(target, value=node.value)
        value = _chain(node.value)
        if value is None:
            return
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.bindings.setdefault(target.id, set()).add("=" + ".".join(value))

    def _typed(
        self, target: ast.AST | None, annotation: ast.AST | None = None, value: ast.AST | None = None, scope: str | None = ""
    ) -> None:
        """Remember what a name may hold: what its annotation names, what
        built its value (a call, awaited or not), or the annotation a value
        spells (`ClientDep = Annotated[httpx.AsyncClient, ...]`). A bare name
        bound in a function is that function's (`scope`, by default where
        the binding is); an attribute, or a name declared global, is the file's."""
        if isinstance(target, ast.Name):
            name = target.id
            scope = self.owner if scope == "" else scope
            if name in self.global_names:
                scope = None
        elif isinstance(target, ast.Attribute):
            name, scope = target.attr, None
        else:
            return
        chains, method, receiver = [], None, None
        if isinstance(value, ast.Await):
            value = value.value
        if isinstance(value, ast.Call):
            built = _chain(value.func)
            chains = [built] if built else []
            if isinstance(value.func, ast.Attribute):
                method = value.func.attr
                receiver = self._receiver(value.func.value)
        elif isinstance(value, (ast.Subscript, ast.BinOp)):
            annotation = value if annotation is None else ast.Tuple([annotation, value])
        if annotation is not None:
            chains += [c for c in map(_chain, ast.walk(annotation)) if c is not None]
        if chains or method:
            self.raw_typed.append((name, scope, chains, method, receiver))

    # ---------------------------------------------------------- resolve
    def finish(self) -> FileFacts:
        facts = self.facts
        resolved = {chain: self._resolve(chain) for chain in self.chains}  # call names are chains too
        for found in resolved.values():
            facts.refs.update(found)
        for chain, *rest in self.raw_calls:
            for qualname in (resolved[chain] if chain else None) or [None]:
                facts.calls.append(Call(qualname, *rest))
        self._resolve_typed(resolved)
        for chain in filter(None, self.raw_guards):
            facts.idle_guards.update(resolved.get(chain) or self._resolve(chain))
        looping = {body.name for body in self.bodies if not body.is_async and body.loops_within}
        facts.idle_async_work = any(
            body.is_async and not body.waits and (body.loops or not body.calls.isdisjoint(looping)) for body in self.bodies
        )
        for chains in self.raw_handlers:
            facts.handlers_in_async.append(set().union(*(resolved[c] for c in chains)) if chains is not None else None)
        return facts

    def _resolve_typed(self, resolved: dict) -> None:
        """`FileFacts.typed`, following names that hold a type alias
        (`ClientDep = Annotated[httpx.AsyncClient, ...]`, then `client: ClientDep`)."""
        facts = self.facts
        for _ in range(3):
            for name, scope, chains, method, receiver in self.raw_typed:
                into = facts.typed if scope is None else facts.typed_in.setdefault(scope, {})
                held = into.setdefault(name, set())
                for chain in chains:
                    held |= resolved.get(chain) or self._resolve(chain)
                    if len(chain) == 1:  # an alias of a type, or calling an instance (`SessionLocal()`)
                        held |= facts.held(chain[0], scope)
                for owner, result in _METHOD_RESULTS.get(method, ()):
                    # `resp = client.get(...)` holds a response if `client` may hold a client
                    if receiver == "?" or facts.star_import or owner in _built_by(facts.held(receiver, scope)):
                        held.add(result)

    def _resolve(self, chain: tuple[str, ...]) -> set[str]:
        out = set()
        for base in self._meanings(chain[0], set()):
            name = canonical(base)
            for attr in chain[1:]:
                name = canonical(f"{name}.{attr}")
            out.add(name)
        return out

    def _meanings(self, name: str, seen: set[str]) -> set[str]:
        """Everything a name may stand for: imports, aliases, local defs, builtins."""
        if name in seen:
            return set()
        seen.add(name)
        out = {f"builtins.{name}"} if name in _BUILTINS else set()
        for target in self.bindings.get(name, ()):
            if target.startswith("="):
                head, *rest = target[1:].split(".")
                out.update(".".join([meaning, *rest]) for meaning in self._meanings(head, seen))
            else:
                out.add(target)
        return out


@dataclass
class _Body:
    """What the screen keeps of a def's own body (nested defs apart)."""

    name: str
    is_async: bool
    waits: bool = False  # `await`, `async for`, `async with`, an async comprehension
    loops: bool = False  # a `for` or `while`
    loops_within: bool = False  # ... or one in a nested def
    calls: set[str] = field(default_factory=set)  # the bare names it calls


def _built_by(held: set[str]) -> set[str]:
    """The types a value may have when `held` names what built it (a class,
    or a factory such as `ThreadPoolExecutor` giving an `Executor`), calling
    the value included (`SessionLocal()` with `SessionLocal = async_sessionmaker(...)`)."""
    types, pending = set(), list(held)
    while pending:
        name = pending.pop()
        if name not in types:
            types.add(name)
            pending += [t for t in (RESULT_TYPES.get(name), RESULT_TYPES.get(f"{name}.__call__")) if t is not None]
    return types


_NOT_THE_LOOPS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_EXITS = (ast.Break, ast.Continue, ast.Return, ast.Yield, ast.YieldFrom)
_COLLECTORS = frozenset({"append", "add", "extend"})


def _gathers(body: list[ast.stmt]) -> bool:
    """See `FileFacts.gathers_in_loop`."""
    awaits, collects, pending = 0, False, list(body)
    while pending:
        node = pending.pop()
        kind = type(node)
        if kind in _NOT_THE_LOOPS:
            continue
        if kind in _EXITS:
            return False
        if kind is ast.Await:
            awaits += 1
        elif (kind is ast.Subscript and type(node.ctx) is ast.Store) or (
            kind is ast.Call and type(node.func) is ast.Attribute and node.func.attr in _COLLECTORS
        ):
            collects = True
        pending.extend(ast.iter_child_nodes(node))
    return awaits == 1 and collects


def _suspends(body: list[ast.stmt]) -> bool:
    """Whether a block (nested defs aside) awaits, or has an `async for` or `async with`."""
    pending = list(body)
    while pending:
        node = pending.pop()
        kind = type(node)
        if kind in _NOT_THE_LOOPS:
            continue
        if kind is ast.Await or kind is ast.AsyncFor or kind is ast.AsyncWith or (kind is ast.comprehension and node.is_async):
            return True
        pending.extend(ast.iter_child_nodes(node))
    return False


def _raises_first(body: list[ast.stmt]) -> bool:
    """Whether a block surely raises: a `raise` comes before any `return`,
    `break` or `continue` among its own statements."""
    for statement in body:
        if isinstance(statement, ast.Raise):
            return True
        if isinstance(statement, (ast.Return, ast.Break, ast.Continue)):
            return False
    return False


def _caught(expr: ast.expr | None) -> list[tuple[str, ...]] | None:
    """The name chains an `except` clause names; None for a bare `except`
    or an expression we cannot follow."""
    if expr is None:
        return None
    chains = [_chain(element) for element in (expr.elts if isinstance(expr, ast.Tuple) else [expr])]
    return None if any(chain is None for chain in chains) else chains


def _chain(node: ast.AST) -> tuple[str, ...] | None:
    """`a.b.c` as ("a", "b", "c"); None when the chain does not start at a name."""
    attrs = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return (node.id, *reversed(attrs))


# ------------------------------------------------------------- sources
def _is_type(name: str) -> bool:
    return name in _RESULT_VALUES or name in PATH_TYPES or name.rsplit(".", 1)[-1][:1].isupper()


_RESULT_VALUES = frozenset(RESULT_TYPES.values())
# method name -> (the type that has it, the type it returns): `get` -> (`httpx.AsyncClient`, `httpx.Response`)
_METHOD_RESULTS: dict[str, set[tuple[str, str]]] = {}
for _builder, _result in RESULT_TYPES.items():
    _owner, _, _method = _builder.rpartition(".")
    if _owner and _is_type(_owner):
        _METHOD_RESULTS.setdefault(_method, set()).add((_owner, _result))


@cache
def reachable(names: frozenset[str]) -> frozenset[str]:
    """The names a file must refer to for a call of one of `names` to be
    resolvable: the names themselves, and for methods (`httpx.Client.get`,
    or `boto3.Client.*` for a whole type) the type and whatever builds it."""
    out = {name for name in names if not name.endswith(".*")}
    pending = [name.rsplit(".", 1)[0] for name in names if "." in name]
    pending = [owner for owner in pending if _is_type(owner)]
    seen: set[str] = set()
    while pending:
        owner = pending.pop()
        if owner in seen:
            continue
        seen.add(owner)
        out.add(owner)
        for builder, result in RESULT_TYPES.items():
            if result == owner:
                out.add(builder)
                maker = builder.rsplit(".", 1)[0] if "." in builder else ""
                # a method's result needs its type; calling an instance (`__call__`) needs the instance
                if maker and (_is_type(maker) or builder.endswith(".__call__")):
                    pending.append(maker)
    return frozenset(out)


def blocking_callables(codes: frozenset[str], settings) -> Callables:
    """What the blocking tables report under these codes, the user's
    `extend-blocking-calls` included."""
    from asynclint.knowledge import blocking

    names = set().union(*(blocking.callables_of(code) for code in codes))
    if settings is not None:
        names.update(extra.qualname for extra in settings.extend_blocking_calls if extra.code in codes)
    return callables(frozenset(names))


class ProjectFacts:
    """The screen's view of other project modules: their facts from the
    stdlib parser, read on demand (module files are found by the project
    index, which parses nothing for that)."""

    def __init__(self, index, blocking: Callables) -> None:
        self.index = index
        self.wanted = blocking  # what counts as blocking for AL109's chains
        self.modules: dict[tuple[str, str], FileFacts | None] = {}  # (absolute path, module name) -> facts
        self.states: dict[tuple[str, str], list[int] | None] = {}  # ... and its file's state when read
        # (module file, function) -> (may it block, the module files that answer rests on)
        self.blocking: dict[tuple[Path, str], tuple[bool, frozenset[Path]]] = {}
        # Module files the current file's screen read (for the cache): path -> module name
        self.consulted: dict[str, str] = {}
        self.module_names: dict[Path, str] = {}

    def _facts(self, path: Path, module: str) -> FileFacts | None:
        key = (os.path.abspath(path), module)
        if key not in self.modules:
            state = self.states[key] = file_state(str(path))
            store = self.index.store  # facts of unchanged modules are read, not parsed again
            facts = store.load_facts(str(path), module) if store is not None else None
            if facts is None:
                try:
                    source = path.read_bytes()
                except OSError:
                    source = None
                facts = facts_of(source, module, path.name == "__init__.py") if source is not None else None
                if facts is not None and store is not None:
                    store.save_facts(str(path), module, facts, state)
            self.modules[key] = facts
        return self.modules[key]

    def remember(self, path: str, module: str, facts: FileFacts, state: list[int] | None = None) -> None:
        """The facts of a file the run has screened (no second parse when
        another file asks); `state` is its file's when it was read from disk."""
        key = (os.path.abspath(path), module)
        self.modules[key] = facts
        self.states[key] = state

    def function(self, qualname: str, near: str) -> tuple[Path, FileFacts, str] | None:
        """The module file, its facts and the relative name of a project function."""
        parts = qualname.split(".")
        for split in range(len(parts) - 1, 0, -1):
            module = ".".join(parts[:split])
            path = self.index.module_file(module, near)
            if path is not None:
                self.consulted[os.path.abspath(path)] = module
                self.module_names[path] = module
                facts = self._facts(path, module)
                name = ".".join(parts[split:])
                return (path, facts, name) if facts is not None and name in facts.functions else None
        return None

    def is_coroutine(self, qualname: str, near: str) -> bool:
        found = self.function(qualname, near)
        if found is not None and self._is_own(found[0], near):
            return True  # the file being checked may differ from the disk (an editor's buffer)
        return found is not None and found[1].gives_coroutine(found[2])

    def reaches_blocking(self, qualname: str, near: str) -> bool:
        found = self.function(qualname, near)
        if found is None:
            return False
        if self._is_own(found[0], near):
            return True  # see is_coroutine
        touched: set[Path] = set()
        result = self._reaches(*found, self.wanted, _Walk(), touched)
        self.consulted.update({os.path.abspath(p): self.module_names[p] for p in touched})
        return result

    def reaches_blocking_here(self, path: str, facts: FileFacts, name: str) -> bool:
        """Whether a sync function of the file being checked (given by its
        facts, which may be newer than the disk) called `name` may block."""
        here = Path(path)
        touched: set[Path] = set()
        found = any(
            self._reaches(here, facts, local, self.wanted, _Walk(), touched)
            for local in facts.functions_named(name)
            if not facts.functions[local]
        )
        touched.discard(here)
        self.consulted.update({os.path.abspath(p): self.module_names[p] for p in touched})
        return found

    @staticmethod
    def _is_own(path: Path, near: str) -> bool:
        return os.path.abspath(path) == os.path.abspath(near)

    def digest(self, path: str, module: str) -> str | None:
        """The digest of a module's facts as the file reads now."""
        key = (os.path.abspath(path), module)
        state = self.states.get(key)
        if state is None or state != file_state(path):
            self.modules.pop(key, None)  # read it again
        facts = self._facts(Path(path), module)
        return facts.digest() if facts is not None else None

    def _reaches(self, path: Path, facts: FileFacts, name: str, wanted: Callables, walk: _Walk, touched: set) -> bool:
        """Whether a sync function may reach a blocking call: directly, through
        a project function it names, or through any function of its module
        with the name it calls (`self.helper()`). A depth-first search over
        one question (`walk`); each function is explored once in it."""
        key = (path, name)
        touched.add(path)
        if key in self.blocking:
            found, paths = self.blocking[key]
            touched.update(paths)
            return found
        if facts.functions[name]:
            return False
        if key in walk.depth:  # on the path being explored: a cycle
            walk.low = min(walk.low, walk.depth[key])
            return False
        if key in walk.explored:  # no by the time it was explored, resting on the same cycles
            low, paths = walk.explored[key]
            walk.low = min(walk.low, low)
            touched.update(paths)
            return False
        depth = walk.depth[key] = len(walk.depth)
        outer_low, walk.low = walk.low, depth
        mine: set[Path] = {path}
        calls = [call for call in facts.calls_in(name) if not call.awaited]
        found = facts.may_call(wanted, lambda call: True, calls)
        for call in calls:
            if found:
                break
            if call.qualname is not None and not call.qualname.startswith("builtins."):
                other = self.function(call.qualname, str(path))
                found = other is not None and self._reaches(*other, wanted, walk, mine)
            if not found and call.name is not None:
                found = any(self._reaches(path, facts, local, wanted, walk, mine) for local in facts.functions_named(call.name))
        del walk.depth[key]
        low, walk.low = walk.low, min(outer_low, walk.low)
        touched.update(mine)
        if found or low >= depth:
            # a yes holds anywhere; so does a no that leaned on no function explored before this one
            self.blocking[key] = (found, frozenset(mine))
        else:
            walk.explored[key] = (low, frozenset(mine))
        return found


@dataclass
class _Walk:
    """One question's depth-first search (see `ProjectFacts._reaches`)."""

    depth: dict[tuple[Path, str], int] = field(default_factory=dict)  # the path being explored
    # no, resting on a cycle through this depth; the module files that answer read
    explored: dict[tuple[Path, str], tuple[int, frozenset[Path]]] = field(default_factory=dict)
    low: int = 0  # the shallowest depth the current exploration leaned on


class Lookups:
    """What screens may ask beyond the file: the project's functions (through
    the run's project index) and the user's own blocking calls."""

    def __init__(self, project: ProjectFacts | None, path: str, module: str, settings) -> None:
        self.project = project
        self.path = path
        self.own_prefix = module + "."
        self.settings = settings
        # Asking another module may mean parsing it. While `assume` is set,
        # such questions are answered yes without asking, and `assumed`
        # records that an answer rests on that.
        self.assume = False
        self.assumed = False

    def blocking(self, codes: frozenset[str]) -> Callables:
        return blocking_callables(codes, self.settings)

    def _elsewhere(self, qualname: str | None) -> bool:
        """A name that may belong to another module of the project."""
        return (
            qualname is not None
            and self.project is not None
            and not qualname.startswith(("builtins.", self.own_prefix))
        )

    def _ask(self, question: Callable[[], bool]) -> bool:
        """The answer to a question about the project's modules, or yes while `assume` is set."""
        if self.assume:
            self.assumed = True
            return True
        return question()

    def reaches_blocking(self, qualname: str | None) -> bool:
        return self._elsewhere(qualname) and self._ask(lambda: self.project.reaches_blocking(qualname, self.path))

    def reaches_blocking_here(self, facts: FileFacts, name: str | None) -> bool:
        """Whether a function of this file called `name` may reach a blocking call."""
        return (
            name is not None
            and self.project is not None
            and self._ask(lambda: self.project.reaches_blocking_here(self.path, facts, name))
        )

    def is_project_coroutine(self, qualname: str | None) -> bool:
        return self._elsewhere(qualname) and self._ask(lambda: self.project.is_coroutine(qualname, self.path))
