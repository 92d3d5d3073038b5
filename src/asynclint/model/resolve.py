"""The one resolver: what a name, an attribute chain or a call is, asked
in a scope of a module's model.

Every answer is the set of what the expression may be, `None` standing for
"something the model cannot tell". A name bound several times in a scope
may hold any of its values; libcst rules take an answer only when it is
certain (`one`: a single meaning, nothing unknown), the first look asks
whether any meaning could interest a rule (`known`). Both read the same
sets, so the first look can never rule out what a rule would find.

Names are resolved the way Python scopes them: a function's own names
first (anywhere in its body: bound there, a name is local throughout),
then the enclosing functions', the module's, the builtins; class bodies are
not visible from their methods, `global` and `nonlocal` names skip to the
module. `self` and `cls` in a method are the class. A value's type comes
from the knowledge tables (`client = httpx.Client()`), from an annotation
(`session: Session`) or from a class of the module.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from asynclint.knowledge.coroutines import (
    PRESERVING_DECORATORS,
    ROUTE_DECORATOR_METHODS,
)
from asynclint.knowledge.types import PATH_TYPES, RESULT_TYPES, canonical
from asynclint.model.expr import Expr
from asynclint.model.facts import CallSite, Function, ModuleModel

BUILTIN_NAMES = frozenset(dir(builtins))
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated", "typing.Optional"})


@dataclass(frozen=True)
class Binding:
    """What a name is bound to: an import (`target` is its qualified name),
    an instance or a type alias (`target` is the type), a def (`function`
    is its key; `target` its name at module level) or a class."""

    kind: str  # "import", "instance", "alias", "function", "async_function", "class", "other" (or "none", "unbound")
    target: str = ""
    annotated: bool = False  # the type comes from an annotation, not from a constructor
    function: str | None = None


UNKNOWN = Binding("other")
_NONE = Binding("none")
_UNBOUND = Binding("unbound")
Answer = frozenset  # of qualified names, None among them when something is unknown
_UNKNOWN_ANSWER: Answer = frozenset({None})


def one(answer: Answer):
    """The answer when it is certain: a single meaning, nothing unknown."""
    if len(answer) == 1:
        for only in answer:
            return only
    return None


def known(answer: Answer) -> frozenset:
    """What the answer may be, the unknown left out."""
    return answer - _UNKNOWN_ANSWER


# Which of a scope's bindings of a name are in effect where a question is asked:
#   None            any of them (the first look), or one of an outer scope before them
#   an int n        those numbered below n (a binding's value sees what was bound before it)
#   a dict          (scope, name) -> how many are in effect (a libcst rule's place in its traversal)
State = int | dict | None


class Resolver:
    def __init__(self, model: ModuleModel) -> None:
        self.model = model
        self.prefix = model.prefix
        self._meanings: dict[tuple[str, int], Binding] = {}
        self._module: dict[str, Binding] = {}
        self._answers: dict[tuple, Answer] = {}
        self._in_progress: set[tuple[str, int]] = set()
        self._may_bindings: dict[tuple[str, str], frozenset[Binding]] = {}
        self._visible_from: dict[str, list[str]] = {}
        self._module_classes = frozenset(key for key in model.classes if "." not in key)

    # ------------------------------------------------------------ names
    def bindings(self, scope: str, name: str, state: State = None) -> frozenset[Binding]:
        """What a bare name used in a scope may be bound to (empty: unbound,
        a builtin or nothing). A module's bindings of a name count as one
        (`_module_binding`); in a def or class body the latest one in effect
        counts, and before the first the name is looked up further out."""
        if state is None:
            memo = self._may_bindings.get((scope, name))
            if memo is None:
                memo = self._may_bindings[(scope, name)] = self._bindings(scope, name, None)
            return memo
        return self._bindings(scope, name, state)

    def _bindings(self, scope: str, name: str, state: State) -> frozenset[Binding]:
        found: set[Binding] = set()
        scopes = self.model.scopes
        for key in self._visible(scope):
            own = scopes.get(key)
            if own is None:
                continue
            if name in own.global_names:
                key, own = "", scopes[""]
            bounds = own.bindings.get(name)
            if not bounds:
                if key == "":
                    break
                continue
            if key == "":
                found.add(self._module_binding(name))
                return frozenset(found)
            if state is None:
                found.update(self._meaning(key, bound) for bound in bounds)
                continue
            count = state.get((key, name), 0) if isinstance(state, dict) else sum(b[-1] < state for b in bounds)
            if count:
                return frozenset({self._meaning(key, bounds[count - 1]) if count <= len(bounds) else UNKNOWN})
        if found:
            found.add(_UNBOUND)  # used before its first binding
        return frozenset(found)

    def binding(self, scope: str, name: str, state: State = None) -> Binding | None:
        """The name's binding when it is certain; None when it is unbound."""
        found = self.bindings(scope, name, state) - {_UNBOUND}
        if not found:
            return None
        return one(found) or UNKNOWN

    def _visible(self, scope: str) -> list[str]:
        """The scopes a name used in `scope` is looked up in, innermost first."""
        found = self._visible_from.get(scope)
        if found is None:
            found = self._visible_from[scope] = self._lookup_order(scope)
        return found

    def _lookup_order(self, scope: str) -> list[str]:
        out = [scope]
        key = scope
        while key:
            key = key.rpartition(".")[0]
            if key and self.model.scopes.get(key) is not None and self.model.scopes[key].kind == "class":
                continue
            out.append(key)
        if out[-1] != "":
            out.append("")
        return out

    def _module_binding(self, name: str) -> Binding:
        """A name the module binds several times is one thing if every
        binding agrees (`x = None` says nothing: `try: import x` /
        `except ImportError: x = None` keeps the import), else unknown."""
        found = self._module.get(name)
        if found is None:
            real = {self._meaning("", bound) for bound in self.model.scopes[""].bindings[name]} - {_NONE}
            found = self._module[name] = one(frozenset(real)) or UNKNOWN
        return found

    def _meaning(self, key: str, bound: tuple) -> Binding:
        """What one binding binds, its value seen as of the binding."""
        memo = (key, bound[-1])
        found = self._meanings.get(memo)
        if found is not None:
            return found
        if memo in self._in_progress:  # a value that needs itself: no answer
            return UNKNOWN
        self._in_progress.add(memo)
        try:
            found = self._meanings[memo] = self._evaluate(key, bound[:-1], bound[-1])
        finally:
            self._in_progress.discard(memo)
        return found

    def _evaluate(self, key: str, bound: tuple, seq: int) -> Binding:
        kind = bound[0]
        if kind == "import":
            return Binding("import", bound[1])
        if kind == "value":
            return self._value_binding(key, bound[1], bound[2], seq)
        if kind == "annotated":
            _, annotation, value, module_level = bound
            typ = one(self.annotation_type(key, annotation, seq))
            if module_level and typ is not None and typ.rpartition(".")[2] == "TypeAlias" and value is not None:
                return self._value_binding(key, value, True, seq)
            if typ is not None:
                return Binding("instance", typ, annotated=not module_level)
            return self._value_binding(key, value, module_level, seq) if value is not None else UNKNOWN
        if kind == "param":
            typ = one(self.annotation_type(bound[2], bound[1], seq)) if bound[1] is not None else None
            return Binding("instance", typ, annotated=True) if typ is not None else UNKNOWN
        if kind == "def":
            _, is_async, function = bound
            target = function if key == "" else ""
            return Binding("async_function" if is_async else "function", target, function=function)
        if kind == "class":
            return Binding("class", bound[1]) if key == "" else UNKNOWN
        return UNKNOWN

    def _value_binding(self, key: str, value: Expr | None, module_level: bool, seq: int) -> Binding:
        if value is None:
            return UNKNOWN
        if value[0] == "none":
            return _NONE if module_level else UNKNOWN
        if value[0] == "await":
            value = value[1]
        if value[0] == "call":
            typ = one(self.result_type(key, value, seq))
            return Binding("instance", typ) if typ is not None else UNKNOWN
        if module_level and value[0] == "subscript":
            alias = one(self.annotation_type(key, value, seq))
            return Binding("alias", alias) if alias is not None else UNKNOWN
        return UNKNOWN

    def _name_meaning(self, binding: Binding) -> str | None:
        if binding.kind in ("import", "instance", "alias"):
            return binding.target
        if binding.kind in ("function", "async_function", "class") and binding.target:
            return f"{self.prefix}.{binding.target}"
        return None

    def enclosing_class(self, scope: str) -> str | None:
        """The key of the innermost class around a scope (for `self.x`)."""
        parts = scope.split(".") if scope else []
        while parts:
            key = ".".join(parts)
            found = self.model.scopes.get(key)
            if found is not None and found.kind == "class":
                return key
            parts.pop()
        return None

    # ------------------------------------------------------- expressions
    def resolve(self, scope: str, expr: Expr | None, state: State = None) -> Answer:
        """The canonical qualified names an expression may stand for.

        `r.get` with `import requests as r` -> `requests.get`; `open` ->
        `builtins.open`; `client.get` with `client = httpx.Client()` ->
        `httpx.Client.get`; `Path(p).read_text` -> `pathlib.Path.read_text`.
        """
        if expr is None:
            return _UNKNOWN_ANSWER
        if isinstance(state, dict):
            return self._resolve(scope, expr, state)
        memo = ("resolve", scope, expr, state)
        found = self._answers.get(memo)
        if found is None:
            found = self._answers[memo] = self._resolve(scope, expr, state)
        return found

    def _resolve(self, scope: str, expr: Expr, state: State) -> Answer:
        attrs: list[str] = []
        while expr[0] == "attr":
            attrs.append(expr[2])
            expr = expr[1]
        kind = expr[0]
        if kind == "name" and expr[1] == "self" and attrs:
            typ = self._attribute_type(scope, attrs[-1], state)
            if typ is not None:
                attrs.pop()
                bases = frozenset({typ})
            else:
                bases = self._resolve_name(scope, "self", state)
        elif kind == "name":
            bases = self._resolve_name(scope, expr[1], state)
        elif kind == "call":
            bases = self.result_type(scope, expr, state)
        elif kind == "await":
            bases = self.result_type(scope, expr[1], state) if expr[1][0] == "call" else _UNKNOWN_ANSWER
        elif kind == "div":  # `base / "name"` is a path when `base` is one
            bases = frozenset(left if left in PATH_TYPES else None for left in self.resolve(scope, expr[1], state))
        else:
            return _UNKNOWN_ANSWER
        if not attrs:
            return frozenset(canonical(base) if base is not None else None for base in bases)
        out = set()
        for base in bases:
            if base is None:
                out.add(None)
                continue
            name = canonical(base)  # step by step, so that `sqlmodel.Session` maps onto SQLAlchemy's
            for attr in reversed(attrs):
                name = canonical(f"{name}.{attr}")
            out.add(name)
        return frozenset(out)

    def _attribute_type(self, scope: str, attr: str, state: State) -> str | None:
        """The type of `self.<attr>` in a method, when its class says it."""
        cls = self.enclosing_class(scope)
        if cls is None or self.bindings(scope, "self", state) - {UNKNOWN, _UNBOUND}:
            return None
        bound = self.model.classes[cls].attributes.get(attr)
        if bound is None:
            return None
        if bound[0] == "annotated":  # (evaluated as the module sees names)
            return one(self.annotation_type("", bound[1]))
        value = bound[1]
        if value is not None and value[0] == "await":
            value = value[1]
        return one(self.result_type("", value)) if value is not None and value[0] == "call" else None

    def _resolve_name(self, scope: str, name: str, state: State) -> Answer:
        found = self.bindings(scope, name, state)
        if name in ("self", "cls"):
            cls = self.enclosing_class(scope)
            if cls is not None and not found - {UNKNOWN, _UNBOUND}:
                return frozenset({f"{self.prefix}.{cls.rpartition('.')[2]}"})
        builtin = f"builtins.{name}" if name in BUILTIN_NAMES else None
        if not found:
            return frozenset({builtin})
        return frozenset(builtin if binding is _UNBOUND else self._name_meaning(binding) for binding in found)

    def callee(self, scope: str, call: Expr, state: State = None) -> Answer:
        """What a call calls: calling an instance (`SessionLocal()` with
        `SessionLocal = async_sessionmaker(...)`) is its type's `__call__`."""
        memo = ("callee", scope, call, state) if not isinstance(state, dict) else None
        found = self._answers.get(memo) if memo is not None else None
        if found is not None:
            return found
        func = call[1]
        names = self.resolve(scope, func, state)
        instances = self._is_instance(scope, func, state)
        out = set()
        for name in names:
            if name is None:
                out.add(None)
                continue
            if True in instances:
                out.add(name + ".__call__")
            if False in instances:
                out.add(name)
        found = frozenset(out)
        if memo is not None:
            self._answers[memo] = found
        return found

    def call_targets(self, call: CallSite) -> Answer:
        """What a call site of the model may call."""
        return self.callee(call.scope, ("call", call.func)) if call.func is not None else _UNKNOWN_ANSWER

    def call_target(self, call: CallSite) -> str | None:
        """What a call site calls for sure, its names as they are where it is
        made: what a libcst rule's `callee` says of the same call."""
        return one(self.callee(call.scope, ("call", call.func), call.seq + 1)) if call.func is not None else None

    def _is_instance(self, scope: str, func: Expr, state: State) -> frozenset[bool]:
        kind = func[0]
        if kind == "name":
            found = self.bindings(scope, func[1], state)
            return frozenset(binding.kind == "instance" for binding in found) or frozenset({False})
        if kind == "attr" and func[1] == ("name", "self"):
            return frozenset({self._attribute_type(scope, func[2], state) is not None})
        return frozenset({kind == "call"})

    def result_type(self, scope: str, call: Expr, state: State = None) -> Answer:
        """The qualified types a call may evaluate to, when the tables know
        it (or when it instantiates a class of this module)."""
        out = set()
        local = self.prefix + "."
        for callee in self.callee(scope, call, state):
            typ = RESULT_TYPES.get(callee) if callee is not None else None
            if typ is None and callee is not None and callee.startswith(local) and callee[len(local):] in self._module_classes:
                typ = callee
            out.add(typ)
        return frozenset(out)

    def annotation_type(self, scope: str, annotation: Expr | None, state: State = None) -> Answer:
        """The types an annotation names: `Session`, `Optional[Session]`,
        `Session | None`, `Annotated[Session, Depends(...)]`, or an alias of one."""
        if annotation is None:
            return _UNKNOWN_ANSWER
        kind = annotation[0]
        if kind == "subscript":
            _, head, elements = annotation
            if elements and one(self.resolve(scope, head, state)) in _ANNOTATED:
                return self.annotation_type(scope, elements[0], state)
            return _UNKNOWN_ANSWER
        if kind == "or":
            _, left, right = annotation
            if right == ("none",):
                return self.annotation_type(scope, left, state)
            if left == ("none",):
                return self.annotation_type(scope, right, state)
            return _UNKNOWN_ANSWER
        if kind in ("name", "attr"):  # a type alias resolves to its type
            return frozenset(
                None if name is None or name.startswith("builtins.") else name
                for name in self.resolve(scope, annotation, state)
            )
        return _UNKNOWN_ANSWER

    # --------------------------------------------------------- functions
    def local_function(self, qualname: str) -> Function | None:
        """This module's module-level function or class method named
        `qualname` (`app.fetch`, `app.Service.run`), if any."""
        local = self.prefix + "."
        if not qualname.startswith(local):
            return None
        key = qualname[len(local):]
        found = self.model.functions.get(key)
        if found is None or key.count(".") > 1:
            return None
        if "." in key and key.partition(".")[0] not in self._module_classes:
            return None
        return found

    def returns_coroutine(self, function: Function) -> bool:
        """An `async def` whose call gives a coroutine: no async generator,
        and no decorator that may change what it returns."""
        return function.is_async and not function.is_generator and self.keeps_async(function)

    def keeps_async(self, function: Function) -> bool:
        """Whether calling this `async def` (through its decorators) still returns a coroutine."""
        outer = function.key.rpartition(".")[0]
        for decorator in function.decorators:
            if decorator is not None and decorator[0] == "call":
                # `@app.get("/")`, `@router.post(...)`: registration returns the function.
                if decorator[1][0] == "attr" and decorator[1][2] in ROUTE_DECORATOR_METHODS:
                    continue
                return False
            if one(self.resolve(outer, decorator)) not in PRESERVING_DECORATORS:
                return False
        return True
