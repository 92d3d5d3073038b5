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
(`session: Session`, also a string or `Annotated[Session, Depends(...)]`),
from a FastAPI dependency's provider (`session=Depends(get_db)`), from what
iterating gives (`for p in path.iterdir()`), or from the project's code: a
class constructed, what a function is annotated to return or returns, a
project class a call is given (`MyQuerySet.as_manager()`), the argument a
generated class is built on (a gRPC stub's channel).

The project's classes are followed through attribute chains
(`self.services.settings.persist`): an attribute of a class or instance is
looked up in the class, then its bases in order (in other modules too),
and is a method, a property (its getter's type) or an attribute (the type
every assignment to it gives). Other modules are reached through the
`World` (the project); a module on its own resolves only its own names.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from asynclint.knowledge.coroutines import (
    COROUTINE_MAKING_DECORATORS,
    PRESERVING_DECORATORS,
    ROUTE_DECORATOR_METHODS,
)
from asynclint.knowledge.described import is_described
from asynclint.knowledge.types import (
    ATTRIBUTE_TYPES,
    CONTEXT_MANAGER_DECORATORS,
    DEPENDS_FUNCTIONS,
    ELEMENT_TYPES,
    GENERATED,
    OF_GIVEN_CLASS,
    PATH_TYPES,
    PROPERTY_DECORATORS,
    RELATED_MANAGER,
    RELATION_FIELDS,
    RELATIONS_BASE,
    RESULT_TYPES,
    SELF_TYPES,
    YIELDING_TYPES,
    canonical,
)
from asynclint.model.expr import Expr
from asynclint.model.facts import CallSite, Class, Function, ModuleModel

BUILTIN_NAMES = frozenset(dir(builtins))
_ANNOTATED = frozenset({"typing.Annotated", "typing_extensions.Annotated", "typing.Optional"})
_UNIONS = frozenset({"typing.Union", "typing_extensions.Union"})


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
# Meanings with whether each is a value (see `Resolver.typed`).
Typed = frozenset
_UNKNOWN_MEANING = (None, False)
_UNKNOWN_TYPED: Typed = frozenset({_UNKNOWN_MEANING})
_UNKNOWN_OWNER = object()  # see `Resolver.owner`


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
AT_THE_END = 1 << 62  # every binding in effect


class World(Protocol):
    """The rest of the project, as one module's resolver sees it."""

    def locate(self, qualname: str) -> tuple[Resolver, str] | None:
        """The project module with the longest name that starts `qualname`
        (its resolver), and the rest of the name; None outside the project."""


class Resolver:
    def __init__(
        self, model: ModuleModel, world: World | None = None, result_types: Mapping[str, str] = RESULT_TYPES
    ) -> None:
        self.model = model
        self.world = world  # the rest of the project, when the module is part of one
        self.result_types = result_types  # what a library call builds (with the configuration's own libraries)
        self.prefix = model.prefix
        self._interpreted: dict[str, tuple[str | None, bool]] = {}
        self._in_progress_names: set[str] = set()
        self._owners: dict[tuple[str, str], object] = {}
        self._members: dict[tuple[str, str], tuple[str | None, bool]] = {}
        self._in_progress_members: set[tuple[str, str]] = set()
        self._in_progress_owners: set[tuple[str, str]] = set()
        self._meanings: dict[tuple[str, int], Binding] = {}
        self._module: dict[str, Binding] = {}
        self._answers: dict[tuple, Answer] = {}
        self._in_progress: set[tuple[str, int]] = set()
        self._may_bindings: dict[tuple[str, str], frozenset[Binding]] = {}
        self._visible_from: dict[str, list[str]] = {}
        self._module_classes = frozenset(key for key in model.classes if "." not in key)
        self._stars: dict[str, Binding | None] = {}

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
                    star = self.star_binding(name)
                    if star is not None:
                        found.add(star)
                        return frozenset(found)
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

    def star_binding(self, name: str) -> Binding | None:
        """The name as a `from m import *` of a project module brings it in
        (an import of `m.name`), or None: libraries' star imports stay unknown."""
        if name in self._stars:
            return self._stars[name]
        self._stars[name] = None  # star imports that go round in a circle bring nothing
        found = None
        for base in self.model.stars if self.world is not None else ():
            located = self.world.locate(base)
            if located is not None and not located[1] and located[0].exports(name):
                found = Binding("import", f"{base}.{name}")
        self._stars[name] = found
        return found

    def exports(self, name: str) -> bool:
        """Whether `from <this module> import *` brings in `name`: what
        `__all__` lists, else every public name the module binds."""
        public = self.model.public
        if public is not None:
            return name in public
        if name.startswith("_"):
            return False
        return name in self.model.scopes[""].bindings or self.star_binding(name) is not None

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
            _, annotation, outer, provider = bound
            typ = one(self.annotation_type(outer, annotation, seq)) if annotation is not None else None
            if typ is None and provider is not None:
                typ = self._provided_type(outer, provider)
            return Binding("instance", typ, annotated=True) if typ is not None else UNKNOWN
        if kind == "iter":
            typ = one(self.element_type(key, bound[1], seq))
            return Binding("instance", typ) if typ is not None else UNKNOWN
        if kind == "entered":
            typ = one(self.entered_type(key, bound[1], bound[2], seq))
            return Binding("instance", typ) if typ is not None else UNKNOWN
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
        given = self._of_given_class(key, value, seq) if value[0] == "call" else None
        if given is not None and not given[1]:  # `BookManager = Manager.from_queryset(BookQuerySet)`: a class
            return Binding("alias", given[0])
        typ = one(self.value_type(key, value, seq))
        if module_level and value[0] == "subscript" and typ is None:  # `Users = Optional[User]`
            alias = one(self.annotation_type(key, value, seq))
            return Binding("alias", alias) if alias is not None else UNKNOWN
        return Binding("instance", typ) if typ is not None else UNKNOWN

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
        `httpx.Client.get`; `Path(p).read_text` -> `pathlib.Path.read_text`;
        `repo.get_one` with `repo = UserRepo(session)` -> `app.repos.UserRepo.get_one`.
        """
        return frozenset(name for name, _ in self.typed(scope, expr, state))

    def value_type(self, scope: str, expr: Expr | None, state: State = None) -> Answer:
        """The types an expression's value may be an instance of."""
        return frozenset(name if is_value else None for name, is_value in self.typed(scope, expr, state))

    def typed(self, scope: str, expr: Expr | None, state: State = None) -> Typed:
        """What an expression may stand for, each meaning with whether it is a
        value (an instance of the type named) rather than a module, class or function."""
        if expr is None:
            return _UNKNOWN_TYPED
        if isinstance(state, dict):
            return self._typed(scope, expr, state)
        memo = ("typed", scope, expr, state)
        found = self._answers.get(memo)
        if found is None:
            found = self._answers[memo] = self._typed(scope, expr, state)
        return found

    def _typed(self, scope: str, expr: Expr, state: State) -> Typed:
        attrs: list[str] = []
        while expr[0] == "attr":
            attrs.append(expr[2])
            expr = expr[1]
        kind = expr[0]
        if kind == "name":
            bases = self._name_typed(scope, expr[1], state)
        elif kind == "call":
            given = self._of_given_class(scope, expr, state)
            bases = {given} if given is not None else {(typ, True) for typ in self.result_type(scope, expr, state)}
        elif kind == "await" and expr[1][0] == "call":
            bases = {(typ, True) for typ in self.result_type(scope, expr[1], state, awaited=True)}
        elif kind == "div":  # `base / "name"` is a path when `base` is one
            bases = {(left if left in PATH_TYPES else None, True) for left in self.value_type(scope, expr[1], state)}
        elif kind == "subscript":  # `client["db"]`: what the type's `__getitem__` builds, when a table says
            bases = {
                (self.result_types.get(f"{head}.__getitem__") if head is not None else None, True)
                for head in self.value_type(scope, expr[1], state)
            }
        else:
            return _UNKNOWN_TYPED
        out = set()
        for name, is_value in bases:
            for attr in reversed(attrs):
                if name is None:
                    break
                name, is_value = self.attribute(name, attr)
            out.add((name, is_value) if name is not None else _UNKNOWN_MEANING)
        return frozenset(out)

    def _name_typed(self, scope: str, name: str, state: State) -> Typed:
        found = self.bindings(scope, name, state)
        if name in ("self", "cls"):
            cls = self.enclosing_class(scope)
            if cls is not None and not found - {UNKNOWN, _UNBOUND}:
                return frozenset({(f"{self.prefix}.{cls}", name == "self")})
        builtin = (f"builtins.{name}" if name in BUILTIN_NAMES else None, False)
        if not found:
            return frozenset({builtin})
        return frozenset(builtin if binding is _UNBOUND else self._binding_typed(binding) for binding in found)

    def _binding_typed(self, binding: Binding) -> tuple[str | None, bool]:
        kind = binding.kind
        if kind == "import":
            return self.follow(binding.target)
        if kind == "instance":
            return binding.target, True
        if kind == "alias":
            return binding.target, False
        if kind in ("function", "async_function", "class") and binding.target:
            return f"{self.prefix}.{binding.target}", False
        return _UNKNOWN_MEANING

    # ------------------------------------------------- across the project
    def home(self, qualname: str) -> tuple[Resolver, str] | None:
        """The project module a qualified name lies in (its resolver) and the
        rest of the name in it (`""`: the module itself); None outside the project,
        and for a name the knowledge tables describe (a library linted in its own
        repository is read as its users' code is)."""
        if is_described(qualname):
            return None
        prefix = self.prefix
        if qualname == prefix:
            return self, ""
        if qualname.startswith(prefix + "."):
            rest = qualname[len(prefix) + 1:]
            if self.model.is_package and self.world is not None:  # a submodule's name is longer
                return self.world.locate(qualname)
            if rest.partition(".")[0] in self.model.scopes[""].bindings:
                return self, rest
        return self.world.locate(qualname) if self.world is not None else None

    def follow(self, qualname: str) -> tuple[str | None, bool]:
        """What a qualified name denotes: outside the project, its canonical
        spelling; in it, what the module binds it to (a re-export followed to
        the class or function, a module-level instance to its type)."""
        home = self.home(qualname)
        if home is None:
            return canonical(qualname), False
        resolver, rest = home
        return resolver.interpret(rest) if rest else (qualname, False)

    def interpret(self, rest: str) -> tuple[str | None, bool]:
        """What `<this module>.<rest>` denotes (see `follow`)."""
        found = self._interpreted.get(rest)
        if found is not None:
            return found
        if rest in self._in_progress_names:  # re-exports that go round in a circle
            return _UNKNOWN_MEANING
        self._in_progress_names.add(rest)
        try:
            first, _, more = rest.partition(".")
            star = None if first in self.model.scopes[""].bindings else self.star_binding(first)
            if first in self.model.scopes[""].bindings:
                found = self._binding_typed(self._module_binding(first))
            elif star is not None:
                found = self._binding_typed(star)
            elif self.model.is_package and self.world is not None:  # a submodule the package does not import
                located = self.world.locate(f"{self.prefix}.{first}")
                found = (f"{self.prefix}.{first}", False) if located is not None and not located[1] else _UNKNOWN_MEANING
            else:
                found = _UNKNOWN_MEANING
            for attr in more.split(".") if more else ():
                if found[0] is None:
                    break
                found = self.attribute(found[0], attr)
        finally:
            self._in_progress_names.discard(rest)
        self._interpreted[rest] = found
        return found

    def attribute(self, name: str, attr: str) -> tuple[str | None, bool]:
        """What `.attr` of what `name` denotes is: a library name spelled on
        (`httpx.Client.get`), a project class's member (see `member`), a
        project module's name, or unknown."""
        home = self.home(name)
        if home is None:
            combined = canonical(f"{name}.{attr}")
            typ = ATTRIBUTE_TYPES.get(combined)
            return (typ, True) if typ is not None else (combined, False)
        resolver, rest = home
        if not rest:
            return self.follow(f"{name}.{attr}")
        if rest in resolver.model.classes:
            found = resolver.member(rest, attr) or _UNKNOWN_MEANING
            if found == (f"{RELATIONS_BASE}.{attr}", False):  # nothing the class defines: a reverse relation?
                return self.reverse_accessor(name, attr, resolver) or found
            return found
        return _UNKNOWN_MEANING

    def reverse_accessor(self, model: str, attr: str, home: Resolver) -> tuple[str, bool] | None:
        """What `.attr` of an instance of the project model `model` is when a
        relation field names the model with that accessor (`related_name`, else
        `<class>_set`, or `<class>` for a one-to-one): its related manager, or
        the related instance. The fields are looked for in the model's module
        and in the modules this one imports."""
        memo = ("reverse", model, attr)
        if memo in self._answers:
            return one(self._answers[memo])
        self._answers[memo] = _UNKNOWN_ANSWER  # while it is worked out
        found = None
        for resolver in self._relation_modules(home):
            found = resolver._accessor_in(model, attr)
            if found is not None:
                break
        self._answers[memo] = frozenset({found})
        return found

    def _relation_modules(self, home: Resolver) -> list[Resolver]:
        modules = {id(home): home, id(self): self}
        for name in sorted(self.model.imported) if self.world is not None else ():
            located = self.world.locate(name)
            if located is not None:
                modules.setdefault(id(located[0]), located[0])
        return list(modules.values())

    def _accessor_in(self, model: str, attr: str) -> tuple[str, bool] | None:
        """The accessor `attr` a relation field of one of this module's classes gives `model`."""
        name = model.rpartition(".")[2]
        for key, cls in self.model.classes.items():
            outer = key.rpartition(".")[0]
            for _, func, target, related in cls.relations:
                kind = RELATION_FIELDS.get(one(self.resolve(outer, func)))
                if kind is None:
                    continue
                owner = key.rpartition(".")[2]
                accessor = related or (f"{owner.lower()}_set" if kind == "manager" else owner.lower())
                if accessor != attr:
                    continue
                if isinstance(target, str):
                    named = f"{self.prefix}.{key}" if target == "self" else None
                    if named != model and target.rpartition(".")[2] != name:
                        continue
                elif one(self.resolve(outer, target)) != model:
                    continue
                return (RELATED_MANAGER, True) if kind == "manager" else (f"{self.prefix}.{key}", True)
        return None

    def member(self, class_key: str, attr: str) -> tuple[str | None, bool] | None:
        """What an attribute of one of this module's classes (or of its
        instances) is: a method (its qualified name), a property or an
        attribute (the type of its value, when the class says it), or a
        library base's member (its name). None when neither the class nor a
        base has it; (None, False) when it cannot be told."""
        owner = self.owner(class_key, attr)
        if owner is None or owner is _UNKNOWN_OWNER:
            return None if owner is None else _UNKNOWN_MEANING
        if isinstance(owner, str):  # a library base's: `User.objects` of a Django model is its manager
            typ = ATTRIBUTE_TYPES.get(owner)
            return (typ, True) if typ is not None else (owner, False)
        resolver, key = owner
        memo = (key, attr)
        found = resolver._members.get(memo)
        if found is None:
            if memo in resolver._in_progress_members:  # an attribute whose value needs itself
                return _UNKNOWN_MEANING
            resolver._in_progress_members.add(memo)
            try:
                found = resolver._members[memo] = resolver._own_member(key, attr)
            finally:
                resolver._in_progress_members.discard(memo)
        return found

    def accessor(self, class_key: str, attr: str, suffix: str = "") -> str | None:
        """The qualified name of the property getter an attribute of the class
        is, if it is one (with `suffix` ":setter", of its setter, if it has one)."""
        owner = self.owner(class_key, attr)
        if not isinstance(owner, tuple):
            return None
        resolver, key = owner
        getter = resolver.model.functions.get(f"{key}.{attr}")
        if attr not in resolver.model.classes[key].methods or not resolver._is_property(getter):
            return None
        if suffix and f"{key}.{attr}{suffix}" not in resolver.model.functions:
            return None
        return f"{resolver.prefix}.{key}.{attr}{suffix}"

    def owner(self, class_key: str, attr: str) -> tuple[Resolver, str] | str | None:
        """Where an attribute of one of this module's classes is defined: the
        class or the first base that has it (its resolver and key), a library
        base (the attribute's qualified name there), None when no class has
        it, `_UNKNOWN_OWNER` when a base cannot be told."""
        memo = (class_key, attr)
        if memo in self._owners:
            return self._owners[memo]
        if memo in self._in_progress_owners:  # a class that is its own base, through others
            return _UNKNOWN_OWNER
        self._in_progress_owners.add(memo)
        try:
            found = self._owner(class_key, attr)
        finally:
            self._in_progress_owners.discard(memo)
        self._owners[memo] = found
        return found

    def _owner(self, class_key: str, attr: str):
        cls = self.model.classes[class_key]
        if attr in cls.methods or attr in cls.attributes:
            return self, class_key
        outer = class_key.rpartition(".")[0]
        for base in cls.bases:
            if base is not None and base[0] == "subscript":  # `Generic[T]`, `Base[Model]`
                base = base[1]
            name = one(self.resolve(outer, base))
            if name is None:
                return _UNKNOWN_OWNER
            if name == "builtins.object":
                continue
            home = self.home(name)
            if home is None:  # a library class
                return canonical(f"{name}.{attr}")
            resolver, rest = home
            if rest not in resolver.model.classes:
                return _UNKNOWN_OWNER
            found = resolver.owner(rest, attr)
            if found is not None:
                return found
        return None

    def _own_member(self, class_key: str, attr: str) -> tuple[str | None, bool]:
        cls = self.model.classes[class_key]
        key = f"{class_key}.{attr}"
        if attr in cls.methods:
            function = self.model.functions[key]
            if self._is_property(function):
                typ = self.function_type(key)
                return (typ, True) if typ is not None else _UNKNOWN_MEANING
            return f"{self.prefix}.{key}", False
        typ = self._attribute_type(cls, attr)
        return (typ, True) if typ is not None else _UNKNOWN_MEANING

    def _attribute_type(self, cls: Class, attr: str) -> str | None:
        """The type of a class's attribute: its declared annotation, or the one
        type every value assigned to it has (`None` aside). A value of
        another known type (a subclass, say) makes it unknown: its methods
        may not be the declared type's."""
        declared: set[str | None] = set()
        types: set[str | None] = set()
        for scope, bound in cls.attributes[attr]:
            value = bound[1]
            if bound[0] == "annotated":
                declared.add(one(self.annotation_type(scope, bound[1], bound[-1])))
                value = bound[2]
            if value is not None and value != ("none",):
                types |= self.value_type(scope, value, bound[-1])
        declared.discard(None)
        if declared:
            return one(frozenset(declared)) if known(frozenset(types)) <= declared else None
        return one(frozenset(types))

    def getters(self, scope: str, expr: Expr | None, state: State = None) -> Answer:
        """The project property getters an attribute read (`export.disk_left`) may run."""
        return self._accessors(scope, expr, state, "")

    def setters(self, scope: str, expr: Expr | None, state: State = None) -> Answer:
        """The project property setters an attribute assignment (`conf.level = 3`) may run."""
        return self._accessors(scope, expr, state, ":setter")

    def _accessors(self, scope: str, expr: Expr | None, state: State, suffix: str) -> Answer:
        if expr is None or expr[0] != "attr":
            return _UNKNOWN_ANSWER
        out = set()
        for name, _ in self.typed(scope, expr[1], state):
            home = self.home(name) if name is not None else None
            if home is None or home[1] not in home[0].model.classes:
                out.add(None)
                continue
            out.add(home[0].accessor(home[1], expr[2], suffix))
        return frozenset(out)

    def _is_property(self, function: Function) -> bool:
        outer = function.key.rpartition(".")[0]
        return any(
            decorator is not None and one(self.resolve(outer, decorator)) in PROPERTY_DECORATORS
            for decorator in function.decorators
        )

    # --------------------------------------------------------------- calls
    def callee(self, scope: str, call: Expr, state: State = None) -> Answer:
        """What a call calls: calling an instance (`SessionLocal()` with
        `SessionLocal = async_sessionmaker(...)`) is its type's `__call__`."""
        memo = ("callee", scope, call[1], state) if not isinstance(state, dict) else None
        found = self._answers.get(memo) if memo is not None else None
        if found is not None:
            return found
        out = set()
        for name, is_value in self.typed(scope, call[1], state):
            out.add(self.attribute(name, "__call__")[0] if name is not None and is_value else name)
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

    def result_type(self, scope: str, call: Expr, state: State = None, awaited: bool = False) -> Answer:
        """The qualified types a call may evaluate to (awaited: what awaiting
        it gives), when the tables know it, or the project's code says it:
        an instance of a project class, what a project function is annotated
        to return, or the one type all its `return`s give; a generated class
        (a gRPC stub) is what the argument it is built on makes it."""
        out = set()
        for callee in self.callee(scope, call, state):
            typ = self.result_types.get(callee) if callee is not None else None
            generated = next((g for g in GENERATED if g.matches(callee)), None) if typ is None and callee else None
            if generated is not None:
                argument = call[2] if len(call) > 2 else None
                out |= {generated.types.get(built_on) for built_on in self.value_type(scope, argument, state)}
                continue
            if typ is None and callee is not None:
                typ = self._project_result(callee, awaited)
            out.add(typ)
        return frozenset(out)

    def _of_given_class(self, scope: str, call: Expr, state: State) -> tuple[str, bool] | None:
        """What a call the tables say a project class it is given names gives
        (`BookQuerySet.as_manager()`: an instance of it; `Manager.from_queryset(BookQuerySet)`:
        the class), when that class is one of the project's; else None."""
        how = OF_GIVEN_CLASS.get(one(self.callee(scope, call, state)))
        if how == "receiver":
            given = call[1][1] if call[1][0] == "attr" else None
        else:
            given = call[2] if how == "argument" and len(call) > 2 else None
        if given is None:
            return None
        name, is_value = one(self.typed(scope, given, state)) or _UNKNOWN_MEANING
        home = self.home(name) if name is not None and not is_value else None
        if home is None or home[1] not in home[0].model.classes:
            return None
        return name, how == "receiver"

    def entered_type(self, scope: str, context: Expr | None, is_async: bool, state: State = None) -> Answer:
        """What `with <context> as x` binds `x` to: what a project class's
        `__enter__` (`__aenter__`) gives, else the context manager itself
        (the libraries' context managers the tables know give themselves), or
        what a project generator made one by `contextlib` yields."""
        managed = self._managed_type(scope, context, state) if context is not None and context[0] == "call" else None
        if managed is not None:
            return frozenset({managed})
        out = set()
        for typ in self.value_type(scope, context, state):
            enter = self._enter_method(typ, is_async) if typ is not None else None
            out.add(typ if enter is None else self._project_result(enter, is_async) if enter else None)
        return frozenset(out)

    def _managed_type(self, scope: str, call: Expr, state: State) -> str | None:
        """What `with f() as x` binds when `f` is a project generator decorated
        with `contextlib.contextmanager` (or `asynccontextmanager`): what it yields."""
        callee = one(self.callee(scope, call, state))
        home = self.home(callee) if callee is not None else None
        function = home[0].local_function(callee) if home is not None else None
        if function is None or not function.is_generator:
            return None
        resolver, outer = home[0], function.key.rpartition(".")[0]
        if not any(
            decorator is not None and one(resolver.resolve(outer, decorator)) in CONTEXT_MANAGER_DECORATORS
            for decorator in function.decorators
        ):
            return None
        return resolver.provided_type(function.key)

    def enters(self, scope: str, context: Expr | None, state: State = None) -> Answer:
        """The project `__enter__` methods a plain `with <context>:` may run."""
        return frozenset(
            self._enter_method(typ, False) or None if typ is not None else None
            for typ in self.value_type(scope, context, state)
        )

    def _enter_method(self, typ: str, is_async: bool) -> str | None:
        """A project class's `__enter__` (`__aenter__`): its qualified name,
        "" when it cannot be told, None for a type outside the project."""
        home = self.home(typ)
        if home is None or home[1] not in home[0].model.classes:
            return None
        member = home[0].member(home[1], "__aenter__" if is_async else "__enter__")
        if member is None:
            return None
        name, is_value = member
        return name if name is not None and not is_value and self.home(name) is not None else ""

    def _project_result(self, callee: str, awaited: bool) -> str | None:
        home = self.home(callee)
        if home is None:
            return None
        resolver, rest = home
        if rest in resolver.model.classes:
            return callee
        function = resolver.local_function(callee)
        return resolver.function_type(function.key, awaited) if function is not None else None

    def function_type(self, key: str, awaited: bool = False) -> str | None:
        """The type of what calling one of this module's functions gives (for
        an `async def`, what awaiting the call gives; a generator gives none)."""
        function = self.model.functions[key]
        if function.is_generator or function.is_async != awaited:
            return None
        memo = ("function", key)
        if memo in self._answers:
            found = self._answers[memo]
            return next(iter(found))
        self._answers[memo] = _UNKNOWN_ANSWER  # while it is worked out: a recursive function gives none
        outer = key.rpartition(".")[0]
        if function.returns is not None:
            typ = one(self.annotation_type(outer, function.returns))
            if typ in SELF_TYPES:
                cls = self.enclosing_class(key)
                typ = f"{self.prefix}.{cls}" if cls is not None else None
        else:
            typ = self._one_type(key, function.returned)
        self._answers[memo] = frozenset({typ})
        return typ

    def provided_type(self, key: str) -> str | None:
        """What a FastAPI dependency gives the parameter it fills: what it
        yields (`Generator[Session, None, None]`, or the `yield`s), else what it returns."""
        function = self.model.functions[key]
        if not function.is_generator:
            return self.function_type(key, awaited=function.is_async)
        outer = key.rpartition(".")[0]
        returns = function.returns
        if returns is None:
            return self._one_type(key, function.yielded)
        if returns[0] == "subscript" and one(self.resolve(outer, returns[1])) in YIELDING_TYPES:
            return one(self.annotation_type(outer, returns[2][0])) if returns[2] else None
        return None

    def _provided_type(self, scope: str, provider: Expr) -> str | None:
        _, depends, target = provider
        if one(self.resolve(scope, depends)) not in DEPENDS_FUNCTIONS:
            return None
        name = one(self.resolve(scope, target))
        home = self.home(name) if name is not None else None
        if home is None:
            return None
        resolver, rest = home
        if rest in resolver.model.classes:
            return name
        function = resolver.local_function(name)
        return resolver.provided_type(function.key) if function is not None else None

    def _one_type(self, key: str, values: list[Expr | None]) -> str | None:
        """The type every value (`None` aside) has, evaluated in a function's
        scope as of its end (each name's latest binding)."""
        types: set[str | None] = set()
        for value in values:
            if value != ("none",):
                types |= self.value_type(key, value, AT_THE_END)
        return one(frozenset(types))

    def element_type(self, scope: str, iterable: Expr | None, state: State = None) -> Answer:
        """The types iterating over an expression may give (`path.iterdir()`: paths)."""
        if iterable is None or iterable[0] != "call":
            return _UNKNOWN_ANSWER
        return frozenset(
            ELEMENT_TYPES.get(callee) if callee is not None else None for callee in self.callee(scope, iterable, state)
        )

    def annotation_type(self, scope: str, annotation: Expr | None, state: State = None) -> Answer:
        """The types an annotation names: `Session`, `Optional[Session]`,
        `Session | None`, `Union[Session, None]`, `Annotated[Session, Depends(...)]`,
        or an alias of one."""
        if annotation is None:
            return _UNKNOWN_ANSWER
        kind = annotation[0]
        if kind == "subscript":
            _, head, elements = annotation
            head_name = one(self.resolve(scope, head, state)) if elements else None
            if head_name in _ANNOTATED:
                return self.annotation_type(scope, elements[0], state)
            if head_name in _UNIONS and len(elements) == 2 and ("none",) in elements:
                return self.annotation_type(scope, elements[elements[0] == ("none",)], state)
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
        and no decorator that may change what it returns; or a `def` whose
        outermost decorator makes it a coroutine function (`@sync_to_async`)."""
        if not function.is_async:
            return self.made_coroutine_function(function)
        return not function.is_generator and self.keeps_async(function)

    def made_coroutine_function(self, function: Function) -> bool:
        """A plain `def` whose outermost decorator makes it a coroutine function (`@sync_to_async`)."""
        if not function.decorators or function.decorators[0] is None:
            return False
        decorator = function.decorators[0]
        factory = decorator[1] if decorator[0] == "call" else decorator
        return one(self.resolve(function.key.rpartition(".")[0], factory)) in COROUTINE_MAKING_DECORATORS

    def keeps_async(self, function: Function) -> bool:
        """Whether calling this `async def` (through its decorators) still
        returns a coroutine: decorators known to keep the function, route
        registrations, and project decorators whose wrapper is an `async def`."""
        outer = function.key.rpartition(".")[0]
        for decorator in function.decorators:
            if decorator is None:
                return False
            if decorator[0] == "call":
                # `@app.get("/")`, `@router.post(...)`: registration returns the function.
                if decorator[1][0] == "attr" and decorator[1][2] in ROUTE_DECORATOR_METHODS:
                    continue
                factory = one(self.resolve(outer, decorator[1]))
                if factory in PRESERVING_DECORATORS or self._wraps_in_coroutine(factory, levels=2):
                    continue
                return False
            name = one(self.resolve(outer, decorator))
            if name not in PRESERVING_DECORATORS and not self._wraps_in_coroutine(name, levels=1):
                return False
        return True

    def _wraps_in_coroutine(self, decorator: str | None, levels: int) -> bool:
        """Whether a project decorator (`levels=1`) or decorator factory
        (`levels=2`) returns a wrapper that is an `async def` giving a coroutine."""
        home = self.home(decorator) if decorator is not None else None
        function = home[0].local_function(decorator) if home is not None else None
        return function is not None and home[0]._returns_wrapper(function, levels)

    def _is_parameter(self, scope: str, name: str) -> bool:
        bounds = self.model.scopes[scope].bindings.get(name, ())
        return bool(bounds) and all(bound[0] == "param" for bound in bounds)

    def _returns_wrapper(self, function: Function, levels: int) -> bool:
        if function.is_async or not function.returned:
            return False
        for value in function.returned:
            if levels == 1 and value is not None and value[0] == "name" and self._is_parameter(function.key, value[1]):
                continue  # `return func`: the function itself, registered or wrapped in place
            found = self.binding(function.key, value[1]) if value is not None and value[0] == "name" else None
            inner = self.model.functions.get(found.function) if found is not None and found.function else None
            if inner is None:
                return False
            if levels == 1 and not self.returns_coroutine(inner):
                return False
            if levels > 1 and not self._returns_wrapper(inner, levels - 1):
                return False
        return True
