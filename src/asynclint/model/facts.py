"""What the model keeps of one module, and its JSON form.

Everything is keyed by name: a scope by the dotted path of the defs and
classes around it (`""` for the module, `helper`, `Client.fetch`,
`outer.inner`, `outer.<lambda>`), a binding by its scope and name. Both
passes can name what they ask about this way, whichever tree they read.
Nothing here is resolved: the resolver (`asynclint.model.resolve`) answers
what names and calls are, so the stored facts stay small and one
resolver serves both passes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from asynclint.model.expr import Expr, from_json

# Bumped whenever the stored form changes, so that a store never hands back a model of another shape.
MODEL_FORMAT = 8

# How a name gets its value: the kind, its own data, and last the binding's
# number in the module, in source order (what was bound before it is what
# its value sees; a libcst rule counts the bindings it has passed):
#   ("import", "pkg.mod.name")           import, absolute
#   ("value", <expr>, module_level)      `x = <expr>`, `x := <expr>`
#   ("entered", <expr>, is_async)        `with <expr> as x` (`async with` when is_async)
#   ("annotated", <ann>, <expr>, module_level)   `x: <ann> = <expr>`
#   ("param", <ann>, outer, provider)    a parameter: its annotation (evaluated in the scope `outer`
#                                        around the def) and, for `x=Depends(get_db)`, the provider
#                                        as ("depends", <Depends expr>, <provider expr>), else None
#   ("iter", <expr>)                     a `for` (or comprehension) target: an element of <expr>
#   ("def", is_async, key)               a def (`key` of its scope)
#   ("class", key)
#   ("unknown",)                         anything else: loop targets, `except ... as`, `+=`, ...
Bound = tuple


def def_name(name: str, decorators: list[Expr | None]) -> str:
    """The name a def's scope is keyed by: its own, but `x:setter` / `x:deleter`
    for the setter or deleter of a property `x`, which are not the getter."""
    for decorator in decorators:
        if decorator is not None and decorator[0] == "attr" and decorator[1] == ("name", name):
            if decorator[2] in ("setter", "deleter"):
                return f"{name}:{decorator[2]}"
    return name


@dataclass
class Scope:
    kind: str  # "module", "function", "lambda" or "class"
    bindings: dict[str, list[Bound]] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)  # `global` / `nonlocal`: bound elsewhere


@dataclass
class Function:
    key: str
    is_async: bool
    line: int
    is_generator: bool = False  # a `yield` in its own body: an async one gives an async generator
    decorators: list[Expr | None] = field(default_factory=list)
    returns: Expr | None = None  # its return annotation
    returned: list[Expr | None] = field(default_factory=list)  # what its `return`s give (`("none",)`: nothing)
    yielded: list[Expr | None] = field(default_factory=list)  # what its `yield`s give (a FastAPI dependency's value)


@dataclass
class Class:
    key: str
    bases: list[Expr | None] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    # What sets each attribute: class-level `x: T` / `x = v`, and `self.x = v` / `self.x: T` in its methods,
    # in source order, each as [scope key where it is evaluated, Bound ("annotated" or "value")].
    attributes: dict[str, list[list]] = field(default_factory=dict)
    # Class-level fields that name another class, as Django's relations do
    # (`user = ForeignKey(User, related_name="orders")`, `ForeignKey("shop.User")`):
    # [attribute, the field's callee, the class named (an expression, or a string), the `related_name` or None].
    relations: list[list] = field(default_factory=list)


@dataclass
class CallSite:
    func: Expr | None  # what is called (None: a shape the model cannot follow)
    name: str | None  # the last name written (`get` in `self.client.get(...)`)
    # "awaited" (`await f()`), "consumed" (`g(f())`, `with f():`), "returned"
    # (`return f()`), "dropped" (`f()` alone), "stored" (`x = f()`), "kept"
    # (`self.x = f()`, `yield f()`) or "other" (anything else); see `MAY_BE_UNUSED`
    use: str
    in_async: bool  # the innermost function is an `async def`
    in_for: bool  # inside a `for` (or `async for`) of the innermost function
    in_while: bool  # inside a `while` of the innermost function
    in_function: bool  # inside any function or lambda
    scope: str  # the key of the innermost scope it is made in
    timeout: str = "set"  # `timeout=`: "missing" (and no `**kwargs`), "none" (`timeout=None`) or "set"
    line: int = 0
    column: int = 0  # in bytes, as Python's parser counts
    seq: int = 0  # how many bindings of the module come before it (see `Bound`)
    # a method of an object its scope set non-blocking before (`sock.setblocking(False)`): it
    # raises rather than waits
    unblocked: bool = False
    conditional: bool = False  # on some paths only: in an `if`, `except`, `case`, `and` / `or` of its function
    # the first positional argument of a dependency marker (`Depends(get_db)`: its provider), else None
    provider: Expr | None = None

    @property
    def awaited(self) -> bool:
        return self.use == "awaited"


# Uses of a call's value that may leave it unused (a rule follows a stored name further).
MAY_BE_UNUSED = frozenset({"dropped", "stored", "other"})


@dataclass
class ModuleModel:
    module: str  # its dotted name, which qualifies its own functions and classes
    is_package: bool = False
    scopes: dict[str, Scope] = field(default_factory=dict)
    functions: dict[str, Function] = field(default_factory=dict)
    classes: dict[str, Class] = field(default_factory=dict)
    calls: list[CallSite] = field(default_factory=list)
    imported: set[str] = field(default_factory=set)  # every module or name the module's own imports name
    stars: list[str] = field(default_factory=list)  # modules whose names `from m import *` brings in
    public: list[str] | None = None  # the names `__all__` lists, when it is a literal list of strings
    # Attributes read in `async def`s (not called, not assigned), once per scope: [expr, scope key].
    # A read may run a project property's getter (AL109).
    reads: list[list] = field(default_factory=list)
    writes: list[list] = field(default_factory=list)  # attributes assigned there: may run a setter
    enters: list[list] = field(default_factory=list)  # what plain `with`s there enter: may run an `__enter__`
    # The literal keywords of a call the knowledge asks about (`KEYWORDS_KEPT_FOR`), assigned at module
    # level (`SessionLocal = async_sessionmaker(engine, expire_on_commit=False)`) or in a class body
    # (`Parent.children = relationship(lazy="selectin")`): name -> for each such assignment, keyword ->
    # its value (a string, number or bool; None when it is no literal, and under "**" for `**kwargs`).
    keywords: dict[str, list[dict]] = field(default_factory=dict)
    # Syntax nodes a rule's first look asked for (`build_model`'s `gather`): node type ->
    # (node, its scope's key, whether the innermost function is an `async def`). Not stored.
    nodes: dict[type, list[tuple[object, str, bool]]] = field(default_factory=dict, repr=False, compare=False)
    _calls_by_scope: dict[str, list[CallSite]] | None = field(default=None, repr=False, compare=False)

    @property
    def prefix(self) -> str:
        """How qualified names of this module's own definitions start."""
        return self.module or "<module>"

    def calls_in(self, scope: str) -> list[CallSite]:
        if self._calls_by_scope is None:
            self._calls_by_scope = {}
            for call in self.calls:
                self._calls_by_scope.setdefault(call.scope, []).append(call)
        return self._calls_by_scope.get(scope, [])

    # ------------------------------------------------------------ JSON
    def to_json(self) -> dict:
        return {
            "module": self.module,
            "is_package": self.is_package,
            "scopes": {
                key: {"kind": s.kind, "bindings": s.bindings, "global_names": sorted(s.global_names)}
                for key, s in self.scopes.items()
            },
            # (`vars`, not `asdict`: the values are JSON already, and asdict copies them deeply)
            "functions": {key: vars(function) for key, function in self.functions.items()},
            "classes": {key: vars(cls) for key, cls in self.classes.items()},
            "calls": [list(vars(call).values()) for call in self.calls],
            "imported": sorted(self.imported),
            "stars": self.stars,
            "public": self.public,
            "reads": self.reads,
            "writes": self.writes,
            "enters": self.enters,
            "keywords": self.keywords,
        }

    @classmethod
    def from_json(cls, data: dict) -> ModuleModel:
        model = cls(data["module"], data["is_package"])
        for key, s in data["scopes"].items():
            bindings = {name: [from_json(b) for b in found] for name, found in s["bindings"].items()}
            model.scopes[key] = Scope(s["kind"], bindings, set(s["global_names"]))
        for key, f in data["functions"].items():
            model.functions[key] = Function(
                **{
                    **f,
                    "decorators": [from_json(d) for d in f["decorators"]],
                    "returns": from_json(f["returns"]),
                    "returned": [from_json(r) for r in f["returned"]],
                    "yielded": [from_json(y) for y in f["yielded"]],
                }
            )
        for key, c in data["classes"].items():
            bases = [from_json(b) for b in c["bases"]]
            attributes = {n: [[scope, from_json(b)] for scope, b in found] for n, found in c["attributes"].items()}
            relations = [[name, from_json(func), from_json(target), related] for name, func, target, related in c["relations"]]
            model.classes[key] = Class(key, bases, c["methods"], attributes, relations)
        model.calls = [CallSite(from_json(values[0]), *values[1:-1], from_json(values[-1])) for values in data["calls"]]
        model.imported = set(data["imported"])
        model.stars, model.public = data["stars"], data["public"]
        model.reads = [[from_json(expr), scope] for expr, scope in data["reads"]]
        model.writes = [[from_json(expr), scope] for expr, scope in data["writes"]]
        model.enters = [[from_json(expr), scope] for expr, scope in data["enters"]]
        model.keywords = data["keywords"]
        return model
