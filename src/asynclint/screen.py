"""A first look at a file with Python's own parser: which rules could fire.

libcst's parse is the largest cost of a check, and most files of a project
hold no finding. The standard library's `ast` parses about ten times
faster. From its tree we collect what the rules' findings start from: the
qualified names the file refers to (through its imports, as the context
resolves them), its calls and whether each is awaited, and a few shapes
(an `await` in a loop, a bare `except` in async code). Each rule's `screen`
answers from these facts whether it could fire; a file no rule could fire
on is never given to libcst.

A screen may say yes when the rule then finds nothing, never the reverse:
every answer over-approximates (a name bound anywhere in the file counts
everywhere; a method of a known type counts when the type is named at all).
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from asynclint.knowledge.types import PATH_TYPES, RESULT_TYPES, canonical
from asynclint.summary import absolute_in

_BUILTINS = frozenset(dir(builtins))
_LOOPS = (ast.For, ast.While)


@dataclass
class Call:
    qualname: str | None  # canonical, when the callee is a name or attribute chain that resolves
    name: str | None  # the last name written (`get` in `self.client.get(...)`)
    use: str  # "awaited" (`await f()`), "argument" (`g(f())`) or "other"
    in_async: bool  # the innermost function is an `async def`
    in_loop: bool  # inside a plain `for`/`while` of the innermost function

    @property
    def awaited(self) -> bool:
        return self.use == "awaited"


@dataclass(frozen=True)
class Callables:
    """A set of qualified callables as a screen looks for them: a call of one
    is either spelled out (`requests.get`) or is a method (`.get`) of a type
    the file names somewhere (`requests.Session`)."""

    names: frozenset[str]
    methods: frozenset[str]
    types: frozenset[str]


@cache
def callables(names: frozenset[str]) -> Callables:
    methods = frozenset(name.rsplit(".", 1)[-1] for name in names if "." in name)
    return Callables(names, methods, reachable(names) - names)


@dataclass
class FileFacts:
    refs: set[str] = field(default_factory=set)  # canonical qualified names referred to
    calls: list[Call] = field(default_factory=list)
    async_defs: set[str] = field(default_factory=set)  # names of every `async def`
    attributes: set[str] = field(default_factory=set)  # every attribute name used
    has_async: bool = False  # an `async def` (or an async construct at module level)
    star_import: bool = False  # `from m import *`: names we cannot see
    has_loop: bool = False  # a `for` or `while` anywhere
    bare_except_in_async: bool = False

    def mentions(self, sources: frozenset[str]) -> bool:
        """Whether the file could reach one of the names (see `reachable`)."""
        return self.star_import or not self.refs.isdisjoint(sources)

    def may_call(self, wanted: Callables, where: Callable[[Call], bool]) -> bool:
        """Whether a call the filter accepts may be one of `wanted`."""
        typed = self.mentions(wanted.types)
        anything = typed and "*" in wanted.methods
        for call in self.calls:
            if where(call) and (
                call.qualname in wanted.names or (typed and (anything or call.name in wanted.methods))
            ):
                return True
        return False


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
        self.facts = FileFacts()
        self.bindings: dict[str, set[str]] = {}  # local name -> what it may stand for
        self.chains: list[tuple[str, ...]] = []  # every name / attribute chain, as written
        self.raw_calls: list[tuple[tuple[str, ...] | None, str | None, str, bool, bool]] = []
        self.functions: list[bool] = []  # is each enclosing function async
        self.loops = 0  # plain loops inside the innermost function

    # ------------------------------------------------------------- walk
    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        if kind is ast.Name or kind is ast.Attribute:
            chain = _chain(node)
            if chain is not None:
                self.chains.append(chain)
                if kind is ast.Attribute:
                    self.facts.attributes.update(chain[1:])
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
        elif kind is ast.Import or kind is ast.ImportFrom:
            self._import(node)
        elif kind is ast.Assign:
            self._assign(node)
        elif kind is ast.ExceptHandler:
            if node.type is None and self.functions and self.functions[-1]:
                self.facts.bare_except_in_async = True
        elif kind in (ast.AsyncFor, ast.AsyncWith) or (kind is ast.comprehension and node.is_async):
            self.facts.has_async = True
        elif kind in _LOOPS:
            self.facts.has_loop = True
            self.loops += 1
            for child in ast.iter_child_nodes(node):
                self.visit(child)
            self.loops -= 1
            return
        for child in ast.iter_child_nodes(node):
            self.visit(child)

    def _call(self, node: ast.Call, use: str) -> None:
        chain = _chain(node.func)
        name = chain[-1] if chain else (node.func.attr if isinstance(node.func, ast.Attribute) else None)
        in_async = bool(self.functions) and self.functions[-1]
        self.raw_calls.append((chain, name, use, in_async, self.loops > 0))
        self.visit(node.func)
        for argument in (*node.args, *(keyword.value for keyword in node.keywords)):
            if type(argument) is ast.Call:
                self._call(argument, "argument")
            else:
                self.visit(argument)

    def _await(self, node: ast.Await) -> None:
        self.facts.has_async = True
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
        self.visit(node.args)  # defaults and annotations run outside the body
        self.functions.append(is_async)
        loops, self.loops = self.loops, 0
        for statement in node.body if isinstance(node.body, list) else [node.body]:
            self.visit(statement)
        self.loops = loops
        self.functions.pop()

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
        value = _chain(node.value)
        if value is None:
            return
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.bindings.setdefault(target.id, set()).add("=" + ".".join(value))

    # ---------------------------------------------------------- resolve
    def finish(self) -> FileFacts:
        facts = self.facts
        for chain in self.chains:
            facts.refs.update(self._resolve(chain))
        for chain, name, use, in_async, in_loop in self.raw_calls:
            for qualname in (self._resolve(chain) if chain else None) or [None]:
                facts.calls.append(Call(qualname, name, use, in_async, in_loop))
        return facts

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


class Lookups:
    """What screens may ask beyond the file: the project's functions (through
    the run's project index) and the user's own blocking calls."""

    def __init__(self, index, path: str, module: str, settings) -> None:
        self.index = index
        self.path = path
        self.own_prefix = module + "."
        self.settings = settings
        # Asking another module may mean parsing it. While `assume` is set,
        # such questions are answered yes without asking, and `assumed`
        # records that an answer rests on that.
        self.assume = False
        self.assumed = False

    def blocking(self, codes: frozenset[str]) -> Callables:
        from asynclint.knowledge import blocking

        names = set().union(*(blocking.callables_of(code) for code in codes))
        if self.settings is not None:
            names.update(extra.qualname for extra in self.settings.extend_blocking_calls if extra.code in codes)
        return callables(frozenset(names))

    def _elsewhere(self, qualname: str | None) -> bool:
        """A name that may belong to another module of the project."""
        return (
            qualname is not None
            and self.index is not None
            and not qualname.startswith(("builtins.", self.own_prefix))
        )

    def reaches_blocking(self, qualname: str | None) -> bool:
        if not self._elsewhere(qualname):
            return False
        if self.assume:
            self.assumed = True
            return True
        return self.index.reaches_blocking(qualname, self.path)

    def is_project_coroutine(self, qualname: str | None) -> bool:
        if not self._elsewhere(qualname):
            return False
        if self.assume:
            self.assumed = True
            return True
        return self.index.is_coroutine(qualname, self.path)
